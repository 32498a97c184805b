// Rewrites the plaintext header of a sealed object and leaves its box untouched: what someone
// with write access but no key can do. The header then agrees with what a reader expects, so
// only the AAD inside the box can tell the object is not what it claims.
import { readSealedHeader, type SealedHeader } from '../../vault/crypto/sealed-object.ts';

const MAGIC_BYTES = 8;

export function editSealedHeader(bytes: Uint8Array, edit: (header: SealedHeader) => SealedHeader): Buffer {
  const { header, boxStart } = readSealedHeader(bytes, 'edited');
  const newHeader = Buffer.from(JSON.stringify(edit({ ...header })), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(newHeader.length);
  return Buffer.concat([Buffer.from(bytes.subarray(0, MAGIC_BYTES)), length, newHeader, Buffer.from(bytes.subarray(boxStart))]);
}
