// Real public VCFs (test/fixtures/vcf): every 'valid' file ingests and every 'invalid' one is refused; and
// exact expectations, computed independently by a plain line scan, for sample counts, calls, multi-allelic
// splits, zygosity, phasing, gVCF coverage, chromosome names and build.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readVcf, VcfFormatError } from '../../../../vault/ingest/vcf/read-vcf.ts';
import { Zygosity, type CallBatch, type ParsedVcf } from '../../../../vault/ingest/call-columns.ts';
import { carriedAlleles, isReferenceBlock, scanVcf } from './vcf-scan.ts';

const ROOT = join(import.meta.dirname, '../../../fixtures/vcf');
const real = (name: string): string => join(ROOT, 'real', name);

function rowsOf(parsed: ParsedVcf, sample: number): number {
  return (parsed.samples[sample]?.batches ?? []).reduce((sum, b) => sum + b.rows, 0);
}

function batch(parsed: ParsedVcf, sample: number, chrom: string): CallBatch {
  const found = parsed.samples[sample]?.batches.find((b) => b.chrom === chrom);
  assert.ok(found, `no batch for ${chrom}`);
  return found;
}

/** 'lenient' files default mode reads, with the warning that names what it tolerated; strict mode refuses them. */
const LENIENT_ACCEPTED: Record<string, string> = {
  'vcf/malformed/pyvcf_empty-info-values.vcf': 'pyvcf_empty-info-values.vcf:14:35: INFO EMPTY_1 has an empty value (accepted: read as missing',
};

