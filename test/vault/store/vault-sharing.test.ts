// One vault, several processes: changes commit under the writer lock, one at a time, without
// losing each other's; a change prepared while another committed is rebased; readers see a commit
// only once they refresh; clean-up never takes a living change's files; a rotation made elsewhere
// is followed through the key file.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { access, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Vault } from '../../../vault/store/vault.ts';
import { VaultLockedError, withWriterLock } from '../../../vault/store/vault-lock.ts';
import { newMasterKey, readMasterKeyFile, writeMasterKeyFile, type MasterKey } from '../../../vault/crypto/master-key.ts';
import { masterKeyFinder } from '../../../vault/crypto/resolve-master-key.ts';
import { prepareReplacement, rotateMasterKey } from '../../../vault/store/key-operations.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';

const here = (path: string) => new URL(path, import.meta.url).href;
const VAULT_MODULE = here('../../../vault/store/vault.ts');
const LOCK_MODULE = here('../../../vault/store/vault-lock.ts');
const KEY_MODULE = here('../../../vault/crypto/master-key.ts');

interface Child {
  /** resolves with the line the child printed first */
  ready: Promise<string>;
  /** resolves with everything it printed once it exits */
  done: Promise<string>;
  /** writes a line to the child's stdin */
  say(line: string): void;
}

