// Samples sequenced on the same targets are given one shared coverage (decoded once), samples on
// other targets their own, and each answers for its own intervals.
import { strict as assert } from 'node:assert';
import { CoverageIndex } from '../../../vault/store/coverage-index.ts';
import { encodeCoverage } from '../../../vault/store/coverage-codec.ts';
import type { CatalogSample } from '../../../vault/store/catalog.ts';
import type { Coverage } from '../../../vault/ingest/call-columns.ts';

const BED_A: Coverage = { source: 'targets', intervals: [{ chrom: 'chr17', start: 100, end: 200 }, { chrom: 'chr17', start: 500, end: 600 }] };
const BED_B: Coverage = { source: 'targets', intervals: [{ chrom: 'chr17', start: 150, end: 160 }] };

const sample = (sampleId: string, partitionId: string) => ({ sampleId, coverage: { source: 'targets', partitionId, intervals: 2 } }) as unknown as CatalogSample;

describe('coverage index', () => {
  it('shares one coverage among samples whose coverage is the same, and keeps others apart', async () => {
    const stored = new Map([['c1', encodeCoverage(BED_A)], ['c2', encodeCoverage(BED_A)], ['c3', encodeCoverage(BED_B)]]);
    const reads: string[] = [];
    const index = new CoverageIndex((id) => {
      reads.push(id);
      return Promise.resolve(stored.get(id)!);
    });
    const [a1, a2, b] = await Promise.all([index.of(sample('s1', 'c1')), index.of(sample('s2', 'c2')), index.of(sample('s3', 'c3'))]);
    assert.equal(a1, a2, 'the same targets: one object');
    assert.notEqual(a1, b);
    assert.deepEqual([a1.covers('chr17', 550), a1.covers('chr17', 300), b.covers('chr17', 550), b.covers('chr17', 155)], [true, false, false, true]);
    // each sample's sealed coverage is still read (it is its own key's), then kept
    assert.deepEqual(reads.sort(), ['c1', 'c2', 'c3']);
    assert.equal(await index.of(sample('s1', 'c1')), a1);
    assert.equal(reads.length, 3);
  });

  it('forgets a coverage once no sample it still holds has it (erasure)', async () => {
    const stored = new Map([['c1', encodeCoverage(BED_A)], ['c2', encodeCoverage(BED_A)], ['c3', encodeCoverage(BED_B)]]);
    const index = new CoverageIndex((id) => Promise.resolve(stored.get(id)!));
    const a = await index.of(sample('s1', 'c1'));
    await index.of(sample('s2', 'c2'));
    const b = await index.of(sample('s3', 'c3'));
    // s3 erased: its coverage is not kept for anyone; s1's is still shared with s2
    index.retainOnly(new Set(['c1', 'c2']));
    assert.equal(await index.of(sample('s2', 'c2')), a);
    assert.notEqual(await index.of(sample('s4', 'c3')), b, 'decoded afresh, not the erased sample\'s copy');
    // both of BED_A's samples erased: a new sample on it gets a new copy
    index.retainOnly(new Set(['c3']));
    assert.notEqual(await index.of(sample('s5', 'c1')), a);
  });
});
