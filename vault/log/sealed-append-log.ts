// A sealed, hash-chained, append-only log (format in README.md). Appends resolve only once the
// entry is fsynced and the anchor recording it written (and, for a log with several writer
// processes, fsynced; with one writer its fsync follows, before the next anchor write); appends
// that arrive during a flush share the next one (group commit), so many concurrent writers pay
// for few fsyncs.
import { open as openFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { KEY_BYTES } from '../crypto/aead.ts';
import { writeFileAtomic } from '../fs/atomic.ts';
import { HEADER_BYTES, MAX_ENTRY_BYTES, chainHash, encodeFrame, encodeHeader, entryPlaintext, genesisHash, decodeEntry } from './log-format.ts';
import type { LogEntry } from './log-format.ts';
import { AnchorWriter, createAnchor } from './anchor-file.ts';
import { inspectLog } from './log-scan.ts';
import type { Inspection, ScanOutcome } from './log-scan.ts';
import { readFrames } from './frame-reader.ts';
import { GroupCommit } from './group-commit.ts';
import { claimInProcess, lockAcrossProcesses, lockLog } from './log-lock.ts';
import { catchUpWithLog } from './tail-catch-up.ts';
import { LogEntryError, LogIntegrityError, LogUnavailableError } from './log-integrity-error.ts';

export type { LogEntry } from './log-format.ts';
export { verifyLog, describeVerifyReport } from './verify-log.ts';
export type { VerifyReport } from './verify-log.ts';
export { LogIntegrityError, LogEntryError, LogUnavailableError } from './log-integrity-error.ts';
export type { LogFailure } from './log-integrity-error.ts';
export { LogLockedError } from './log-lock.ts';

export interface SealedLogOptions<T = unknown> {
  /** 32-byte data key */
  key: Uint8Array;
  /** bound into every ciphertext, so entries cannot move between logs */
  logId: string;
  /** how long an idle log waits to gather appends before flushing; 0 = the same turn only */
  groupCommitMs?: number;
  /**
   * Other processes append to this log too (the audit log: the service and host commands). The
   * cross-process lock is then taken around each flush instead of for the log's life, and each
   * flush first reads what the others appended, so every writer extends one chain.
   */
  sharedWriters?: boolean;
  /** with sharedWriters: receives, in order, the entries other processes appended */
  onForeignEntries?: (entries: LogEntry<T>[]) => void;
  /** with sharedWriters: how long a flush waits for another writer's append (default 10 s) */
  lockWaitMs?: number;
}

export const DEFAULT_LOCK_WAIT_MS = 10_000;

/** What opening the log found and repaired; none of it is an error. */
export interface LogRecovery {
  created: boolean;
  /** bytes of a write cut short by a crash, discarded */
  tornTailBytes: number;
  /** entries durable in the log but not yet in the anchor, kept and now anchored */
  beyondAnchor: number;
  /** anchor slots that did not open, now rewritten */
  damagedAnchorSlots: number;
}

async function writeAll(handle: FileHandle, bytes: Buffer, position: number): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, written, bytes.length - written, position + written);
    written += bytesWritten;
  }
}

function scanned(file: string, inspection: Inspection): ScanOutcome {
  if (inspection.state === 'broken') throw new LogIntegrityError(file, inspection.broken.seq, inspection.broken.reason, inspection.broken.detail);
  if (inspection.state !== 'scanned') throw new Error(`${file}: the log could not be created`);
  const { broken } = inspection.outcome;
  if (broken) throw new LogIntegrityError(file, broken.seq, broken.reason, broken.detail);
  return inspection.outcome;
}

const releaseAsync = (release: () => void) => () => Promise.resolve(release());

export class SealedAppendLog<T> {
  private readonly committer: GroupCommit<string, LogEntry<T>>;
  private failure: LogUnavailableError | null = null;
  private closing: Promise<void> | null = null;
  private commits = 0;
  /** the last anchor slot's fsync (and, for a shared log, the lock release after it) */
  private anchorSettled: Promise<void> = Promise.resolve();

