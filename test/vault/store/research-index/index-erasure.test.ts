// Erasure reaches the research index: the erased sample's rows and coverage leave every window
// (each current segment is decrypted and read here), every key that ever sealed them leaves the
// manifest, so a backup of the old index files opens with no key the vault holds, and a running
// engine forgets the windows it had loaded.
import { strict as assert } from 'node:assert';
import { access, cp } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '../../../helpers/temp-dir.ts';
import { Vault } from '../../../../vault/store/vault.ts';
import { writeMasterKeyFile, readMasterKeyFile } from '../../../../vault/crypto/master-key.ts';
import { readManifest } from '../../../../vault/store/vault-manifest.ts';
import { prepareReplacement, eraseSample } from '../../../../vault/store/key-operations.ts';
import { openQueries } from '../../../../vault/store/patient-queries.ts';
import { readCallsSegment, readCoverageSegment, sealedSegment } from '../../../../vault/store/research-index/segment-store.ts';
import { openObject } from '../../../../vault/crypto/sealed-object.ts';
import type { IndexSegment } from '../../../../vault/store/research-index/index-catalog.ts';
import { IndexChangedError } from '../../../../vault/store/research-index/index-engine.ts';
import { ingestPopulation, type RandomBatch } from './helpers/random-population.ts';

/** Five batches alike (so their windows merge), each of two samples over windows 0-2 of chr1, exomes with targets. */
function batches(): RandomBatch[] {
  return Array.from({ length: 5 }, (_, b): RandomBatch => ({
    coverage: b % 2 === 0 ? 'targets' : 'gvcf',
    samples: 2,
    records: [100, 990, 1500, 2600].map((pos, i) => ({ chrom: 'chr1', pos: pos + b, ref: i === 1 ? 'ACGTACGTACGT' : 'A', alts: ['C'], clnsig: null, gts: ['0/1', b % 2 ? '1/1' : '0/0'] })),
    blocks: [{ chrom: 'chr1', start: 1, end: 2_900 }],
  }));
}

async function samplesIn(vault: Vault, segment: IndexSegment): Promise<Set<number>> {
  if (segment.kind === 'calls') return new Set((await readCallsSegment(vault, segment)).sample);
  return new Set((await readCoverageSegment(vault, segment)).memberSample);
}

