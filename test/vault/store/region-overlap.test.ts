// Region semantics as tabix and `bcftools view -r` have them: a row belongs to a region when its REF
// allele overlaps it (pos <= end && pos + len(REF) - 1 >= start), so a deletion that starts before
// the region is found, in the patient rows, in allele counts, and past the catalog's pruning.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { QueryEngine } from '../../../vault/store/query-engine.ts';
import { makeBatch, MemorySource, type Call } from './helpers/call-batches.ts';

const MiB = 1024 * 1024;
const del33 = 'A'.repeat(34);

describe('region queries: every row whose REF overlaps the region', () => {
  let engine: QueryEngine;
  let source: MemorySource;
  afterEach(() => engine.close().catch(() => undefined));

  async function open(...batches: [string, Call[], { maxEnd?: boolean }?][]) {
    source = new MemorySource();
    const refs = batches.map(([sample, calls, options], i) => source.add(sample, makeBatch('chr1', calls), 'GRCh38', { ...options, id: `p${i}` }));
    engine = await QueryEngine.open(source, { cacheBudgetBytes: 64 * MiB, threads: 1 });
    return refs;
  }

  it('finds a 33 bp deletion that starts 13 bases before the region, and not a SNV there', async () => {
    const refs = await open(['s1', [{ pos: 18689967, ref: del33, alt: 'A' }, { pos: 18689970, ref: 'C', alt: 'T' }, { pos: 18689995, ref: 'G', alt: 'A' }]]);
    const rows = await engine.variantsOfPatient(refs, { region: { chrom: 'chr1', start: 18689980, end: 18689990 } });
    assert.deepEqual(rows.map((r) => r.pos), [18689967]);
    // the deletion's last base is 18690000: a region starting one past it does not reach it
    assert.deepEqual((await engine.variantsOfPatient(refs, { region: { chrom: 'chr1', start: 18690001, end: 18690010 } })).map((r) => r.pos), []);
    assert.deepEqual((await engine.variantsOfPatient(refs, { region: { chrom: 'chr1', start: 18690000, end: 18690000 } })).map((r) => r.pos), [18689967]);
  });

  it('reads a partition whose rows all start before the region when a REF reaches into it, and skips one that cannot', async () => {
    const refs = await open(['reaches', [{ pos: 18689967, ref: del33, alt: 'A' }]], ['short', [{ pos: 18689960, ref: 'AC', alt: 'A' }]]);
    const rows = await engine.variantsOfPatient(refs, { region: { chrom: 'chr1', start: 18689980, end: 18689990 } });
    assert.deepEqual(rows.map((r) => `${r.sampleId}:${r.pos}`), ['reaches:18689967']);
    assert.deepEqual(source.reads, ['p0'], 'the partition ending before the region is pruned by the catalog');
  });

  it('reads a partition of an older vault (no maxEnd recorded) that starts before the region', async () => {
    const refs = await open(['old', [{ pos: 18689967, ref: del33, alt: 'A' }], { maxEnd: false }]);
    assert.deepEqual((await engine.variantsOfPatient(refs, { region: { chrom: 'chr1', start: 18689980, end: 18689990 } })).map((r) => r.pos), [18689967]);
  });

  it('counts alleles whose REF overlaps the region in cohort answers', async () => {
    const refs = await open(['a', [{ pos: 18689967, ref: del33, alt: 'A', zygosity: 2 }]], ['b', [{ pos: 18689967, ref: del33, alt: 'A' }, { pos: 18689979, ref: 'G', alt: 'T' }]]);
    const counts = await engine.alleleCounts(refs, { chrom: 'chr1', start: 18689980, end: 18689990 });
    assert.deepEqual(counts.variants.map((v) => [v.pos, v.alleleCount, v.carriers]), [[18689967, 3, 2]]);
  });

  it('agrees with the overlap rule for any rows and any region (property)', async function () {
    this.timeout(60_000);
    const call = fc.record({ pos: fc.integer({ min: 1, max: 300 }), len: fc.integer({ min: 1, max: 40 }) });
    await fc.assert(fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 320 }), fc.integer({ min: 0, max: 30 }), async (calls, start, width) => {
      const unique = [...new Map(calls.map((c) => [c.pos, c])).values()].sort((a, b) => a.pos - b.pos);
      const refs = await open(['s', unique.map((c) => ({ pos: c.pos, ref: 'A'.repeat(c.len), alt: 'T' }))]);
      try {
        const end = start + width;
        const rows = await engine.variantsOfPatient(refs, { region: { chrom: 'chr1', start, end } });
        const expected = unique.filter((c) => c.pos <= end && c.pos + c.len - 1 >= start).map((c) => c.pos);
        assert.deepEqual(rows.map((r) => r.pos), expected);
        const counted = await engine.alleleCounts(refs, { chrom: 'chr1', start, end });
        assert.deepEqual(counted.variants.map((v) => v.pos), expected);
      } finally {
        await engine.close();
      }
    }), { numRuns: 40 });
  });
});
