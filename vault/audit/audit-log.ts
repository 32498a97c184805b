// The audit log: every authorization decision, login, lockout and administrative action, and
// every command run on the vault host, appended to one sealed, hash-chained log and durable
// before `record` resolves. Concurrent requests share fsyncs through the log's group commit;
// several processes may append (each append takes the log's lock and first reads what the others
// wrote). Queries read an in-memory index, which also takes in the other processes' entries.
import { SealedAppendLog } from '../log/sealed-append-log.ts';
import type { LogEntry, LogRecovery } from '../log/sealed-append-log.ts';
import { parseAuditEvent } from './audit-event.ts';
import type { AuditEvent } from './audit-event.ts';
import { AuditIndex } from './audit-index.ts';
import type { AuditFilter } from './audit-index.ts';

export const DEFAULT_AUDIT_LOG_ID = 'audit';

export interface AuditLogOptions {
  /** 32-byte data key of the audit log */
  key: Uint8Array;
  /** defaults to 'audit' */
  logId?: string;
  groupCommitMs?: number;
  /** how long an append waits while another process appends (default 10 s) */
  lockWaitMs?: number;
}

/** Checks an event and appends it, stamped with its time; resolves once it is durable. */
export function appendAuditEvent(log: SealedAppendLog<AuditEvent>, event: AuditEvent): Promise<LogEntry<AuditEvent>> {
  const checked = parseAuditEvent(event);
  return log.append({ ...checked, at: checked.at ?? new Date().toISOString() });
}

/**
 * Only appends, for a short-lived process such as a host command: it builds no index (the
 * service, the log's reader, takes the entries in at its next append).
 */
export class AuditAppender {
  private constructor(private readonly log: SealedAppendLog<AuditEvent>) {}

  static async open(path: string, options: Pick<AuditLogOptions, 'key' | 'logId' | 'lockWaitMs'>): Promise<AuditAppender> {
    const log = await SealedAppendLog.open<AuditEvent>(path, {
      key: options.key,
      logId: options.logId ?? DEFAULT_AUDIT_LOG_ID,
      sharedWriters: true,
      ...(options.lockWaitMs !== undefined ? { lockWaitMs: options.lockWaitMs } : {}),
    });
    return new AuditAppender(log);
  }

  record(event: AuditEvent): Promise<LogEntry<AuditEvent>> {
    return appendAuditEvent(this.log, event);
  }

  close(): Promise<void> {
    return this.log.close();
  }
}

export class AuditLog {
  private constructor(
    private readonly log: SealedAppendLog<AuditEvent>,
    private readonly index: AuditIndex,
  ) {}

  static async open(path: string, options: AuditLogOptions): Promise<AuditLog> {
    const index = new AuditIndex();
    // The service and host commands (genovault variants, ingest...) append to the same chain.
    const log = await SealedAppendLog.open<AuditEvent>(path, {
      key: options.key,
      logId: options.logId ?? DEFAULT_AUDIT_LOG_ID,
      groupCommitMs: options.groupCommitMs ?? 0,
      sharedWriters: true,
      onForeignEntries: (entries) => entries.forEach((entry) => index.add(entry)),
      ...(options.lockWaitMs !== undefined ? { lockWaitMs: options.lockWaitMs } : {}),
    });
    try {
      for await (const entry of log.entries()) index.add(entry);
      return new AuditLog(log, index);
    } catch (err) {
      await log.close();
      throw err;
    }
  }

  /** Records one event; resolves once it is durable. Throws AuditEventError for a malformed event, recording nothing. */
  async record(event: AuditEvent): Promise<LogEntry<AuditEvent>> {
    const entry = await appendAuditEvent(this.log, event);
    this.index.add(entry);
    return entry;
  }

  /** Matching entries, newest first. Throws AuditQueryError for a malformed filter. */
  query(filter: AuditFilter): Promise<LogEntry<AuditEvent>[]> {
    try {
      return Promise.resolve(this.index.query(filter));
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** One patient's (or actor's) entries, newest first, from seq `atOrBefore` down: for paging. */
  newestFirst(scope: Pick<AuditFilter, 'patientId' | 'actorId'>, atOrBefore?: number): Iterable<LogEntry<AuditEvent>> {
    return this.index.newestFirst(scope, atOrBefore);
  }

  /** Every entry stamped at or after `fromMs`, newest first: for replays over a recent window. */
  newestSince(fromMs: number): Iterable<LogEntry<AuditEvent>> {
    return this.index.newestSince(fromMs);
  }

  /** Number of recorded events. */
  get length(): number {
    return this.log.length;
  }

  /** What opening found and repaired (torn tail bytes, entries newer than the anchor). */
  get recovery(): LogRecovery {
    return this.log.recovery;
  }

  close(): Promise<void> {
    return this.log.close();
  }
}