  private constructor(
    private readonly path: string,
    private readonly key: Uint8Array,
    private readonly logId: string,
    private readonly handle: FileHandle,
    private readonly anchor: AnchorWriter,
    private readonly unlock: () => Promise<void>,
    private headSeq: number,
    private headHash: Buffer,
    private end: number,
    readonly recovery: LogRecovery,
    private readonly options: SealedLogOptions<T>,
  ) {
    this.file = basename(path);
    this.committer = new GroupCommit((batch) => this.flush(batch), options.groupCommitMs ?? 0);
  }

  private readonly file: string;

  /** Opens (creating if absent) the log at `path`. `key` is a 32-byte DEK; `logId` binds ciphertexts to this log. */
  static async open<T>(path: string, options: SealedLogOptions<T>): Promise<SealedAppendLog<T>> {
    const file = basename(path);
    if (options.key.length !== KEY_BYTES) throw new RangeError(`${file}: the log key must be ${KEY_BYTES} bytes, got ${options.key.length}`);
    if (!options.logId) throw new RangeError(`${file}: a log id is required`);
    const { key, logId } = options;
    // A shared log is locked across processes only while it is judged and repaired here, then per flush.
    const unlock = options.sharedWriters ? releaseAsync(claimInProcess(path)) : await lockLog(path);
    let opened: (() => Promise<void>) | undefined;
    try {
      if (options.sharedWriters) opened = await lockAcrossProcesses(path, options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS);
      let inspection = await inspectLog(path, key, logId);
      const created = inspection.state === 'absent' || inspection.state === 'unborn';
      // Anchor first: a log file without its anchor is then always a sign of tampering.
      if (inspection.state === 'absent') await createAnchor(path, key, logId, genesisHash(logId));
      if (created) {
        await writeFileAtomic(path, encodeHeader(key, logId));
        inspection = await inspectLog(path, key, logId);
      }
      const outcome = scanned(file, inspection);
      const handle = await openFile(path, 'r+');
      if (outcome.tornTail) {
        await handle.truncate(outcome.head.end);
        await handle.datasync();
      }
      const anchor = await AnchorWriter.open(path, key, logId, outcome.anchor.slot);
      if (outcome.beyondAnchor > 0 || outcome.damagedAnchorSlots > 0) await anchor.commit(outcome.head.seq, outcome.head.hash);
      const recovery: LogRecovery = {
        created,
        tornTailBytes: outcome.tornTail?.bytes ?? 0,
        beyondAnchor: outcome.beyondAnchor,
        damagedAnchorSlots: outcome.damagedAnchorSlots,
      };
      const { head } = outcome;
      return new SealedAppendLog<T>(path, key, logId, handle, anchor, unlock, head.seq, head.hash, head.end, recovery, options);
    } catch (err) {
      await unlock();
      throw err;
    } finally {
      await opened?.();
    }
  }

  /** Number of committed entries. */
  get length(): number {
    return this.headSeq;
  }

  /** Number of write+fsync rounds so far; below the number of appends when group commit works. */
  get groupCommits(): number {
    return this.commits;
  }

  /** Appends; resolves only after the entry is durable (fsync). Concurrent appends share one fsync (group commit). */
  append(body: T): Promise<LogEntry<T>> {
    if (this.closing) return Promise.reject(new LogUnavailableError(this.file, 'the log is closed'));
    if (this.failure) return Promise.reject(this.failure);
    let json: string | undefined;
    try {
      json = JSON.stringify(body);
    } catch {
      return Promise.reject(new LogEntryError(this.file, 'entry body cannot be serialized as JSON (a cycle or a BigInt)'));
    }
    if (json === undefined) return Promise.reject(new LogEntryError(this.file, 'entry body must be a JSON value'));
    if (Buffer.byteLength(json) > MAX_ENTRY_BYTES) return Promise.reject(new LogEntryError(this.file, `entry body exceeds ${MAX_ENTRY_BYTES} bytes`));
    return this.committer.submit(json);
  }

  private async flush(batch: string[]): Promise<LogEntry<T>[]> {
    if (this.failure) throw this.failure;
    if (!this.options.sharedWriters) {
      // the previous anchor slot's fsync may still run: awaited before this batch's anchor write, not before its entries
      const entries = await this.write(batch, 'anchor synced after');
      this.anchorSettled = this.syncAnchor();
      return entries;
    }
    const release = await lockAcrossProcesses(this.path, this.options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS).catch((err: unknown) => {
      throw new LogUnavailableError(this.file, `another writer held the log too long (${err instanceof Error ? err.name : 'lock'}); try again`);
    });
    try {
      await this.catchUp();
      return await this.write(batch, 'anchor synced before');
    } finally {
      await release();
    }
  }

