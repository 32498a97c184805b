// Reads a whole log against its anchor and says what it holds: the valid entries, the head of
// the chain, a torn tail to discard, or the first broken entry. Shared by the writer's open and
// by verifyLog, so both judge a file the same way.
import { open as openFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { HEADER_BYTES, checkHeader, decodeEntry, genesisHash } from './log-format.ts';
import type { LogEntry } from './log-format.ts';
import { readFrames } from './frame-reader.ts';
import { readAnchor } from './anchor-file.ts';
import type { AnchorState } from './anchor-file.ts';
import type { LogFailure } from './log-integrity-error.ts';

export interface Broken {
  seq: number;
  reason: LogFailure;
  detail: string;
}

export interface ScanOutcome {
  /** valid entries, all kept */
  entries: number;
  /** the last kept entry: its seq, hash and the byte offset just after it */
  head: { seq: number; hash: Buffer; end: number };
  anchor: AnchorState;
  /** anchor slots that did not open (one is normal after a crash mid anchor write) */
  damagedAnchorSlots: number;
  /** valid entries committed to the log but not yet to the anchor (crash between the two fsyncs) */
  beyondAnchor: number;
  /** unacknowledged bytes after the last valid entry: a write a crash cut short */
  tornTail?: { offset: number; bytes: number };
  broken?: Broken;
}

export type Inspection =
  | { state: 'absent' }
  | { state: 'unborn' } // anchor at seq 0 without its log: a crash while creating the log
  | { state: 'broken'; broken: Broken }
  | { state: 'scanned'; outcome: ScanOutcome };

/** Whether a frame claiming `seq` appears at or after `from`: tells a reordering from a deletion. */
async function occursLater(handle: FileHandle, from: number, size: number, seq: number): Promise<boolean> {
  for await (const frame of readFrames(handle, from, size)) if (frame.kind === 'frame' && frame.seq === seq) return true;
  return false;
}

async function scanFrames(
  handle: FileHandle,
  size: number,
  key: Uint8Array,
  logId: string,
  anchor: AnchorState,
  onEntry?: (entry: LogEntry<unknown>) => void,
): Promise<Omit<ScanOutcome, 'damagedAnchorSlots'>> {
  let seq = 0;
  let hash = genesisHash(logId);
  let end = HEADER_BYTES;
  let hashAtAnchor = anchor.seq === 0 ? hash : null;
  const result = (extra: Partial<ScanOutcome>) => ({ entries: seq, head: { seq, hash, end }, anchor, beyondAnchor: Math.max(0, seq - anchor.seq), ...extra });
  for await (const frame of readFrames(handle, HEADER_BYTES, size)) {
    const expected = seq + 1;
    // Past the anchor a damaged frame is a crash's leftover: nothing there was acknowledged, save a
    // one-writer log's last batch after a power loss (README: commit and crash recovery).
    if (frame.kind === 'torn') {
      if (expected > anchor.seq) return result({ tornTail: { offset: frame.offset, bytes: frame.bytes } });
      return result({ broken: { seq: expected, reason: 'truncated', detail: `the log ends inside entry ${expected} but its anchor records ${anchor.seq} entries` } });
    }
    const decoded = decodeEntry(key, logId, expected, hash, frame);
    if (!decoded.ok) {
      if (expected > anchor.seq) return result({ tornTail: { offset: frame.offset, bytes: size - frame.offset } });
      let reason = decoded.reason;
      if (reason === 'missing' && (await occursLater(handle, frame.end, size, expected))) reason = 'reordered';
      return result({ broken: { seq: expected, reason, detail: decoded.detail } });
    }
    seq = expected;
    hash = decoded.hash;
    end = frame.end;
    if (seq === anchor.seq) hashAtAnchor = hash;
    onEntry?.(decoded.entry);
  }
  if (seq < anchor.seq) {
    const detail = `the log holds ${seq} entries but its anchor records ${anchor.seq}: entries were cut off or the file was rolled back`;
    return result({ broken: { seq: seq + 1, reason: 'truncated', detail } });
  }
  if (!hashAtAnchor?.equals(anchor.hash)) {
    return result({ broken: { seq: anchor.seq, reason: 'forked', detail: 'this entry differs from the one the anchor recorded: the log was replaced by another copy' } });
  }
  return result({});
}

/** Reads the log at `path` and its anchor without changing either. */
export async function inspectLog(path: string, key: Uint8Array, logId: string, onEntry?: (entry: LogEntry<unknown>) => void): Promise<Inspection> {
  const file = basename(path);
  const anchor = await readAnchor(path, key, logId);
  let handle: FileHandle;
  try {
    handle = await openFile(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    if (anchor.kind === 'absent') return { state: 'absent' };
    if (anchor.kind === 'ok' && anchor.state.seq === 0) return { state: 'unborn' };
    return { state: 'broken', broken: { seq: 1, reason: 'log_missing', detail: `${file} is missing but its anchor remains` } };
  }
  try {
    const size = (await handle.stat()).size;
    const header = Buffer.alloc(Math.min(size, HEADER_BYTES));
    await handle.read(header, 0, header.length, 0);
    const headerFailure = checkHeader(key, logId, header);
    if (headerFailure === 'not_a_log') return { state: 'broken', broken: { seq: 0, reason: 'not_a_log', detail: 'the file is not a sealed log (or its header is damaged)' } };
    if (headerFailure === 'wrong_key') return { state: 'broken', broken: { seq: 0, reason: 'wrong_key', detail: 'the log does not open with this key and log id (or its header is damaged)' } };
    if (anchor.kind === 'absent') return { state: 'broken', broken: { seq: 0, reason: 'anchor_missing', detail: 'the anchor beside the log is missing' } };
    if (anchor.kind === 'damaged') return { state: 'broken', broken: { seq: 0, reason: 'anchor_damaged', detail: anchor.detail } };
    const outcome = await scanFrames(handle, size, key, logId, anchor.state, onEntry);
    return { state: 'scanned', outcome: { ...outcome, damagedAnchorSlots: anchor.damagedSlots } };
  } finally {
    await handle.close();
  }
}
