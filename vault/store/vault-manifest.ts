// The manifest: the one file sealed directly under the master key. It holds every data key
// (DEK) and points at the current catalog version. Replacing it (atomic rename) is the commit
// point of every change, so a vault is always at one consistent generation.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seal, open, aadOf, AuthenticationError } from '../crypto/aead.ts';
import { MasterKeyError, type MasterKey } from '../crypto/master-key.ts';
import { writeFileAtomic } from '../fs/atomic.ts';

const MAGIC = Buffer.from('GVMANI1\n', 'latin1');
export const MANIFEST_FILE = 'manifest.gvs';

export interface ManifestBody {
  /** data keys by key id, base64; a sample's key id is its sample id */
  keys: Record<string, string>;
  catalog: { version: number; keyId: string };
}

interface ManifestHeader {
  vaultId: string;
  generation: number;
  kekFingerprint: string;
}

export interface Manifest extends ManifestHeader {
  body: ManifestBody;
}

function aadFor(h: ManifestHeader): Buffer {
  return aadOf('genovault/manifest/v1', h.vaultId, h.generation, h.kekFingerprint);
}

export async function writeManifest(dataDir: string, kek: MasterKey, manifest: Omit<Manifest, 'kekFingerprint'>): Promise<void> {
  const header: ManifestHeader = { vaultId: manifest.vaultId, generation: manifest.generation, kekFingerprint: kek.fingerprint };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(headerBytes.length);
  const box = seal(kek.bytes, Buffer.from(JSON.stringify(manifest.body), 'utf8'), aadFor(header));
  await writeFileAtomic(join(dataDir, MANIFEST_FILE), Buffer.concat([MAGIC, len, headerBytes, box]));
}

/** Reads only the plaintext header: which vault, which generation, which master key. */
export async function readManifestHeader(dataDir: string): Promise<{ header: ManifestHeader; bytes: Buffer; boxStart: number }> {
  const file = join(dataDir, MANIFEST_FILE);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    throw new MasterKeyError(`${dataDir} holds no vault manifest (${MANIFEST_FILE}); run genovault init first`);
  }
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new Error(`${MANIFEST_FILE}: not a GenoVault manifest, or truncated`);
  }
  const headerLength = bytes.readUInt32BE(MAGIC.length);
  const boxStart = MAGIC.length + 4 + headerLength;
  if (boxStart > bytes.length) throw new Error(`${MANIFEST_FILE}: truncated`);
  let header: ManifestHeader;
  try {
    header = JSON.parse(bytes.subarray(MAGIC.length + 4, boxStart).toString('utf8')) as ManifestHeader;
  } catch {
    throw new Error(`${MANIFEST_FILE}: damaged header`);
  }
  return { header, bytes, boxStart };
}

export async function readManifest(dataDir: string, kek: MasterKey): Promise<Manifest> {
  return (await readManifestWithKey(dataDir, (fingerprint) => Promise.resolve(fingerprint === kek.fingerprint ? kek : null))).manifest;
}

/**
 * Reads the manifest once, asking `keyFor` for the master key its header names (another process
 * may have rotated it since this one last read the manifest).
 */
export async function readManifestWithKey(dataDir: string, keyFor: (fingerprint: string) => Promise<MasterKey | null>): Promise<{ manifest: Manifest; kek: MasterKey }> {
  const { header, bytes, boxStart } = await readManifestHeader(dataDir);
  const kek = await keyFor(header.kekFingerprint);
  if (!kek || header.kekFingerprint !== kek.fingerprint) {
    throw new MasterKeyError(
      'wrong master key: this vault was sealed under a different master key (nothing was read or written)',
    );
  }
  return { manifest: openManifestBox(header, bytes, boxStart, kek), kek };
}

function openManifestBox(header: ManifestHeader, bytes: Buffer, boxStart: number, kek: MasterKey): Manifest {
  try {
    const body = JSON.parse(open(kek.bytes, bytes.subarray(boxStart), aadFor(header)).toString('utf8')) as ManifestBody;
    return { ...header, body };
  } catch (err) {
    if (err instanceof AuthenticationError) throw new Error(`${MANIFEST_FILE}: failed authentication (modified or damaged)`);
    throw err;
  }
}