describe('readVcf on the real files of test/fixtures/vcf', () => {
  const rows = readFileSync(join(ROOT, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  for (const [file, expect] of rows.filter((r) => r[1] === 'valid' || r[1] === 'invalid' || r[1] === 'lenient')) {
    it(`${expect === 'valid' ? 'ingests' : 'refuses'} ${file ?? ''}`, async () => {
      const path = join(ROOT, (file ?? '').replace(/^vcf\//, ''));
      if (expect === 'valid') {
        const parsed = await readVcf(path, { workers: 0 });
        const scan = scanVcf(path);
        assert.equal(parsed.samples.length, scan.samples.length);
        assert.equal(parsed.records, scan.records.length);
        for (let s = 0; s < scan.samples.length; s++) {
          const expected = scan.records.reduce((sum, r) => sum + carriedAlleles(r, s).length, 0);
          assert.equal(rowsOf(parsed, s), expected, `sample ${s} calls`);
        }
      } else if (file && file in LENIENT_ACCEPTED) {
        const parsed = await readVcf(path, { workers: 0 });
        assert.ok(parsed.warnings.some((w) => w.includes(LENIENT_ACCEPTED[file] ?? '')), parsed.warnings.join(' | '));
        await assert.rejects(readVcf(path, { workers: 0, strict: true }), VcfFormatError);
      } else {
        // the other 'lenient' files are refused: each breaks a rule that default mode keeps (see test/fixtures/README.md)
        await assert.rejects(readVcf(path, { workers: 0 }), VcfFormatError);
      }
    });
  }

  it('1000 Genomes phase 1 chr22: 5 phased samples, normalised chromosome, exact calls of the first sample', async () => {
    const path = real('1000g-phase1_chr22_5samples_phased.vcf.gz');
    const parsed = await readVcf(path, { workers: 0 });
    const scan = scanVcf(path);
    assert.deepEqual(parsed.samples.map((s) => s.name), scan.samples);
    assert.equal(parsed.records, 10376);
    assert.equal(parsed.fileformat, 'VCFv4.1');
    const calls = batch(parsed, 0, 'chr22');
    const carriers = scan.records.filter((r) => carriedAlleles(r, 0).length > 0);
    assert.equal(calls.rows, carriers.length);
    assert.deepEqual([...calls.pos.slice(0, 5)], carriers.slice(0, 5).map((r) => r.pos));
    assert.ok(calls.phased.every((p) => p === 1), 'every call in this file is phased');
    const first = carriers[0];
    assert.ok(first);
    const gt = (first.samples[0] ?? '').split(':')[0];
    assert.equal(calls.gt[0], gt);
    assert.equal(calls.zygosity[0], gt === '1|1' ? Zygosity.homAlt : Zygosity.het);
    assert.equal(calls.ref[0], first.ref);
    assert.equal(calls.alt[0], first.alts[0]);
    assert.ok(parsed.warnings.some((w) => w.includes('INFO AF is reserved')), 'legacy AF declaration is reported');
    assert.equal(parsed.samples[0]?.coverage.source, 'assumed_wgs');
  });

  it('freebayes: a multi-allelic site carried as 1/2 becomes two het rows (altIndex 1 and 2)', async () => {
    const path = real('freebayes_chr22_7samples.vcf.gz');
    const parsed = await readVcf(path, { workers: 0 });
    const scan = scanVcf(path);
    let checked = 0;
    for (const record of scan.records.filter((r) => r.alts.length > 1)) {
      record.samples.forEach((column, s) => {
        if (!/^1[/|]2:/.test(column)) return;
        const calls = batch(parsed, s, 'chr22');
        const at = [...calls.pos.keys()].filter((i) => calls.pos[i] === record.pos);
        assert.deepEqual(at.map((i) => calls.altIndex[i]), [1, 2]);
        assert.deepEqual(at.map((i) => calls.alt[i]), [record.alts[0], record.alts[1]]);
        assert.deepEqual(at.map((i) => calls.zygosity[i]), [Zygosity.het, Zygosity.het]);
        checked++;
      });
    }
    assert.ok(checked > 0, 'the file has 1/2 calls');
  });

  it('NYGC 30x GRCh38: 100 samples, build from contig lengths/assembly, FILTER, DP and GQ kept', async () => {
    const path = real('1000g-nygc30x-grch38_chr22_100samples.vcf.gz');
    const parsed = await readVcf(path, { workers: 0 });
    assert.equal(parsed.samples.length, 100);
    assert.equal(parsed.build, 'GRCh38');
    const scan = scanVcf(path);
    const sample = parsed.samples.findIndex((s) => s.batches.length > 0);
    const calls = batch(parsed, sample, 'chr22');
    const record = scan.records.find((r) => carriedAlleles(r, sample).length > 0);
    assert.ok(record);
    const fields = (record.samples[sample] ?? '').split(':');
    const dpAt = record.format.indexOf('DP');
    const gqAt = record.format.indexOf('GQ');
    assert.equal(calls.dp[0], dpAt >= 0 && fields[dpAt] !== undefined && fields[dpAt] !== '.' ? Number(fields[dpAt]) : -1);
    assert.equal(calls.gq[0], gqAt >= 0 && fields[gqAt] !== undefined && fields[gqAt] !== '.' ? Number(fields[gqAt]) : -1);
  });

  it('GATK gVCF: reference blocks become merged coverage, are not stored as calls, and <NON_REF> is never a call', async () => {
    const path = real('gatk-gvcf_na12878_chr20-21.g.vcf.gz');
    const parsed = await readVcf(path, { workers: 0 });
    const scan = scanVcf(path);
    const coverage = parsed.samples[0]?.coverage;
    assert.equal(coverage?.source, 'gvcf');
    // reference: blocks (to END) and called variant sites (REF span), merged while they touch
    const expected: { chrom: string; start: number; end: number }[] = [];
    for (const r of scan.records) {
      const gt = (r.samples[0] ?? '').split(':')[0] ?? '';
      const alleles = gt.split(/[/|]/).filter((a) => a !== '.');
      if (alleles.length === 0 || (isReferenceBlock(r) && alleles.some((a) => a !== '0'))) continue;
      const end = isReferenceBlock(r) ? Number(/END=(\d+)/.exec(r.info)?.[1]) : r.pos + r.ref.length - 1;
      const chrom = `chr${r.chrom}`;
      const last = expected[expected.length - 1];
      if (last && last.chrom === chrom && r.pos <= last.end + 1) last.end = Math.max(last.end, end);
      else expected.push({ chrom, start: r.pos, end });
    }
    assert.deepEqual(coverage.intervals, expected);
    assert.equal(coverage.intervals[0]?.start, 1);
    const blocks = scan.records.filter(isReferenceBlock).length;
    assert.ok(blocks > 10000);
    assert.equal(rowsOf(parsed, 0), scan.records.reduce((sum, r) => sum + carriedAlleles(r, 0).length, 0));
    for (const b of parsed.samples[0]?.batches ?? []) assert.ok(!b.alt.includes('<NON_REF>'));
    // every variant site of the sample lies inside its coverage
    const chr21 = batch(parsed, 0, 'chr21');
    const intervals = coverage.intervals.filter((i) => i.chrom === 'chr21');
    for (const pos of chr21.pos) assert.ok(intervals.some((i) => i.start <= pos && pos <= i.end), `chr21:${pos} not covered`);
  });

  it('chrM file: MT/chrM names normalise to chrM', async () => {
    const parsed = await readVcf(real('1000g-nygc30x-grch38_chrM_3samples_indels.vcf.gz'), { workers: 0 });
    const chroms = new Set(parsed.samples.flatMap((s) => s.batches.map((b) => b.chrom)));
    assert.deepEqual([...chroms], ['chrM']);
  });

  it('plain gzip (not BGZF) input parses the same as the scan', async () => {
    const path = real('freebayes_chr22_7samples.vcf.gz');
    const parsed = await readVcf(path, { workers: 0 });
    assert.equal(parsed.records, scanVcf(path).records.length);
    assert.equal(parsed.build, 'GRCh37');
  });
});
