// What keeps the research index within the engine's memory budget whatever the cohort: answers
// that list samples per allele (aggregate, records) refuse a region wider than the documented
// maximum, naming the field, while count takes any region and a gene always answers; windows are
// held compressed and counted at what DuckDB measured they took; cached windows fill at most their
// share of the budget, the window in use excepted.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { makeTempDir } from '../../../helpers/temp-dir.ts';
import { Vault } from '../../../../vault/store/vault.ts';
import { openQueries, type PatientQueries } from '../../../../vault/store/patient-queries.ts';
import { QueryInputError } from '../../../../vault/store/query-input-error.ts';
import { MemoryBudget } from '../../../../vault/store/memory-budget.ts';
import { WindowCache, WINDOW_CACHE_SHARE } from '../../../../vault/store/research-index/window-cache.ts';
import type { LoadedWindow } from '../../../../vault/store/research-index/window-tables.ts';
import { callColumns } from '../../../../vault/store/research-index/window-scan.ts';
import { COHORT_LISTED_REGION_MAX } from '../../../../schemas/cohort-index.ts';
import { ingestPopulation, type RandomBatch } from './helpers/random-population.ts';

const SAMPLES = 200;
const RECORDS = 300;
// every sample calls every record, half het and half hom_alt: 60,000 calls
const batch: RandomBatch = {
  coverage: 'wgs', samples: SAMPLES, blocks: [],
  records: Array.from({ length: RECORDS }, (_, i) => ({
    chrom: 'chr1', pos: 1 + i * 20, ref: 'A', alts: ['G'], clnsig: null, gts: Array.from({ length: SAMPLES }, (_, s) => ((s + i) % 2 === 0 ? '0/1' : '1/1')),
  })),
};

describe('research index: memory within the budget', function () {
  this.timeout(120_000);
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let vault: Vault;
  let q: PatientQueries;
  let sampleIds: string[];
  before(async () => {
    dir = await makeTempDir();
    // one window holds every call: a window's first blocks do not blur the measure
    const made = await ingestPopulation(join(dir.path, 'pop'), [batch], { windowWidth: 100_000 });
    vault = await Vault.open(made.dir, made.kek, { write: false });
    q = await openQueries(vault, { cacheBudgetMb: 64 });
    sampleIds = vault.catalog.data.samples.map((s) => s.sampleId);
  });
  after(async () => {
    await q?.close();
    await vault?.close();
    await dir?.remove();
  });

  it('aggregate and records refuse a region wider than the listed maximum, naming the field; count answers it', async () => {
    const port = q.cohortIndex!;
    const wide = { build: 'GRCh38' as const, target: { region: { chrom: 'chr1', start: 1, end: COHORT_LISTED_REGION_MAX + 1 } }, sampleIds };
    for (const level of ['aggregate', 'records'] as const) {
      await assert.rejects(port[level](wide), (err: Error) => {
        assert.ok(err instanceof QueryInputError, err.message);
        assert.equal(err.field, 'region');
        assert.match(err.message, /^region: at most 5,000,000 bases/);
        assert.doesNotMatch(err.message, /5,000,001|5000001/);
        return true;
      });
    }
    const counted = await port.count(wide);
    assert.equal(counted.carrierSampleIds.length, SAMPLES);
    const widest = await port.aggregate({ ...wide, target: { region: { chrom: 'chr1', start: 1, end: COHORT_LISTED_REGION_MAX } } });
    assert.equal(widest.variants.length, RECORDS);
    assert.equal(widest.variants[0]!.carrierPositions.length, SAMPLES);
  });

  it('a gene is never refused, however long (RBFOX1 spans 2.47 Mb on GRCh38; CNTNAP2 2.30 Mb on GRCh37)', async () => {
    const answer = await q.cohortIndex!.aggregate({ build: 'GRCh38', target: { gene: 'RBFOX1' }, sampleIds });
    assert.ok(answer.region.end - answer.region.start + 1 > 2_400_000);
    assert.deepEqual(answer.variants, []);
  });

  it('windows are held compressed and counted at what DuckDB measured they took, with the count level\'s columns', async () => {
    const port = q.cohortIndex!;
    await port.engine.forgetLoaded();
    await port.count({ build: 'GRCh38', target: { region: { chrom: 'chr1', start: 1, end: 10_000 } }, sampleIds });
    const stats = port.engine.stats();
    assert.equal(stats.cachedRows, SAMPLES * RECORDS);
    // as plain in-memory tables the calls took ~50 bytes each (8 numeric columns); DuckDB's
    // compressed tables, with the runs the count level scans (window-scan.ts: 5 bytes a call and
    // 24 an allele), take under a third of that
    const perRow = stats.cachedBytes / stats.cachedRows;
    assert.ok(perRow >= 5 && perRow < 16, `${perRow.toFixed(1)} bytes per call`);
  });

  it('cached windows fill at most their share of the budget, never evicting the window in use', () => {
    const budget = new MemoryBudget(1000);
    const cache = new WindowCache(budget);
    const window = (key: string, bytes: number): LoadedWindow => ({ key, segmentIds: [key], calls: '', intervals: '', members: '', rows: 0, codes: new Int32Array(0), bytes, columns: callColumns({ pos: new Int32Array(0), stop: new Int32Array(0), ref: new Int32Array(0), alt: new Int32Array(0), sample: new Int32Array(0), zygosity: new Uint8Array(0), sig: new Int32Array(0) }, []) });
    for (const key of ['a', 'b', 'c']) cache.add(window(key, 300));
    // 900 held: over the share (750), under the whole budget
    assert.equal(budget.limitBytes * WINDOW_CACHE_SHARE, 750);
    assert.deepEqual(cache.victims('c').map((w) => w.key), ['a']);
    cache.add(window('d', 2000));
    assert.deepEqual(cache.victims('d').map((w) => w.key), ['a', 'b', 'c']);
    cache.close();
  });
});
