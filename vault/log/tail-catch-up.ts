// Catching up with a log that other processes append to: under the append lock, read the frames
// past what this writer knows, check that each follows the chain, and judge them against the
// anchor. Bytes past the last valid entry that no anchor covers are an append whose writer died
// half way (a live writer holds the lock while it writes): they are cut off, as open() would.
import type { FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { decodeEntry } from './log-format.ts';
import type { LogEntry } from './log-format.ts';
import { readFrames } from './frame-reader.ts';
import { readAnchor } from './anchor-file.ts';
import { LogIntegrityError } from './log-integrity-error.ts';
import type { LogFailure } from './log-integrity-error.ts';

export interface LogHead {
  seq: number;
  hash: Buffer;
  /** byte offset just after the entry */
  end: number;
}

export interface CaughtUp<T> {
  head: LogHead;
  /** entries other writers appended, in order */
  entries: LogEntry<T>[];
  /** the anchor slot holding the newest commit (the next commit writes the other); null when nothing changed */
  anchorSlot: 0 | 1 | null;
  /** bytes of a dead writer's half-done append, now cut off */
  tornBytes: number;
}

export async function catchUpWithLog<T>(handle: FileHandle, path: string, key: Uint8Array, logId: string, known: LogHead): Promise<CaughtUp<T>> {
  const file = basename(path);
  const size = (await handle.stat()).size;
  if (size < known.end) throw new LogIntegrityError(file, known.seq, 'truncated', 'the log is shorter than what was committed to it while it was open');
  // Appends only ever grow the file: the same size means nobody else appended, and the anchor is ours.
  if (size === known.end) return { head: known, entries: [], anchorSlot: null, tornBytes: 0 };
  let head = known;
  const entries: LogEntry<T>[] = [];
  let failure: { reason: LogFailure; detail: string } | undefined;
  for await (const frame of readFrames(handle, known.end, size)) {
    if (frame.kind === 'torn') break;
    const decoded = decodeEntry<T>(key, logId, head.seq + 1, head.hash, frame);
    if (!decoded.ok) {
      failure = decoded;
      break;
    }
    head = { seq: head.seq + 1, hash: decoded.hash, end: frame.end };
    entries.push(decoded.entry);
  }
  const anchor = await readAnchor(path, key, logId);
  if (anchor.kind === 'absent') throw new LogIntegrityError(file, 0, 'anchor_missing', 'the anchor beside the log is missing');
  if (anchor.kind === 'damaged') throw new LogIntegrityError(file, 0, 'anchor_damaged', anchor.detail);
  if (anchor.state.seq > head.seq) {
    // the anchor vouches for entries that are not there, or not intact
    throw new LogIntegrityError(file, head.seq + 1, failure?.reason ?? 'truncated', failure?.detail ?? `the log holds ${head.seq} entries but its anchor records ${anchor.state.seq}`);
  }
  if (anchor.state.seq === head.seq && !anchor.state.hash.equals(head.hash)) {
    throw new LogIntegrityError(file, head.seq, 'forked', 'this entry differs from the one the anchor recorded: the log was replaced by another copy');
  }
  const tornBytes = size - head.end;
  if (tornBytes > 0) {
    await handle.truncate(head.end);
    await handle.datasync();
  }
  return { head, entries, anchorSlot: anchor.state.slot, tornBytes };
}
