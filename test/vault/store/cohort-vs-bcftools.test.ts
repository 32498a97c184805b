// Cohort answers (carriers, allele counts) against bcftools on real files of two builds and three
// kinds of coverage (read from the research index, which a new vault keeps; the last test holds the
// per-sample partitions to the same answers): the GRCh37 1000 Genomes genomes (no coverage given: whole genome), a GRCh37
// exome ingested with a targets BED, a GRCh37 gVCF (its blocks cover chr20 and chr21 only) and the
// GRCh38 NYGC genomes. An answer is for one build, counts only samples covering the position (a
// carrier covers it), and says how many were left out and why.
import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { scanVcf, carriedAlleles, type ScannedRecord } from '../ingest/vcf/vcf-scan.ts';
import { bcftoolsRegion, hasBcftools, indexedCopy, realFile, vaultWith, type LoadedVault } from './helpers/bcftools-oracle.ts';
import { QueryInputError } from '../../../vault/store/query-input-error.ts';

const PHASE1 = realFile('1000g-phase1_chr22_5samples_phased.vcf.gz');
const EXOME = realFile('hapmap-exome_chr22_22samples.vcf.gz');
const GVCF = realFile('gatk-gvcf_na12878_chr20-21.g.vcf.gz');
const NYGC = realFile('1000g-nygc30x-grch38_chr22_100samples.vcf.gz');
const TARGETS = { chrom: '22', start: 50400001, end: 50450000 };

interface Expected {
  alleleCount: number;
  carriers: string[];
}

/** Per allele `pos:ref:alt`: copies (hom_alt 2, else 1) and the carriers (tagged sample names), as bcftools shows them. */
function countsFrom(files: { tag: string; records: readonly ScannedRecord[]; samples: readonly string[] }[]): Map<string, Expected> {
  const out = new Map<string, Expected>();
  for (const { tag, records, samples } of files) {
    for (const r of records) {
      samples.forEach((name, s) => {
        const called = (r.samples[s] ?? '').split(':')[0]!.split(/[/|]/).filter((a) => a !== '.');
        for (const a of carriedAlleles(r, s)) {
          const key = `${r.pos}:${r.ref}:${r.alts[a - 1]}`;
          const entry = out.get(key) ?? { alleleCount: 0, carriers: [] };
          entry.alleleCount += called.length >= 2 && called.every((c) => Number(c) === a) ? 2 : 1;
          entry.carriers.push(`${tag}:${name}`);
          out.set(key, entry);
        }
      });
    }
  }
  return out;
}