/** Runs TypeScript `body` in another Node process; `kek` and `data` are in scope there. */
async function child(dir: string, body: string, kek: MasterKey, data: string): Promise<Child> {
  const file = join(dir, `child-${Math.random().toString(36).slice(2)}.mts`);
  await writeFile(file, `
    import { Vault } from '${VAULT_MODULE}';
    import { withWriterLock } from '${LOCK_MODULE}';
    import { masterKeyFromBase64 } from '${KEY_MODULE}';
    import { createInterface } from 'node:readline';
    const kek = masterKeyFromBase64('${kek.bytes.toString('base64')}', 'test');
    const data = ${JSON.stringify(data)};
    const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
    const nextLine = async () => (await lines.next()).value;
    void Vault; void withWriterLock; void nextLine;
    ${body}
    process.exit(0);
  `);
  const proc = spawn(process.execPath, ['--import', 'tsx', file], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  let onFirst: (line: string) => void = () => undefined;
  const ready = new Promise<string>((resolve) => (onFirst = resolve));
  proc.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('\n')) onFirst(out.split('\n')[0]!);
  });
  const done = new Promise<string>((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited ${code}: ${out}`))));
  });
  return { ready, done, say: (line) => proc.stdin.write(`${line}\n`) };
}

const SAMPLE = { build: 'GRCh38', fileformat: 'VCFv4.2', ingestedAt: '2026-01-01T00:00:00Z', sourceSha256: 'x', coverage: { source: 'assumed_wgs' as const, partitionId: null, intervals: 0 } };

describe('one vault shared by several processes', function () {
  this.timeout(60_000);
  let dir: { path: string; remove: () => Promise<void> };
  let data: string;
  let kek: MasterKey;
  beforeEach(async () => {
    dir = await makeTempDir();
    data = join(dir.path, 'v');
    kek = newMasterKey('test');
    await (await Vault.init(data, kek)).close();
  });
  afterEach(() => dir.remove());

  it('a change prepared while another process committed is rebased onto it: neither is lost, and an MRN registered by both is one patient', async () => {
    const mine = await Vault.open(data, kek, { write: true });
    const change = mine.beginChange();
    const patientId = change.patientIdFor('MRN-SHARED');
    const sampleId = change.addSample({ ...SAMPLE, patientId, name: 'S1' });
    await change.writePartition({ sampleId, chrom: 'chr1', minPos: 1, maxPos: 5, rows: 1, build: 'GRCh38', kind: 'calls' }, Buffer.from('mine'));
    // meanwhile another process registers two patients, one of them the same MRN
    const other = await child(dir.path, `
      const v = await Vault.open(data, kek, { write: true });
      for (const mrn of ['MRN-SHARED', 'MRN-OTHER']) await v.registerPatient(mrn);
      console.log(v.catalog.patientByMrn('MRN-SHARED').patientId);`, kek, data);
    const theirs = (await other.done).trim();
    assert.notEqual(theirs, patientId);
    await mine.commit(change);
    assert.equal(change.committedPatientId(patientId), theirs, 'the MRN keeps the id it was registered with first');
    const reopened = await Vault.open(data, kek, { write: false });
    assert.deepEqual(reopened.catalog.data.patients.map((p) => p.mrn).sort(), ['MRN-OTHER', 'MRN-SHARED']);
    assert.equal(reopened.catalog.sample(sampleId)?.patientId, theirs);
    assert.equal((await reopened.read(reopened.catalog.callPartitions()[0]!)).toString(), 'mine');
  });

  it('commits wait for another process holding the writer lock, and go through once it lets go; past the wait they are refused', async () => {
    const holder = await child(dir.path, `
      await withWriterLock(data, async () => { console.log('holding'); await nextLine(); });`, kek, data);
    await holder.ready;
    const impatient = await Vault.open(data, kek, { write: true, lockWaitMs: 200 });
    await assert.rejects(impatient.registerPatient('MRN-1'), VaultLockedError);
    const patient = await Vault.open(data, kek, { write: true });
    const registering = patient.registerPatient('MRN-2');
    let settled = false;
    void registering.finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(settled, false, 'the commit waits while another process holds the lock');
    holder.say('go');
    await holder.done;
    assert.equal((await registering).created, true);
    assert.ok((await Vault.open(data, kek, { write: false })).catalog.patientByMrn('MRN-2'));
  });

  it('a reader sees another process\'s commit only when it refreshes, and a refresh with nothing new reads nothing', async () => {
    const reader = await Vault.open(data, kek, { write: false });
    assert.equal(await reader.refresh(), false);
    const seen: number[] = [];
    reader.onCatalogChange((catalog) => seen.push(catalog.data.patients.length));
    await (await child(dir.path, `await (await Vault.open(data, kek, { write: true })).registerPatient('MRN-NEW');`, kek, data)).done;
    assert.equal(reader.catalog.patientByMrn('MRN-NEW'), undefined, 'nothing changes under a reader until it refreshes');
    assert.equal(await reader.refresh(), true);
    assert.ok(reader.catalog.patientByMrn('MRN-NEW'));
    assert.deepEqual(seen, [1]);
    assert.equal(await reader.refresh(), false);
  });

  it('clean-up at open leaves a living change\'s files alone and removes those of a change whose process died', async () => {
    const mine = await Vault.open(data, kek, { write: true });
    const change = mine.beginChange();
    const sampleId = change.addSample({ ...SAMPLE, patientId: change.patientIdFor('MRN-LIVE'), name: 'S' });
    const written = await change.writePartition({ sampleId, chrom: 'chr1', minPos: 1, maxPos: 5, rows: 1, build: 'GRCh38', kind: 'calls' }, Buffer.from('live'));
    const dead = await child(dir.path, `
      const v = await Vault.open(data, kek, { write: true });
      const c = v.beginChange();
      const s = c.addSample({ patientId: c.patientIdFor('MRN-DEAD'), name: 'D', build: null, fileformat: 'VCFv4.2', ingestedAt: 'now', sourceSha256: 'x', coverage: { source: 'assumed_wgs', partitionId: null, intervals: 0 } });
      console.log((await c.writePartition({ sampleId: s, chrom: 'chr2', minPos: 1, maxPos: 5, rows: 1, build: null, kind: 'calls' }, Buffer.from('dead'))).file);
      process.kill(process.pid, 'SIGKILL');`, kek, data);
    const deadFile = await dead.ready;
    await dead.done.catch(() => undefined);
    await access(join(data, deadFile));
    await Vault.open(data, kek, { write: true }); // another writer's open cleans up
    await access(join(data, written.file));
    await assert.rejects(access(join(data, deadFile)), 'the dead change\'s file is removed');
    assert.deepEqual((await readdir(join(data, '.changes'))).filter((m) => !m.startsWith(`${process.pid}-`)), [], 'and its marker');
    await mine.commit(change);
    assert.equal((await (await Vault.open(data, kek, { write: false })).read(written)).toString(), 'live');
  });

  it('follows a rotation another process made: the new key is read from the key file (or the key staged beside it), without reopening', async () => {
    const keyFile = `${data}.master-key`;
    await writeMasterKeyFile(keyFile, kek);
    const config = { dataDir: data, masterKeyFile: keyFile, masterKey: undefined };
    const serving = await Vault.open(data, kek, { write: true, findKey: masterKeyFinder(config) });
    const rotator = await Vault.open(data, kek, { write: true });
    await rotateMasterKey(rotator, () => prepareReplacement({ currentKeyFile: keyFile }));
    const rotated = await readMasterKeyFile(keyFile);
    assert.notEqual(rotated.fingerprint, kek.fingerprint);
    assert.equal(await serving.refresh(), true);
    assert.equal(serving.masterKeyFingerprint, rotated.fingerprint);
    // and what it commits next is sealed under the new key
    await serving.registerPatient('MRN-AFTER');
    assert.ok((await Vault.open(data, rotated, { write: false })).catalog.patientByMrn('MRN-AFTER'));
    // a process whose key cannot change (GENOVAULT_MASTER_KEY) says so instead of reading on
    const fixed = await Vault.open(data, rotated, { write: false, findKey: masterKeyFinder({ ...config, masterKey: { reveal: () => '' } as never }) });
    await rotateMasterKey(rotator, () => prepareReplacement({ currentKeyFile: keyFile }));
    await assert.rejects(fixed.refresh(), /replaced by another process .* restart it with the new key/);
  });

  it('in one process, two vault objects on one directory take turns at the lock', async () => {
    const a = await Vault.open(data, kek, { write: true });
    const b = await Vault.open(data, kek, { write: true });
    let inside = 0;
    let most = 0;
    await Promise.all([a, b, a, b].map((v, i) => withWriterLock(data, async () => {
      inside++;
      most = Math.max(most, inside);
      await v.registerPatient(`MRN-${i}`);
      inside--;
    })));
    assert.equal(most, 1);
    assert.equal((await Vault.open(data, kek, { write: false })).catalog.data.patients.length, 4);
  });
});
