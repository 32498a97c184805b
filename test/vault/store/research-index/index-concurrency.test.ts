// The research index under the writer lock per change: ingests prepared while other changes commit
// (other ingests, an erasure) join the index as committed at their own commit, so the index ends up
// answering as the per-sample partitions do, holds every stored sample once and no erased one.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { makeTempDir } from '../../../helpers/temp-dir.ts';
import { holdWriterLock } from '../../../helpers/hold-writer-lock.ts';
import { Vault } from '../../../../vault/store/vault.ts';
import { newMasterKey, type MasterKey } from '../../../../vault/crypto/master-key.ts';
import { ingestVcf } from '../../../../vault/ingest/ingest-vcf.ts';
import { eraseSample, prepareReplacement } from '../../../../vault/store/key-operations.ts';
import { openQueries } from '../../../../vault/store/patient-queries.ts';
import { rangesHold } from '../../../../vault/store/research-index/index-catalog.ts';
import { readCallsSegment, readCoverageSegment } from '../../../../vault/store/research-index/segment-store.ts';
import { CHROMS, SPAN, batch, batchFiles, ingestPopulation, type RandomBatch } from './helpers/random-population.ts';
import { compare } from './helpers/compare-answers.ts';

/** Every sample number any segment holds, read from the segments themselves, and each segment's numbers. */
async function numbersInSegments(vault: Vault): Promise<{ all: Set<number>; perSegment: Set<number>[] }> {
  const all = new Set<number>();
  const perSegment: Set<number>[] = [];
  for (const s of vault.catalog.data.index!.segments) {
    const numbers = s.kind === 'calls' ? (await readCallsSegment(vault, s)).sample : (await readCoverageSegment(vault, s)).memberSample;
    const mine = new Set<number>();
    for (const n of numbers) {
      if (n < 0) continue;
      assert.ok(rangesHold(s.samples, n), `segment ${s.id} holds sample ${n} outside its recorded ranges`);
      all.add(n);
      mine.add(n);
    }
    perSegment.push(mine);
  }
  return { all, perSegment };
}

/**
 * The index names each stored sample once, no other, and its segments hold no number but theirs;
 * its answers are the partitions'. Returns whether a segment holds samples of several files (a merge).
 */
async function checkIndex(dir: string, kek: MasterKey): Promise<boolean> {
  const vault = await Vault.open(dir, kek, { write: false });
  const q = await openQueries(vault, { cacheBudgetMb: 64 });
  try {
    const index = vault.catalog.data.index!;
    const stored = vault.catalog.data.samples.map((s) => s.sampleId);
    assert.deepEqual(index.samples.filter((id) => id !== null).sort(), [...stored].sort(), 'the index names every stored sample once, and no other');
    const live = new Set(index.samples.flatMap((id, n) => (id === null ? [] : [n])));
    const { all, perSegment } = await numbersInSegments(vault);
    for (const n of all) assert.ok(live.has(n), `a segment holds sample number ${n}, which no stored sample has`);
    assert.ok(q.cohortIndex?.answersFor('GRCh38'));
    for (const chrom of CHROMS) await compare(q, stored, { chrom, start: 1, length: SPAN + 200 }, undefined);
    const fileOf = (n: number) => vault.catalog.sample(index.samples[n]!)?.sourceFile;
    return perSegment.some((numbers) => new Set([...numbers].map(fileOf)).size > 1);
  } finally {
    await q.close();
    await vault.close();
  }
}

describe('research index: changes prepared while others commit', function () {
  this.timeout(600_000);

  it('ingests prepared at once and an erasure committed meanwhile: the index is what the partitions say (fast-check)', async () => {
    const cases = fc.record({
      before: fc.array(batch, { minLength: 1, maxLength: 3 }),
      concurrent: fc.array(batch, { minLength: 2, maxLength: 4 }),
      erase: fc.boolean(),
    });
    // a case that must merge (seven files with calls in one window, FANOUT 4), so the check below
    // that merges were exercised does not rest on the random draw alone
    const shared = (n: number): RandomBatch => ({ coverage: 'wgs', samples: 2, blocks: [], records: [
      { chrom: 'chr1', pos: 100 + n, ref: 'A', alts: ['C'], clnsig: null, gts: ['0/1', '1/1'] },
      { chrom: 'chr1', pos: 400, ref: 'G', alts: ['T'], clnsig: 'Pathogenic', gts: ['0/1', '0/0'] },
    ] });
    const mustMerge = { before: [0, 1, 2].map(shared), concurrent: [3, 4, 5, 6].map(shared), erase: true };
    let merged = 0;
    await fc.assert(fc.asyncProperty(cases, async ({ before, concurrent, erase }) => {
      const dir = await makeTempDir('genovault-index-concurrent-');
      try {
        const made = await ingestPopulation(dir.path, before);
        let kek = made.kek;
        const vault = await Vault.open(made.dir, kek, { write: true });
        const victim = vault.catalog.data.samples[0]!.sampleId;
        // another change holds the lock: every ingest below is prepared on the same committed state
        const held = await holdWriterLock(made.dir);
        const files = await Promise.all(concurrent.map((b, i) => batchFiles(dir.path, before.length + i, b)));
        const generation = vault.generation;
        const ingests = files.map(({ file, options }) => ingestVcf(vault, file, options));
        // queued at the lock before the ingests reach their commit: it commits first
        const newKek = newMasterKey('test');
        const erasure = erase ? eraseSample(vault, victim, await prepareReplacement({ currentKeyFile: null, explicit: newKek })) : null;
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.equal(vault.generation, generation, 'nothing committed while the lock was held');
        await held.release();
        await erasure;
        await Promise.all(ingests);
        if (erase) kek = newKek;
        await vault.close();
        if (await checkIndex(made.dir, kek)) merged++;
      } finally {
        await dir.remove();
      }
    }), { numRuns: 12, examples: [[mustMerge]] });
    assert.ok(merged > 0, 'some cases merged windows holding several files\' samples');
  });
});