describe('research index: erasure', function () {
  this.timeout(120_000);
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  beforeEach(async () => (dir = await makeTempDir()));
  afterEach(() => dir.remove());

  it('leaves no trace of the sample in any window, and no key that opens the old index files', async () => {
    const made = await ingestPopulation(dir.path, batches());
    const keyFile = join(dir.path, 'vault.master-key');
    await writeMasterKeyFile(keyFile, made.kek);
    const backup = join(dir.path, 'backup');
    await cp(made.dir, backup, { recursive: true });

    const vault = await Vault.open(made.dir, made.kek, { write: true });
    const queries = await openQueries(vault, { cacheBudgetMb: 64 });
    const oldIndex = structuredClone(vault.catalog.data.index!);
    const erased = vault.catalog.patientByMrn('B0-S0')!;
    const sampleId = vault.catalog.samplesOf(erased.patientId)[0]!.sampleId;
    const n = oldIndex.samples.indexOf(sampleId);
    assert.ok(oldIndex.segments.some((s) => s.keyId !== oldIndex.segments[0]!.keyId), 'several keys: ingests and merges');
    // before: the sample is in windows, and a running engine has loaded them
    const holding: IndexSegment[] = [];
    for (const s of oldIndex.segments) if ((await samplesIn(vault, s)).has(n)) holding.push(s);
    assert.ok(holding.some((s) => s.kind === 'calls') && holding.some((s) => s.kind === 'coverage'));
    const before = await queries.carriers('chr1:100:A:C', { build: 'GRCh38' });
    assert.ok(before.carriers.some((c) => c.sampleId === sampleId));

    await eraseSample(vault, sampleId, await prepareReplacement({ currentKeyFile: keyFile }));

    // the index forgets the sample, and no current segment holds it
    const index = vault.catalog.data.index!;
    assert.equal(index.samples[n], null);
    assert.ok(!index.samples.includes(sampleId));
    for (const s of index.segments) assert.ok(!(await samplesIn(vault, s)).has(n), `segment ${s.id} still holds the sample`);
    // the running engine answers without it, as the per-sample path does
    for (const allele of ['chr1:100:A:C', 'chr1:990:ACGTACGTACGT:C']) {
      const after = await queries.carriers(allele, { build: 'GRCh38' });
      assert.ok(!after.carriers.some((c) => c.sampleId === sampleId));
      assert.deepEqual(after, await queries.carriers(allele, { build: 'GRCh38', perSample: true }));
    }
    assert.deepEqual(await queries.alleleCounts('chr1:1-3000', { build: 'GRCh38' }), await queries.alleleCounts('chr1:1-3000', { build: 'GRCh38', perSample: true }));
    await queries.close();
    await vault.close();

    // every key that sealed the sample's rows is gone: the backup's segments that held it open with no key the vault holds
    const manifest = await readManifest(made.dir, await readMasterKeyFile(keyFile));
    const keys = Object.entries(manifest.body.keys).map(([id, b64]) => ({ id, key: Buffer.from(b64, 'base64') }));
    for (const s of holding) {
      assert.ok(!(s.keyId in manifest.body.keys), `key ${s.keyId} is still in the manifest`);
      const sealed = await sealedSegment(backup, s);
      for (const { id, key } of keys) {
        assert.throws(() => openObject(key, manifest.vaultId, { objectId: s.id, version: 1, keyId: s.keyId }, sealed, s.file), Error, `key ${id} opens ${s.file}`);
      }
    }
    // and none of the files that held it is left in the vault
    const files = new Set(index.segments.map((s) => s.file));
    for (const s of holding) {
      assert.ok(!files.has(s.file));
      await assert.rejects(access(join(made.dir, s.file)), `${s.file} is still on disk`);
    }
  });

  it('a cohort asked again with the very same (frozen) list of ids after the erasure: the erased sample is unknown, never named', async () => {
    const made = await ingestPopulation(dir.path, batches());
    const keyFile = join(dir.path, 'vault.master-key');
    await writeMasterKeyFile(keyFile, made.kek);
    const vault = await Vault.open(made.dir, made.kek, { write: true });
    const queries = await openQueries(vault, { cacheBudgetMb: 64 });
    try {
      const port = queries.cohortIndex!;
      const ids = Object.freeze(vault.catalog.data.samples.map((s) => s.sampleId));
      const erased = vault.catalog.samplesOf(vault.catalog.patientByMrn('B0-S0')!.patientId)[0]!.sampleId;
      const request = { build: 'GRCh38' as const, target: { variant: { chrom: 'chr1', pos: 100, ref: 'A', alt: 'C' } }, sampleIds: ids };
      const named = async () => [...(await port.carriers(request)).carrierPositions].map((p) => ids[p]);
      assert.ok((await named()).includes(erased), 'before: a carrier');
      assert.ok((await port.aggregate(request)).variants[0]!.carrierPositions.includes(ids.indexOf(erased)));
      await eraseSample(vault, erased, await prepareReplacement({ currentKeyFile: keyFile }));
      assert.ok(!(await named()).includes(erased), 'after: not named by the count');
      const after = await port.aggregate(request);
      assert.ok(!after.variants.some((v) => v.carrierPositions.includes(ids.indexOf(erased))), 'nor by the aggregate');
      assert.equal(after.samplesLeftOut.unknown, 1, 'counted as unknown');
    } finally {
      await queries.close();
      await vault.close();
    }
  });

  it('a question whose samples were numbered on an older index is refused by the engine, and the port reads the numbers again', async () => {
    const made = await ingestPopulation(dir.path, batches());
    const vault = await Vault.open(made.dir, made.kek, { write: false });
    const queries = await openQueries(vault, { cacheBudgetMb: 64 });
    try {
      const index = queries.cohortIndex!;
      const ids = vault.catalog.data.samples.map((s) => s.sampleId);
      const scope = index.scope('GRCh38', ids);
      const query = { build: 'GRCh38', chrom: 'chr1', start: 1, end: 3_000 };
      const stale = { ...scope.allowed, from: structuredClone(vault.catalog.data.index!) };
      await assert.rejects(index.engine.carrierSamples(query, stale), IndexChangedError);
      await assert.rejects(index.engine.aggregate(query, stale), IndexChangedError);
      // the port retries with a scope read afresh: a first attempt refused as stale still answers
      let attempts = 0;
      const answer = await index.withScope('GRCh38', ids, async (fresh) => {
        attempts++;
        return index.engine.carrierSamples(query, attempts === 1 ? stale : fresh.allowed);
      });
      assert.equal(attempts, 2);
      assert.ok(answer.length > 0);
      let refused = 0;
      await assert.rejects(index.withScope('GRCh38', ids, () => {
        refused++;
        return index.engine.carrierSamples(query, stale);
      }), IndexChangedError, 'not forever: three attempts, then the error');
      assert.equal(refused, 3);
    } finally {
      await queries.close();
      await vault.close();
    }
  });
});
