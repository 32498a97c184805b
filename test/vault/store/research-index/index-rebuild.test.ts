// A vault made before the research index (simulated: its index dropped) answers cohort questions
// from the per-sample partitions; `rebuildIndex` (genovault index rebuild) builds the index from
// them, after which the index answers, the same as before; a rebuild may change the window width.
import { strict as assert } from 'node:assert';
import { makeTempDir } from '../../../helpers/temp-dir.ts';
import { Vault } from '../../../../vault/store/vault.ts';
import { openQueries } from '../../../../vault/store/patient-queries.ts';
import { rebuildIndex } from '../../../../vault/store/research-index/index-rebuild.ts';
import { indexStatus } from '../../../../vault/store/research-index/index-status.ts';
import { ingestPopulation, type RandomBatch } from './helpers/random-population.ts';

const batches: RandomBatch[] = [
  { coverage: 'targets', samples: 3, blocks: [{ chrom: 'chr1', start: 1, end: 1_800 }], records: [5, 400, 995, 2100].map((pos) => ({ chrom: 'chr1', pos, ref: pos === 995 ? 'ACGTACGTACGT' : 'A', alts: ['C', 'G'], clnsig: 'Pathogenic', gts: ['0/1', '1/2', './.'] })) },
  { coverage: 'gvcf', samples: 2, blocks: [{ chrom: 'chr1', start: 300, end: 2_500 }, { chrom: 'chr2', start: 1, end: 90 }], records: [400, 1700].map((pos) => ({ chrom: 'chr1', pos, ref: 'A', alts: ['C'], clnsig: null, gts: ['1/1', '0/1'] })) },
  { coverage: 'wgs', samples: 2, blocks: [], records: [{ chrom: 'chr2', pos: 50, ref: 'T', alts: ['A'], clnsig: null, gts: ['1', '0/1'] }, { chrom: 'chr1', pos: 5, ref: 'A', alts: ['C'], clnsig: null, gts: ['0/1', '0/0'] }] },
];

const QUESTIONS = ['chr1:1-3000', 'chr1:1000-1000', 'chr1:990-1100', 'chr2:1-100'];

describe('research index: rebuild', function () {
  this.timeout(120_000);
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  beforeEach(async () => (dir = await makeTempDir()));
  afterEach(() => dir.remove());

  it('an older vault without an index answers from the partitions; after a rebuild the index answers the same', async () => {
    const made = await ingestPopulation(dir.path, batches);
    const vault = await Vault.open(made.dir, made.kek, { write: true });
    const expected = [];
    {
      const q = await openQueries(vault, { cacheBudgetMb: 64 });
      for (const region of QUESTIONS) expected.push(await q.alleleCounts(region, { build: 'GRCh38', perSample: true }));
      await q.close();
    }
    // the vault as it was before the index existed
    const change = vault.beginChange();
    for (const s of vault.catalog.data.index!.segments) {
      change.removePack(s.file);
      change.dropKey(s.keyId);
    }
    change.index = undefined;
    await vault.commit(change);
    assert.match(indexStatus(vault.catalog.data)[0]!, /no research index/);
    let q = await openQueries(vault, { cacheBudgetMb: 64 });
    assert.equal(q.cohortIndex!.answersFor('GRCh38'), false);
    for (const [i, region] of QUESTIONS.entries()) assert.deepEqual(await q.alleleCounts(region, { build: 'GRCh38' }), expected[i]);
    assert.equal(q.cohortIndex!.engine.stats().windowsLoaded, 0, 'nothing was read from an index');
    await assert.rejects(q.cohortIndex!.aggregate({ build: 'GRCh38', target: { gene: 'BRCA1' }, sampleIds: [] }), /index rebuild/);
    await q.close();

    const report = await rebuildIndex(vault, { windowWidth: 700 });
    assert.deepEqual([report.samples, report.withoutBuild, report.windowWidth], [7, 0, 700]);
    assert.ok(report.calls > 0 && report.segments > 0);
    assert.match(indexStatus(vault.catalog.data).join('\n'), /700-base windows, 7 samples.*\nGRCh38: 7 of 7 samples indexed \(cohort answers read the index\)/);
    q = await openQueries(vault, { cacheBudgetMb: 64 });
    assert.equal(q.cohortIndex!.answersFor('GRCh38'), true);
    for (const [i, region] of QUESTIONS.entries()) assert.deepEqual(await q.alleleCounts(region, { build: 'GRCh38' }), expected[i], region);
    assert.ok(q.cohortIndex!.engine.stats().windowsLoaded > 0, 'the index answered');
    await q.close();

    // a second rebuild replaces the first: its files and keys are gone
    const first = vault.catalog.data.index!;
    await rebuildIndex(vault);
    const second = vault.catalog.data.index!;
    assert.equal(second.windowWidth, 700, 'the width stays unless asked to change');
    const files = new Set(second.segments.map((s) => s.file));
    for (const s of first.segments) {
      assert.ok(!files.has(s.file));
      assert.throws(() => vault.keyOf(s.keyId), /no data key/);
    }
    await vault.close();
  });
});
