import { strict as assert } from 'node:assert';
import { writeFile, chmod, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readMasterKeyFile, writeMasterKeyFile, newMasterKey, masterKeyFromBase64, MasterKeyError } from '../../../vault/crypto/master-key.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';

describe('master key', () => {
  let dir: { path: string; remove: () => Promise<void> };
  beforeEach(async () => (dir = await makeTempDir()));
  afterEach(() => dir.remove());

  it('writes a key file with mode 0600 and reads it back', async () => {
    const path = join(dir.path, 'vault.master-key');
    const key = newMasterKey(path);
    await writeMasterKeyFile(path, key);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    const back = await readMasterKeyFile(path);
    assert.deepEqual(back.bytes, key.bytes);
    assert.equal(back.fingerprint, key.fingerprint);
  });

  it('refuses a key file readable by group or others', async () => {
    const path = join(dir.path, 'k');
    await writeMasterKeyFile(path, newMasterKey(path));
    for (const mode of [0o640, 0o604, 0o644, 0o666]) {
      await chmod(path, mode);
      await assert.rejects(readMasterKeyFile(path), (e: Error) => e instanceof MasterKeyError && /chmod 600/.test(e.message));
    }
  });

  it('refuses keys of the wrong length or encoding, without echoing them', async () => {
    assert.throws(() => masterKeyFromBase64(Buffer.alloc(16).toString('base64'), 'env'), /32 bytes/);
    assert.throws(() => masterKeyFromBase64('not base64 !!', 'env'), (e: Error) => /not base64/.test(e.message) && !e.message.includes('!!'));
    const path = join(dir.path, 'short');
    await writeFile(path, Buffer.alloc(31).toString('base64'), { mode: 0o600 });
    await assert.rejects(readMasterKeyFile(path), /32 bytes/);
  });

  it('fingerprints differ per key and do not contain the key', async () => {
    const a = newMasterKey('a');
    const b = newMasterKey('b');
    assert.notEqual(a.fingerprint, b.fingerprint);
    assert.ok(!a.fingerprint.includes(a.bytes.toString('hex').slice(0, 16)));
    const path = join(dir.path, 'k2');
    await writeMasterKeyFile(path, a);
    assert.equal((await readFile(path, 'utf8')).trim(), a.bytes.toString('base64'));
  });
});
