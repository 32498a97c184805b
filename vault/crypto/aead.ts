// AES-256-GCM with additional authenticated data, from node:crypto (OpenSSL, hardware AES).
// Every call draws a fresh random 96-bit nonce, so a key never sees the same nonce twice
// within the birthday bound (2^32 messages per key, far beyond what one DEK protects).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const KEY_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
/** Bytes a sealed box adds to its plaintext: nonce and tag. */
export const BOX_OVERHEAD = NONCE_BYTES + TAG_BYTES;

export class AuthenticationError extends Error {
  constructor(message = 'ciphertext failed authentication (wrong key, tampered bytes or wrong context)') {
    super(message);
    this.name = 'AuthenticationError';
  }
}

export function newKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

function checkKey(key: Uint8Array): void {
  if (key.length !== KEY_BYTES) throw new RangeError(`AES-256 key must be ${KEY_BYTES} bytes, got ${key.length}`);
}

/** Encrypts `plaintext`; returns nonce ‖ tag ‖ ciphertext. */
export function seal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Buffer {
  checkKey(key);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), body]);
}

/** Decrypts a box made by `seal`; throws AuthenticationError unless key, bytes and aad all match. */
export function open(key: Uint8Array, box: Uint8Array, aad: Uint8Array): Buffer {
  checkKey(key);
  if (box.length < BOX_OVERHEAD) throw new AuthenticationError('sealed box is shorter than its nonce and tag');
  const buf = Buffer.from(box.buffer, box.byteOffset, box.byteLength);
  const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, NONCE_BYTES));
  decipher.setAAD(aad);
  decipher.setAuthTag(buf.subarray(NONCE_BYTES, BOX_OVERHEAD));
  try {
    return Buffer.concat([decipher.update(buf.subarray(BOX_OVERHEAD)), decipher.final()]);
  } catch {
    throw new AuthenticationError();
  }
}

/** Builds AAD from labelled parts, length-prefixed so that no two part lists collide. */
export function aadOf(...parts: (string | number | bigint | Uint8Array)[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const bytes =
      part instanceof Uint8Array ? Buffer.from(part) : Buffer.from(typeof part === 'string' ? part : String(part), 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    chunks.push(len, bytes);
  }
  return Buffer.concat(chunks);
}
