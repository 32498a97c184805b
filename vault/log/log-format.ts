// The byte format of a sealed log (see README.md): a sealed header that proves key and log id,
// then frames of u32 box length ‖ u64 seq ‖ AES-256-GCM box. The seq sits in clear beside the box
// and inside its AAD, so a misplaced but authentic entry is told apart from an edited one.
import { createHash } from 'node:crypto';
import { seal, open, aadOf, AuthenticationError, BOX_OVERHEAD } from '../crypto/aead.ts';
import type { LogFailure } from './log-integrity-error.ts';

export const LOG_MAGIC = Buffer.from('GVLOG01\n', 'latin1');
export const FRAME_HEADER_BYTES = 12;
/** Largest box a reader accepts; anything longer is damage, not data. */
export const MAX_BOX_BYTES = 16 * 1024 * 1024;
/** Largest entry plaintext a writer accepts. */
export const MAX_ENTRY_BYTES = 1024 * 1024;
const HEADER_PLAINTEXT = Buffer.from('{"format":"genovault-log","version":1}', 'utf8');

export interface LogEntry<T> {
  seq: number;
  /** ISO time of the group commit that made the entry durable */
  at: string;
  /** hex SHA-256 over (previous hash ‖ seq ‖ sealed plaintext) */
  hash: string;
  body: T;
}

export const entryAad = (logId: string, seq: number): Buffer => aadOf('genovault/log/entry/v1', logId, seq);
const headerAad = (logId: string): Buffer => aadOf('genovault/log/header/v1', logId);

/** The hash before the first entry: distinct per log, so two logs never share a chain. */
export function genesisHash(logId: string): Buffer {
  return createHash('sha256').update(aadOf('genovault/log/genesis/v1', logId)).digest();
}

export function chainHash(prev: Uint8Array, seq: number, plaintext: Uint8Array): Buffer {
  const seqBytes = Buffer.alloc(8);
  seqBytes.writeBigUInt64BE(BigInt(seq));
  return createHash('sha256').update(prev).update(seqBytes).update(plaintext).digest();
}

export function encodeHeader(key: Uint8Array, logId: string): Buffer {
  const box = seal(key, HEADER_PLAINTEXT, headerAad(logId));
  const len = Buffer.alloc(4);
  len.writeUInt32BE(box.length);
  return Buffer.concat([LOG_MAGIC, len, box]);
}

export const HEADER_BYTES = LOG_MAGIC.length + 4 + HEADER_PLAINTEXT.length + BOX_OVERHEAD;

/** Checks the header; returns the failure, or null when key and log id are the right ones. */
export function checkHeader(key: Uint8Array, logId: string, bytes: Buffer): LogFailure | null {
  if (bytes.length < HEADER_BYTES || !bytes.subarray(0, LOG_MAGIC.length).equals(LOG_MAGIC)) return 'not_a_log';
  if (bytes.readUInt32BE(LOG_MAGIC.length) !== HEADER_BYTES - LOG_MAGIC.length - 4) return 'not_a_log';
  try {
    open(key, bytes.subarray(LOG_MAGIC.length + 4, HEADER_BYTES), headerAad(logId));
    return null;
  } catch (err) {
    if (err instanceof AuthenticationError) return 'wrong_key';
    throw err;
  }
}

/** The sealed plaintext of one entry; `bodyJson` is already serialized. */
export function entryPlaintext(seq: number, at: string, prev: Buffer, bodyJson: string): Buffer {
  return Buffer.from(`{"seq":${seq},"at":${JSON.stringify(at)},"prev":"${prev.toString('hex')}","body":${bodyJson}}`, 'utf8');
}

export function encodeFrame(key: Uint8Array, logId: string, seq: number, plaintext: Uint8Array): Buffer {
  const box = seal(key, plaintext, entryAad(logId, seq));
  const head = Buffer.alloc(FRAME_HEADER_BYTES);
  head.writeUInt32BE(box.length, 0);
  head.writeBigUInt64BE(BigInt(seq), 4);
  return Buffer.concat([head, box]);
}

export interface RawFrame {
  offset: number;
  end: number;
  /** the seq written in clear; trusted only once the box authenticates under it */
  seq: number;
  box: Buffer;
}

export type DecodeResult<T> =
  | { ok: true; entry: LogEntry<T>; hash: Buffer }
  | { ok: false; reason: LogFailure; detail: string; claimedSeq?: number };

function tryOpen(key: Uint8Array, box: Buffer, aad: Buffer): Buffer | null {
  try {
    return open(key, box, aad);
  } catch (err) {
    if (err instanceof AuthenticationError) return null;
    throw err;
  }
}

/** Authenticates one frame as entry `expectedSeq` following `prev`. */
export function decodeEntry<T>(key: Uint8Array, logId: string, expectedSeq: number, prev: Buffer, frame: RawFrame): DecodeResult<T> {
  if (frame.seq !== expectedSeq) {
    if (tryOpen(key, frame.box, entryAad(logId, frame.seq))) {
      const reason = frame.seq > expectedSeq ? 'missing' : 'reordered';
      return { ok: false, reason, detail: `found entry ${frame.seq} where entry ${expectedSeq} belongs`, claimedSeq: frame.seq };
    }
    return { ok: false, reason: 'tampered', detail: 'entry failed authentication (edited, or not from this log)' };
  }
  const plaintext = tryOpen(key, frame.box, entryAad(logId, expectedSeq));
  if (!plaintext) return { ok: false, reason: 'tampered', detail: 'entry failed authentication (edited, or not from this log)' };
  let parsed: { seq?: unknown; at?: unknown; prev?: unknown; body?: unknown };
  try {
    parsed = JSON.parse(plaintext.toString('utf8')) as typeof parsed;
  } catch {
    return { ok: false, reason: 'tampered', detail: 'entry does not decode' };
  }
  if (parsed.seq !== expectedSeq || typeof parsed.at !== 'string' || parsed.prev !== prev.toString('hex')) {
    return { ok: false, reason: 'chain_broken', detail: 'entry does not follow the previous entry (spliced from another copy of the log)' };
  }
  const hash = chainHash(prev, expectedSeq, plaintext);
  return { ok: true, hash, entry: { seq: expectedSeq, at: parsed.at, hash: hash.toString('hex'), body: parsed.body as T } };
}