describe('cohort answers against bcftools, over two builds and three kinds of coverage', function () {
  this.timeout(300_000);
  let dir: { path: string; remove: () => Promise<void> };
  let loaded: LoadedVault;
  let indexed: { phase1: string; exome: string };
  let nameOf: Map<string, string>;
  before(async function () {
    if (!hasBcftools) {
      console.log('      note: bcftools not installed; the cohort comparison with bcftools is skipped');
      this.skip();
    }
    dir = await makeTempDir();
    const bed = join(dir.path, 'exome.bed');
    await writeFile(bed, `${TARGETS.chrom}\t${TARGETS.start - 1}\t${TARGETS.end}\n`);
    loaded = await vaultWith(join(dir.path, 'vault'), [
      { path: PHASE1, tag: 'P', options: { build: 'GRCh37' } },
      { path: EXOME, tag: 'E', options: { targets: bed } },
      { path: GVCF, tag: 'G' },
      { path: NYGC, tag: 'N' },
    ]);
    indexed = { phase1: indexedCopy(PHASE1, dir.path, 'phase1'), exome: indexedCopy(EXOME, dir.path, 'exome') };
    nameOf = new Map();
    for (const [key, patientId] of loaded.patientOf) for (const s of loaded.vault.catalog.samplesOf(patientId)) nameOf.set(s.sampleId, key);
  });
  after(async () => {
    await loaded?.close();
    await dir?.remove();
  });

  const expectedIn = (region: string) => countsFrom([
    { tag: 'P', records: bcftoolsRegion(indexed.phase1, region), samples: scanVcf(PHASE1).samples },
    { tag: 'E', records: bcftoolsRegion(indexed.exome, region), samples: scanVcf(EXOME).samples },
  ]);

  it('refuses a cohort query without a build when the vault holds two, naming them', async () => {
    await assert.rejects(loaded.queries.alleleCounts('22:50400000-50450000'), (err: Error) => {
      assert.ok(err instanceof QueryInputError);
      assert.equal(err.field, 'build');
      assert.match(err.message, /more than one reference build \(GRCh37: 28 samples, GRCh38: 100 samples\)/);
      return true;
    });
  });

  it('inside the exome\'s targets: every GRCh37 sample but the gVCF is counted, and the counts are bcftools\'s', async () => {
    const region = '22:50400001-50450000';
    const answer = await loaded.queries.alleleCounts(region, { build: 'GRCh37' });
    const expected = expectedIn(region);
    assert.ok(expected.size > 0);
    assert.deepEqual(answer.variants.map((v) => `${v.pos}:${v.ref}:${v.alt}`).sort(), [...expected.keys()].sort());
    for (const v of answer.variants) {
      const want = expected.get(`${v.pos}:${v.ref}:${v.alt}`)!;
      assert.deepEqual([v.alleleCount, v.carriers], [want.alleleCount, want.carriers.length], `${v.pos}`);
      assert.equal(v.samplesCovering, 27, 'five genomes and the 22 exomes cover every position here');
      assert.equal(v.chrom, '22', 'the spelling the query used');
      assert.equal(v.build, 'GRCh37');
    }
    assert.equal(answer.samplesQueried, 27);
    assert.deepEqual(answer.samplesLeftOut, { otherBuild: 100, noRecordedBuild: 0, notCovering: 1 });
    assert.deepEqual(answer.notes.map((n) => n.code), ['samples_left_out', 'samples_not_covering']);
  });

  it('outside the targets: an exome counts only where it carries the allele, and the answer says how many did not cover the region', async () => {
    const region = '22:50460000-50600000';
    const answer = await loaded.queries.alleleCounts(region, { build: 'GRCh37' });
    const expected = expectedIn(region);
    const exomeCarriers = new Set([...expected.values()].flatMap((e) => e.carriers).filter((c) => c.startsWith('E:')));
    assert.ok(exomeCarriers.size < 22, 'some exomes carry nothing here');
    assert.equal(answer.samplesQueried, 5 + exomeCarriers.size);
    assert.deepEqual(answer.samplesLeftOut, { otherBuild: 100, noRecordedBuild: 0, notCovering: 22 - exomeCarriers.size + 1 });
    for (const v of answer.variants) {
      const want = expected.get(`${v.pos}:${v.ref}:${v.alt}`)!;
      assert.deepEqual([v.alleleCount, v.carriers], [want.alleleCount, want.carriers.length]);
      assert.equal(v.samplesCovering, 5 + want.carriers.filter((c) => c.startsWith('E:')).length, `${v.pos}: the genomes, and the exomes carrying it`);
    }
  });

  it('carriers of one allele are bcftools\'s, among the samples of the build that cover it', async () => {
    const region = '22:50400001-50450000';
    const [key, want] = [...expectedIn(region)].reduce((a, b) => (b[1].carriers.length > a[1].carriers.length ? b : a));
    const [pos, ref, alt] = key.split(':');
    const answer = await loaded.queries.carriers(`chr22:${pos}:${ref}:${alt}`, { build: 'hg19' });
    assert.deepEqual(answer.carriers.map((c) => nameOf.get(c.sampleId)).sort(), [...want.carriers].sort());
    assert.ok(answer.carriers.every((c) => c.chrom === 'chr22' && c.build === 'GRCh37'));
    assert.equal(answer.samplesQueried, 27);
    assert.deepEqual(answer.samplesLeftOut, { otherBuild: 100, noRecordedBuild: 0, notCovering: 1 });
  });

  it('the research index answered these, and the per-sample partitions answer the same', async () => {
    const index = loaded.queries.cohortIndex!;
    assert.ok(index.answersFor('GRCh37') && index.answersFor('GRCh38'));
    const loadedBefore = index.engine.stats().windowsLoaded + index.engine.stats().cacheHits;
    for (const [region, build] of [['22:50400001-50450000', 'GRCh37'], ['22:50460000-50600000', 'GRCh37'], ['chr20:1-64444167', 'GRCh37'], ['chr22:10510000-10515000', 'GRCh38'], ['chr22', 'GRCh38']] as const) {
      const fromIndex = await loaded.queries.alleleCounts(region, { build });
      assert.deepEqual(fromIndex, await loaded.queries.alleleCounts(region, { build, perSample: true }), region);
      for (const v of fromIndex.variants.filter((_, i) => i % 97 === 0)) {
        const allele = `${v.chrom}:${v.pos}:${v.ref}:${v.alt}`;
        if (!/^[^:]+:\d+:[ACGTN]+:[ACGTN*]+$/i.test(allele)) continue;
        assert.deepEqual(await loaded.queries.carriers(allele, { build }), await loaded.queries.carriers(allele, { build, perSample: true }), allele);
      }
    }
    assert.ok(index.engine.stats().windowsLoaded + index.engine.stats().cacheHits > loadedBefore, 'the index was read');
  });

  it('a GRCh38 cohort question counts the GRCh38 samples only', async () => {
    const answer = await loaded.queries.alleleCounts('chr22:10510000-10515000', { build: 'GRCh38' });
    assert.equal(answer.samplesQueried, 100);
    assert.deepEqual(answer.samplesLeftOut, { otherBuild: 28, noRecordedBuild: 0, notCovering: 0 });
    assert.ok(answer.variants.length > 0 && answer.variants.every((v) => v.samplesCovering === 100));
  });
});
