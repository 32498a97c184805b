// What a generated VCF holds: a valid, sorted VCF 4.2 whose samples each carry about the
// requested number of variants, with hits in known genes, realistic ploidy, and honest INFO.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { generatePatients, sexBySample, writeSyntheticVcf, KNOWN_GENES, type SyntheticVcfReport } from '../../../vault/demo/synthetic/index.ts';
import { allelesOf, isNonReference, nonReferenceCounts, scanVcf, type ScannedVcf } from './scan-vcf.ts';

const VARIANTS_PER_SAMPLE = 3000;
const SAMPLES = 40;
const GRCH38_X_PARS = [[10001, 2781479], [155701383, 156030895]] as const;

describe('writeSyntheticVcf: content', function () {
  const patients = generatePatients(SAMPLES, 11);
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  let vcf: ScannedVcf;
  let report: SyntheticVcfReport;

  before(async function () {
    temp = await makeTempDir();
    const path = join(temp.path, 'cohort.vcf');
    report = await writeSyntheticVcf(path, {
      samples: patients.map((p) => p.sampleName),
      seed: 11,
      variantsPerSample: VARIANTS_PER_SAMPLE,
      sexes: sexBySample(patients),
    });
    vcf = scanVcf(await readFile(path, 'latin1'));
  });
  after(() => temp.remove());

  it('has a VCF 4.2 header with the build, real contig lengths, declared keys and the samples in order', function () {
    assert.equal(vcf.meta[0], '##fileformat=VCFv4.2');
    assert.ok(vcf.meta.includes('##reference=GRCh38'));
    assert.equal(vcf.contigs.get('chr1'), 248956422);
    assert.equal(vcf.contigs.get('chr17'), 83257441);
    assert.equal(vcf.contigs.get('chrX'), 156040895);
    for (const key of ['INFO=<ID=AC,', 'INFO=<ID=AN,', 'INFO=<ID=AF,', 'INFO=<ID=DP,', 'INFO=<ID=CLNSIG,', 'INFO=<ID=GENEINFO,', 'FORMAT=<ID=GT,', 'FORMAT=<ID=DP,', 'FORMAT=<ID=GQ,']) {
      assert.ok(vcf.meta.some((m) => m.startsWith(`##${key}`)), `header declares ${key}`);
    }
    assert.deepEqual(vcf.header.slice(0, 9), ['CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO', 'FORMAT']);
    assert.deepEqual(vcf.samples, patients.map((p) => p.sampleName));
    assert.equal(report.records, vcf.records.length);
    assert.ok(vcf.records.length > 1000);
  });

  it('writes every record with all columns, a known contig, a position on it and A/C/G/T alleles', function () {
    for (const r of vcf.records) {
      assert.equal(r.columns, 9 + SAMPLES, `line ${r.line}: column count`);
      const length = vcf.contigs.get(r.chrom);
      assert.ok(length !== undefined, `line ${r.line}: contig ${r.chrom} is declared`);
      assert.ok(Number.isInteger(r.pos) && r.pos >= 1 && r.pos + r.ref.length - 1 <= length, `line ${r.line}: position on the contig`);
      assert.match(r.ref, /^[ACGT]+$/, `line ${r.line}: REF`);
      for (const alt of r.alts) {
        assert.match(alt, /^[ACGT]+$/, `line ${r.line}: ALT`);
        assert.notEqual(alt, r.ref, `line ${r.line}: ALT differs from REF`);
      }
      for (const gt of r.gts) assert.match(gt, /^(\.|\d)([/|](\.|\d))?$/, `line ${r.line}: GT ${gt}`);
    }
  });

  it('sorts records by contig (header order) then position, one record per position', function () {
    const order = [...vcf.contigs.keys()];
    for (let i = 1; i < vcf.records.length; i++) {
      const a = vcf.records[i - 1]!;
      const b = vcf.records[i]!;
      const byContig = order.indexOf(b.chrom) - order.indexOf(a.chrom);
      assert.ok(byContig > 0 || (byContig === 0 && b.pos > a.pos), `line ${b.line} is out of order`);
    }
  });

  it('gives every sample within 15% of variantsPerSample non-reference calls, as the report says', function () {
    const counts = nonReferenceCounts(vcf);
    counts.forEach((n, s) => {
      assert.ok(Math.abs(n - VARIANTS_PER_SAMPLE) <= 0.15 * VARIANTS_PER_SAMPLE, `sample ${s} carries ${n}`);
    });
    assert.deepEqual(counts, report.nonReferenceCalls);
  });

  it('computes AC, AN and AF from the genotypes written, and drops sites nobody carries', function () {
    for (const r of vcf.records) {
      const ac = r.alts.map(() => 0);
      let an = 0;
      for (const gt of r.gts) for (const a of allelesOf(gt)) {
        if (a === null) continue;
        an++;
        if (a > 0) ac[a - 1]! += 1;
      }
      assert.equal(r.info.get('AC'), ac.join(','), `line ${r.line}: AC`);
      assert.equal(r.info.get('AN'), String(an), `line ${r.line}: AN`);
      const af = (r.info.get('AF') ?? '').split(',').map(Number);
      af.forEach((f, k) => assert.ok(Math.abs(f - ac[k]! / an) < 1e-3, `line ${r.line}: AF`));
      assert.ok(ac.some((c) => c > 0), `line ${r.line}: someone carries it`);
    }
  });

  it('puts annotated variants inside BRCA1, BRCA2, TP53, MYBPC3 and LDLR, with rare pathogenic carriers', function () {
    for (const gene of KNOWN_GENES) {
      const { start, end } = gene.location.GRCh38;
      const inside = vcf.records.filter((r) => r.chrom === `chr${gene.chromosome}` && r.pos >= start && r.pos <= end);
      assert.ok(inside.length >= 3, `${gene.symbol} has hits`);
      for (const r of inside) assert.equal(r.info.get('GENEINFO'), `${gene.symbol}:${gene.geneId}`, `line ${r.line}: GENEINFO`);
      const pathogenic = inside.filter((r) => r.info.get('CLNSIG') === 'Pathogenic');
      assert.ok(pathogenic.length >= 1, `${gene.symbol} has a pathogenic variant`);
      for (const r of pathogenic) {
        const carriers = r.gts.filter(isNonReference).length;
        assert.ok(carriers >= 1 && carriers <= 3, `${gene.symbol}: ${carriers} pathogenic carriers`);
      }
    }
    const outside = vcf.records.filter((r) => r.info.has('GENEINFO') && !KNOWN_GENES.some((g) => r.chrom === `chr${g.chromosome}` && r.pos >= g.location.GRCh38.start && r.pos <= g.location.GRCh38.end));
    assert.deepEqual(outside, [], 'GENEINFO only inside the gene it names');
    const significances = new Set(vcf.records.map((r) => r.info.get('CLNSIG')).filter((v) => v !== undefined));
    assert.deepEqual([...significances].sort(), ['Benign', 'Conflicting_interpretations_of_pathogenicity', 'Likely_benign', 'Likely_pathogenic', 'Pathogenic', 'Uncertain_significance']);
  });

  it('calls chrX haploid (hemizygous) in males outside the PARs, diploid in females; chrY in males only', function () {
    const males = patients.flatMap((p, s) => (p.sex === 'male' ? [s] : []));
    const females = patients.flatMap((p, s) => (p.sex === 'female' ? [s] : []));
    assert.ok(males.length > 5 && females.length > 5);
    const xOutsidePar = vcf.records.filter((r) => r.chrom === 'chrX' && !GRCH38_X_PARS.some(([a, b]) => r.pos >= a && r.pos <= b));
    assert.ok(xOutsidePar.length > 20);
    for (const r of xOutsidePar) {
      for (const s of males) assert.equal(allelesOf(r.gts[s]!).length, 1, `line ${r.line}: male sample ${s} is haploid`);
      for (const s of females) assert.equal(allelesOf(r.gts[s]!).length, 2, `line ${r.line}: female sample ${s} is diploid`);
    }
    for (const s of males) assert.ok(xOutsidePar.some((r) => r.gts[s] === '1'), `male sample ${s} has a hemizygous chrX call`);
    const y = vcf.records.filter((r) => r.chrom === 'chrY');
    assert.ok(y.length > 0);
    for (const r of y) for (const s of females) assert.equal(r.gts[s], '.', `line ${r.line}: female sample ${s} has no chrY call`);
  });

  it('includes multi-allelic sites, indels, phased calls and a few missing genotypes', function () {
    const cells = vcf.records.flatMap((r) => r.gts);
    assert.ok(vcf.records.some((r) => r.alts.length === 2 && r.gts.some((gt) => allelesOf(gt).includes(2))), 'multi-allelic, carried');
    assert.ok(vcf.records.some((r) => r.ref.length > 1), 'deletions');
    assert.ok(vcf.records.some((r) => r.alts.some((a) => a.length > 1)), 'insertions');
    assert.ok(cells.some((gt) => gt.includes('|')), 'phased calls');
    const missing = cells.filter((gt) => gt === './.').length;
    assert.ok(missing > 0 && missing < cells.length * 0.01, `a few missing genotypes (${missing})`);
  });

  it('follows Hardy-Weinberg: hom-alt calls are rarer than hets overall', function () {
    let het = 0;
    let hom = 0;
    for (const r of vcf.records) for (const gt of r.gts) {
      const a = allelesOf(gt);
      if (a.length !== 2 || !isNonReference(gt)) continue;
      if (a[0] === a[1]) hom++;
      else het++;
    }
    assert.ok(het > hom && hom > 0.1 * het, `het ${het}, hom ${hom}`);
  });
});
