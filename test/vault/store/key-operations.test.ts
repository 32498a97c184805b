import { strict as assert } from 'node:assert';
import { cp, readFile, readdir, access } from 'node:fs/promises';
import { join } from 'node:path';
import { Vault } from '../../../vault/store/vault.ts';
import { newMasterKey, writeMasterKeyFile, readMasterKeyFile, MasterKeyError, pendingKeyPath, stageMasterKeyFile } from '../../../vault/crypto/master-key.ts';
import { resolveMasterKey } from '../../../vault/crypto/resolve-master-key.ts';
import { prepareReplacement, rotateMasterKey, eraseSample, UnknownSampleError } from '../../../vault/store/key-operations.ts';
import { writeManifest, readManifest } from '../../../vault/store/vault-manifest.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { hashTree } from '../../helpers/hash-tree.ts';
import { AlleleTableBuilder } from '../../../vault/ingest/allele-table-builder.ts';
import { encodeAlleleTable, isRemovedAllele } from '../../../vault/store/allele-table-codec.ts';
import { encodeCalls } from '../../../vault/store/calls-codec.ts';

async function setup(root: string) {
  const data = join(root, 'vault');
  const keyFile = `${data}.master-key`;
  const kek = newMasterKey(keyFile);
  await writeMasterKeyFile(keyFile, kek);
  await (await Vault.init(data, kek)).close();
  const vault = await Vault.open(data, kek, { write: true });
  const change = vault.beginChange();
  const sampleIds: string[] = [];
  for (const mrn of ['MRN1', 'MRN2']) {
    const patientId = change.patientIdFor(mrn);
    const sampleId = change.addSample({ patientId, name: mrn, build: null, fileformat: 'VCFv4.2', ingestedAt: 'now', sourceSha256: 'x', coverage: { source: 'assumed_wgs', partitionId: null, intervals: 0 } });
    await change.writePartition({ sampleId, chrom: 'chr1', minPos: 1, maxPos: 2, rows: 1, build: null, kind: 'calls' }, Buffer.from(`data of ${mrn}`));
    sampleIds.push(sampleId);
  }
  await vault.commit(change);
  return { data, keyFile, kek, vault, sampleIds };
}

