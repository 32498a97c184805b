import { strict as assert } from 'node:assert';
import { readFile, writeFile, readdir, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { Vault } from '../../../vault/store/vault.ts';
import { newMasterKey, MasterKeyError } from '../../../vault/crypto/master-key.ts';
import { SealedObjectError, readSealedHeader } from '../../../vault/crypto/sealed-object.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { hashTree } from '../../helpers/hash-tree.ts';
import { editSealedHeader } from '../../helpers/edit-sealed-header.ts';

async function readSealedHeaderOf(file: string) {
  return readSealedHeader(await readFile(file), file).header;
}

/** A vault whose catalog is at version 2 (one patient registered), and its version-1 catalog file. */
async function vaultAtCatalogV2(dataDir: string) {
  const kek = newMasterKey('test');
  await (await Vault.init(dataDir, kek)).close();
  const v1Catalog = await readFile(join(dataDir, 'catalog', 'catalog.v1.gvs'));
  const vault = await Vault.open(dataDir, kek, { write: true });
  const change = vault.beginChange();
  change.patientIdFor('MRN0000009');
  await vault.commit(change);
  await vault.close();
  return { kek, v1Catalog };
}

async function vaultWithTwoSamples(dataDir: string) {
  const kek = newMasterKey('test');
  await (await Vault.init(dataDir, kek)).close();
  const vault = await Vault.open(dataDir, kek, { write: true });
  const change = vault.beginChange();
  const ids: string[] = [];
  for (const [mrn, text] of [['MRN0000001', 'first sample bytes'], ['MRN0000002', 'second sample bytes']] as const) {
    const patientId = change.patientIdFor(mrn);
    const sampleId = change.addSample({ patientId, name: mrn, build: 'GRCh38', fileformat: 'VCFv4.2', ingestedAt: '2026-01-01T00:00:00Z', sourceSha256: 'x', coverage: { source: 'assumed_wgs', partitionId: null, intervals: 0 } });
    await change.writePartition({ sampleId, chrom: 'chr17', minPos: 1, maxPos: 9, rows: 1, build: 'GRCh38', kind: 'calls' }, Buffer.from(text));
    ids.push(sampleId);
  }
  await vault.commit(change);
  return { vault, kek, ids };
}

describe('sealed vault store', () => {
  let dir: { path: string; remove: () => Promise<void> };
  beforeEach(async () => (dir = await makeTempDir()));
  afterEach(() => dir.remove());

  it('reads back what it committed, after reopening', async () => {
    const data = join(dir.path, 'v');
    const { vault, kek, ids } = await vaultWithTwoSamples(data);
    await vault.close();
    const again = await Vault.open(data, kek, { write: false });
    const parts = again.catalog.callPartitions();
    assert.equal(parts.length, 2);
    assert.equal((await again.read(parts.find((p) => p.sampleId === ids[1])!)).toString(), 'second sample bytes');
    assert.equal(again.catalog.patientByMrn('MRN0000001')?.patientId, again.catalog.sample(ids[0]!)?.patientId);
  });

  it('refuses a wrong master key with a clear error and writes nothing', async () => {
    const data = join(dir.path, 'v');
    const { vault } = await vaultWithTwoSamples(data);
    await vault.close();
    const before = await hashTree(data);
    await assert.rejects(Vault.open(data, newMasterKey('wrong'), { write: true }), (e: Error) => e instanceof MasterKeyError && /wrong master key/.test(e.message));
    assert.deepEqual(await hashTree(data), before);
  });

  it('detects an edited, truncated, swapped or rolled-back partition and names the file', async () => {
    const data = join(dir.path, 'v');
    const { vault, kek, ids } = await vaultWithTwoSamples(data);
    const [a, b] = vault.catalog.callPartitions();
    await vault.close();
    const fileA = join(data, a!.file);
    const original = await readFile(fileA);

    const edited = Buffer.from(original);
    edited[edited.length - 3]! ^= 0x40;
    await writeFile(fileA, edited);
    const v = await Vault.open(data, kek, { write: false });
    await assert.rejects(v.read(a!), (e: Error) => e instanceof SealedObjectError && e.failure === 'tampered' && e.message.startsWith(a!.file));

    await writeFile(fileA, original);
    await truncate(fileA, original.length - 5);
    await assert.rejects(v.read(a!), (e: Error) => e instanceof SealedObjectError && e.failure === 'truncated' && e.message.includes(a!.file));

    await writeFile(fileA, await readFile(join(data, b!.file)));
    await assert.rejects(v.read(a!), (e: Error) => e instanceof SealedObjectError && e.failure === 'swapped');
    await writeFile(fileA, original);
    assert.equal((await v.read(a!)).toString(), 'first sample bytes');
    assert.ok(ids.length === 2);
    await v.close();
  });

  it('detects a rolled-back catalog (an older sealed version put in place of the current one)', async () => {
    const data = join(dir.path, 'v');
    const { kek, v1Catalog } = await vaultAtCatalogV2(data);
    assert.deepEqual(await readdir(join(data, 'catalog')), ['catalog.v2.gvs']);
    await writeFile(join(data, 'catalog', 'catalog.v2.gvs'), v1Catalog);
    await assert.rejects(Vault.open(data, kek, { write: false }), (e: Error) => e instanceof SealedObjectError && e.failure === 'rolled_back' && e.message.includes('catalog.v2.gvs'));
  });

  it('refuses an older catalog whose header was edited to the current version (only the AAD can tell)', async () => {
    const data = join(dir.path, 'v');
    const { kek, v1Catalog } = await vaultAtCatalogV2(data);
    await writeFile(join(data, 'catalog', 'catalog.v2.gvs'), editSealedHeader(v1Catalog, (h) => ({ ...h, version: 2 })));
    await assert.rejects(Vault.open(data, kek, { write: false }), (e: Error) => e instanceof SealedObjectError && e.failure === 'tampered' && e.message.includes('catalog.v2.gvs'));
  });

  it('refuses a partition put in place of another of the same sample, its header edited to match (same key: only the AAD can tell)', async () => {
    const data = join(dir.path, 'v');
    const kek = newMasterKey('test');
    await (await Vault.init(data, kek)).close();
    const vault = await Vault.open(data, kek, { write: true });
    const change = vault.beginChange();
    const patientId = change.patientIdFor('MRN0000001');
    const sampleId = change.addSample({ patientId, name: 's', build: 'GRCh38', fileformat: 'VCFv4.2', ingestedAt: '2026-01-01T00:00:00Z', sourceSha256: 'x', coverage: { source: 'assumed_wgs', partitionId: null, intervals: 0 } });
    for (const chrom of ['chr1', 'chr2']) await change.writePartition({ sampleId, chrom, minPos: 1, maxPos: 9, rows: 1, build: 'GRCh38', kind: 'calls' }, Buffer.from(`${chrom} calls`));
    await vault.commit(change);
    const [first, second] = vault.catalog.callPartitions();
    await vault.close();
    const secondEntry = { objectId: second!.partitionId, version: (await readSealedHeaderOf(join(data, second!.file))).version };
    const moved = editSealedHeader(await readFile(join(data, first!.file)), (h) => ({ ...h, ...secondEntry }));
    await writeFile(join(data, second!.file), moved);
    const v = await Vault.open(data, kek, { write: false });
    await assert.rejects(v.read(second!), (e: Error) => e instanceof SealedObjectError && e.failure === 'tampered' && e.message.startsWith(second!.file));
    assert.equal((await v.read(first!)).toString(), 'chr1 calls');
    await v.close();
  });

  it('a change that is aborted leaves the directory byte-for-byte as before', async () => {
    const data = join(dir.path, 'v');
    const { vault } = await vaultWithTwoSamples(data);
    const before = await hashTree(data);
    const change = vault.beginChange();
    const patientId = change.patientIdFor('MRN0000003');
    const sampleId = change.addSample({ patientId, name: 'x', build: null, fileformat: 'VCFv4.2', ingestedAt: 'now', sourceSha256: 'y', coverage: { source: 'assumed_wgs', partitionId: null, intervals: 0 } });
    await change.writePartition({ sampleId, chrom: 'chr1', minPos: 1, maxPos: 1, rows: 1, build: null, kind: 'calls' }, Buffer.from('z'));
    await change.abort();
    assert.deepEqual(await hashTree(data), before);
    await vault.close();
  });
});