  /**
   * The anchor slot just written, made durable. Not awaited by the appends it records (their
   * entries are already durable in the log, and an entry past the anchor is kept on open), but
   * before the next anchor write and by close, so at most one anchor slot is ever unsynced.
   */
  private syncAnchor(): Promise<void> {
    return this.anchor.sync().catch((err: unknown) => {
      const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
      this.failure ??= new LogUnavailableError(this.file, `a write to the log's anchor failed (${code}); reopen the log to recover`);
    });
  }

  /** Under the append lock: take in what other processes appended since this writer last looked. */
  private async catchUp(): Promise<void> {
    let caught;
    try {
      caught = await catchUpWithLog<T>(this.handle, this.path, this.key, this.logId, { seq: this.headSeq, hash: this.headHash, end: this.end });
    } catch (err) {
      if (err instanceof LogIntegrityError) this.failure = new LogUnavailableError(this.file, `the log no longer verifies (${err.reason}); reopen it to see why`);
      throw this.failure ?? err;
    }
    this.headSeq = caught.head.seq;
    this.headHash = caught.head.hash;
    this.end = caught.head.end;
    if (caught.anchorSlot !== null) this.anchor.follow(caught.anchorSlot);
    if (caught.entries.length > 0) this.options.onForeignEntries?.(caught.entries);
  }

  /**
   * Writes and fsyncs the batch's frames, then the anchor slot recording them: fsynced before the
   * batch is acknowledged (a shared log: the audit log's anchor is never behind what it
   * acknowledged), or after (one writer: its fsync is awaited before the next anchor write).
   */
  private async write(batch: string[], anchoring: 'anchor synced before' | 'anchor synced after'): Promise<LogEntry<T>[]> {
    const at = new Date().toISOString();
    let seq = this.headSeq;
    let prev = this.headHash;
    const frames: Buffer[] = [];
    const entries: LogEntry<T>[] = [];
    for (const json of batch) {
      seq += 1;
      const plaintext = entryPlaintext(seq, at, prev, json);
      prev = chainHash(prev, seq, plaintext);
      frames.push(encodeFrame(this.key, this.logId, seq, plaintext));
      entries.push({ seq, at, hash: prev.toString('hex'), body: JSON.parse(json) as T });
    }
    const bytes = Buffer.concat(frames);
    try {
      await writeAll(this.handle, bytes, this.end);
      await this.handle.datasync();
      if (anchoring === 'anchor synced before') await this.anchor.commit(seq, prev);
      else {
        await this.anchorSettled;
        if (this.failure) throw this.failure;
        await this.anchor.write(seq, prev);
      }
    } catch (err) {
      if (err === this.failure) throw err;
      // After a failed write or fsync the file's state is unknown: refuse further appends here
      // and let a reopen judge the file.
      const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
      this.failure = new LogUnavailableError(this.file, `a write to the log failed (${code}); reopen the log to recover`);
      throw this.failure;
    }
    this.headSeq = seq;
    this.headHash = prev;
    this.end += bytes.length;
    this.commits += 1;
    return entries;
  }

  /** All committed entries in order (decrypting as it goes). */
  async *entries(): AsyncGenerator<LogEntry<T>> {
    const end = this.end;
    let seq = 0;
    let prev = genesisHash(this.logId);
    for await (const frame of readFrames(this.handle, HEADER_BYTES, end)) {
      if (frame.kind === 'torn') throw new LogIntegrityError(this.file, seq + 1, 'truncated', 'the log was cut short while open');
      const decoded = decodeEntry<T>(this.key, this.logId, seq + 1, prev, frame);
      if (!decoded.ok) throw new LogIntegrityError(this.file, seq + 1, decoded.reason, decoded.detail);
      seq += 1;
      prev = decoded.hash;
      yield decoded.entry;
    }
  }

  /** Waits for pending appends, then releases the file. Appends after close are refused. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.committer.drain();
      await this.anchorSettled;
      await this.handle.close();
      await this.anchor.close();
      await this.unlock();
    })();
    return this.closing;
  }
}
