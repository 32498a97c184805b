// The master key (KEK): 32 bytes from GENOVAULT_MASTER_KEY (base64) or a key file readable by its
// owner only. It never touches the data directory; it only wraps the vault's data keys.
import { createHmac, randomBytes } from 'node:crypto';
import { readFile, stat, rename, unlink } from 'node:fs/promises';
import { KEY_BYTES } from './aead.ts';
import { writeFileAtomic } from '../fs/atomic.ts';

export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}

export interface MasterKey {
  readonly bytes: Buffer;
  /** keyed digest that names the key without revealing it; used to say "wrong key" clearly */
  readonly fingerprint: string;
  /** where it came from: 'env' or the key file path */
  readonly origin: string;
}

export function fingerprintOf(bytes: Uint8Array): string {
  return createHmac('sha256', bytes).update('genovault/master-key-fingerprint/v1').digest('hex').slice(0, 32);
}

export function masterKeyFromBase64(text: string, origin: string): MasterKey {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) throw new MasterKeyError(`master key from ${origin} is not base64`);
  const bytes = Buffer.from(trimmed, 'base64');
  if (bytes.length !== KEY_BYTES) {
    throw new MasterKeyError(`master key from ${origin} must decode to ${KEY_BYTES} bytes, got ${bytes.length}`);
  }
  return { bytes, fingerprint: fingerprintOf(bytes), origin };
}

export function newMasterKey(origin: string): MasterKey {
  const bytes = randomBytes(KEY_BYTES);
  return { bytes, fingerprint: fingerprintOf(bytes), origin };
}

export async function readMasterKeyFile(path: string): Promise<MasterKey> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new MasterKeyError(`master key file ${path} does not exist or cannot be read`);
  }
  if ((info.mode & 0o077) !== 0) {
    const mode = (info.mode & 0o777).toString(8);
    throw new MasterKeyError(`master key file ${path} has mode ${mode}; refusing it: run chmod 600 on it`);
  }
  return masterKeyFromBase64(await readFile(path, 'utf8'), path);
}

export async function writeMasterKeyFile(path: string, key: MasterKey): Promise<void> {
  await writeFileAtomic(path, key.bytes.toString('base64') + '\n', 0o600);
}

/** Path where a replacement key waits until the manifest sealed under it is committed. */
export function pendingKeyPath(path: string): string {
  return `${path}.next`;
}

/** Stages a new key beside the current one (step 1 of a rotation). */
export async function stageMasterKeyFile(path: string, key: MasterKey): Promise<void> {
  await writeMasterKeyFile(pendingKeyPath(path), key);
}

/** Makes the staged key the current one (last step of a rotation); the old key is overwritten. */
export async function promoteStagedMasterKey(path: string): Promise<void> {
  await rename(pendingKeyPath(path), path);
}

export async function discardStagedMasterKey(path: string): Promise<void> {
  await unlink(pendingKeyPath(path)).catch(() => undefined);
}