describe('master key rotation and sample erasure', () => {
  let dir: { path: string; remove: () => Promise<void> };
  beforeEach(async () => (dir = await makeTempDir()));
  afterEach(() => dir.remove());

  it('rotation re-seals the keys without rewriting any data file; only the new key opens the vault', async () => {
    const { data, keyFile, kek, vault } = await setup(dir.path);
    const before = await hashTree(data);
    await rotateMasterKey(vault, await prepareReplacement({ currentKeyFile: keyFile }));
    await vault.close();
    const after = await hashTree(data);
    for (const [file, hash] of Object.entries(before)) {
      if (file.startsWith('samples/')) assert.equal(after[file], hash, `${file} must not be rewritten`);
    }
    assert.notEqual(after['manifest.gvs'], before['manifest.gvs']);
    const newKey = await readMasterKeyFile(keyFile);
    assert.notEqual(newKey.fingerprint, kek.fingerprint);
    await assert.rejects(Vault.open(data, kek, { write: false }), MasterKeyError);
    const reopened = await Vault.open(data, newKey, { write: false });
    assert.equal((await reopened.read(reopened.catalog.callPartitions()[0]!)).toString().startsWith('data of'), true);
    await assert.rejects(access(pendingKeyPath(keyFile)));
  });

  it('with the key in the environment, rotation needs an explicit new key', async () => {
    const { vault } = await setup(dir.path);
    await assert.rejects(prepareReplacement({ currentKeyFile: null }), /GENOVAULT_NEW_MASTER_KEY/);
    await vault.close();
  });

  it('erasure destroys the sample everywhere: files, key, catalog, and older copies of the directory', async () => {
    const { data, keyFile, vault, sampleIds } = await setup(dir.path);
    const backup = join(dir.path, 'backup');
    await cp(data, backup, { recursive: true });
    const [erased, kept] = sampleIds as [string, string];
    await eraseSample(vault, erased, await prepareReplacement({ currentKeyFile: keyFile }));
    assert.equal(vault.catalog.sample(erased), undefined);
    assert.deepEqual(await readdir(join(data, 'samples')), [kept]);
    assert.throws(() => vault.keyOf(erased), /no data key/);
    assert.equal((await vault.read(vault.catalog.callPartitions()[0]!)).toString(), 'data of MRN2');
    await vault.close();
    // The backup still holds the erased sample's files and its wrapped key, but no key that exists opens it.
    const current = await readMasterKeyFile(keyFile);
    await assert.rejects(Vault.open(backup, current, { write: false }), MasterKeyError);
    const manifestFile = await readFile(join(data, 'manifest.gvs'));
    assert.ok(!manifestFile.includes(Buffer.from(erased)), 'the manifest no longer names the erased sample');
  });

  it('refuses to erase an unknown sample and leaves the key file alone', async () => {
    const { data, keyFile, vault } = await setup(dir.path);
    const before = await hashTree(dir.path);
    await assert.rejects(eraseSample(vault, 's_0000000000000000', await prepareReplacement({ currentKeyFile: keyFile })), UnknownSampleError);
    await vault.close();
    assert.deepEqual(await hashTree(dir.path), before);
    assert.ok(data);
  });

  it('finishes a rotation interrupted after the manifest was sealed under the new key', async () => {
    const { data, keyFile, kek, vault } = await setup(dir.path);
    await vault.close();
    const next = newMasterKey(keyFile);
    await stageMasterKeyFile(keyFile, next);
    const manifest = await readManifest(data, kek);
    await writeManifest(data, next, { vaultId: manifest.vaultId, generation: manifest.generation + 1, body: manifest.body });
    // crash here: key file still holds the old key
    const resolved = await resolveMasterKey({ dataDir: data, masterKeyFile: keyFile });
    assert.equal(resolved.fingerprint, next.fingerprint);
    await assert.rejects(access(pendingKeyPath(keyFile)));
    await (await Vault.open(data, resolved, { write: false })).close();
  });

  it('discards a staged key when the crash came before the manifest was sealed under it', async () => {
    const { data, keyFile, kek, vault } = await setup(dir.path);
    await vault.close();
    await stageMasterKeyFile(keyFile, newMasterKey(keyFile));
    const resolved = await resolveMasterKey({ dataDir: data, masterKeyFile: keyFile });
    assert.equal(resolved.fingerprint, kek.fingerprint);
    await assert.rejects(access(pendingKeyPath(keyFile)));
  });

  it('erasing a sample whose allele table is a file of its own keeps the table for the samples still pointing into it', async () => {
    const { vault } = await setup(dir.path);
    const change = vault.beginChange();
    const batch = change.addBatch();
    const base = { build: null, fileformat: 'VCFv4.2', ingestedAt: '', sourceSha256: '', coverage: { source: 'assumed_wgs' as const, partitionId: null, intervals: 0 } };
    const a = change.addSample({ ...base, patientId: change.patientIdFor('MRN7'), name: 'A' });
    const b = change.addSample({ ...base, patientId: change.patientIdFor('MRN8'), name: 'B' });
    const builder = new AlleleTableBuilder('chr1');
    const sites = { chrom: ['chr1', 'chr1'], pos: [100, 200], id: [null, null], ref: ['A', 'C'], alts: [['G'], ['T']], filter: ['PASS', 'PASS'], qual: [50, 60], gene: [[null], [null]], consequence: [[null], [null]], hgvsC: [[null], [null]], hgvsP: [[null], [null]], clnsig: [null, null] };
    builder.add(sites, 0, 1);
    builder.add(sites, 1, 1);
    const table = await change.writePartition({ sampleId: batch, chrom: 'chr1', minPos: 100, maxPos: 200, rows: 2, build: null, kind: 'alleles' }, encodeAlleleTable(builder.finish(['0/1', '1|1'])));
    const one = (row: number, gt: number) => ({ chrom: 'chr1', rows: 1, allele: Uint32Array.of(row), zygosity: Uint8Array.of(1), phased: Uint8Array.of(0), dp: Int32Array.of(10), gq: Int32Array.of(30), gt: Int32Array.of(gt), adRef: Int32Array.of(6), adAlt: Int32Array.of(4), adOther: Int32Array.of(0) });
    await change.writePartition({ sampleId: a, chrom: 'chr1', minPos: 100, maxPos: 100, rows: 1, build: null, kind: 'calls', alleles: table.partitionId }, encodeCalls(one(0, 1), 2));
    const kept = await change.writePartition({ sampleId: b, chrom: 'chr1', minPos: 200, maxPos: 200, rows: 1, build: null, kind: 'calls', alleles: table.partitionId }, encodeCalls(one(1, 0), 2));
    await vault.commit(change);
    await eraseSample(vault, a, await prepareReplacement({ currentKeyFile: null, explicit: newMasterKey('next') }));
    assert.deepEqual(Array.from((await vault.readPartition(vault.catalog.partition(kept.partitionId)!)).pos), [200]);
    const rewritten = vault.catalog.partition(table.partitionId)!;
    assert.equal(rewritten.version, 2);
    assert.deepEqual([rewritten.minPos, rewritten.maxPos], [200, 200], 'the catalog no longer spans the erased allele');
    const left = await vault.alleleTable(table.partitionId);
    assert.ok(isRemovedAllele(left, 0) && !isRemovedAllele(left, 1));
    assert.deepEqual(left.genotypes, ['0/1', ''], "A's genotype string is gone");
    await vault.close();
  });
});
