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
});
