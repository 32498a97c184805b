// Sealed objects: a small plaintext header (what the object claims to be) and one AES-256-GCM
// box whose AAD binds the vault, object id, version and key id the READER expects. A file that
// is swapped for another object, rolled back to an older version, truncated or edited fails
// here, with the file's name in the error.
import { seal, open, aadOf, AuthenticationError, BOX_OVERHEAD } from './aead.ts';

const MAGIC = Buffer.from('GVSEAL1\n', 'latin1');

export interface SealedHeader {
  objectId: string;
  version: number;
  keyId: string;
  /** plaintext length, so a cut file reads as truncated rather than merely unauthentic */
  length: number;
}

export type SealedFailure = 'not_sealed' | 'truncated' | 'swapped' | 'rolled_back' | 'tampered';

export class SealedObjectError extends Error {
  constructor(
    readonly file: string,
    readonly failure: SealedFailure,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'SealedObjectError';
  }
}

function aadFor(vaultId: string, h: Omit<SealedHeader, 'length'>, length: number): Buffer {
  return aadOf('genovault/sealed/v1', vaultId, h.objectId, h.version, h.keyId, length);
}

export function sealObject(key: Uint8Array, vaultId: string, header: Omit<SealedHeader, 'length'>, plaintext: Uint8Array): Buffer {
  const full: SealedHeader = { ...header, length: plaintext.length };
  const headerBytes = Buffer.from(JSON.stringify(full), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(headerBytes.length);
  return Buffer.concat([MAGIC, len, headerBytes, seal(key, plaintext, aadFor(vaultId, header, plaintext.length))]);
}

export function readSealedHeader(bytes: Uint8Array, file: string): { header: SealedHeader; boxStart: number } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < MAGIC.length + 4 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new SealedObjectError(file, buf.length < MAGIC.length ? 'truncated' : 'not_sealed', 'is not a sealed GenoVault object (or is truncated)');
  }
  const headerLength = buf.readUInt32BE(MAGIC.length);
  const boxStart = MAGIC.length + 4 + headerLength;
  if (boxStart > buf.length) throw new SealedObjectError(file, 'truncated', 'is truncated (header cut short)');
  let header: SealedHeader;
  try {
    header = JSON.parse(buf.subarray(MAGIC.length + 4, boxStart).toString('utf8')) as SealedHeader;
  } catch {
    throw new SealedObjectError(file, 'tampered', 'has a damaged header');
  }
  return { header, boxStart };
}

/** Opens a sealed object, checking it is exactly the object and version the caller expects. */
export function openObject(
  key: Uint8Array,
  vaultId: string,
  expected: { objectId: string; version: number; keyId: string },
  bytes: Uint8Array,
  file: string,
): Buffer {
  const { header, boxStart } = readSealedHeader(bytes, file);
  if (header.objectId !== expected.objectId) {
    throw new SealedObjectError(file, 'swapped', `holds object ${header.objectId}, expected ${expected.objectId} (file swapped)`);
  }
  if (header.version !== expected.version) {
    const what = header.version < expected.version ? 'rolled_back' : 'swapped';
    throw new SealedObjectError(file, what, `holds version ${header.version}, expected ${expected.version} (${what === 'rolled_back' ? 'rolled back' : 'unexpected version'})`);
  }
  const available = bytes.length - boxStart - BOX_OVERHEAD;
  if (!Number.isSafeInteger(header.length) || available < header.length) {
    throw new SealedObjectError(file, 'truncated', `is truncated (${Math.max(available, 0)} of ${header.length} bytes)`);
  }
  try {
    return open(key, bytes.subarray(boxStart), aadFor(vaultId, expected, header.length));
  } catch (err) {
    if (err instanceof AuthenticationError) throw new SealedObjectError(file, 'tampered', 'failed authentication: modified, or sealed with another key');
    throw err;
  }
}
