// Commands run on the vault host that read or change patient data (samples, variants, carriers,
// allele-counts, ingest, erase-sample, keys rotate) are audited in the vault's own audit log, on
// the same chain as the service (which may be serving meanwhile), as the operating-system user.
// The log is opened before the command starts, so a command that cannot be audited does not run;
// what it answers is printed only once its entry is durable. Entries say what was asked (command,
// internal patient and sample ids, outcome, counts), never MRNs, regions, genes or variants.
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { userInfo } from 'node:os';
import type { Config } from '../../schemas/config.ts';
import { AuditAppender } from '../audit/audit-log.ts';
import { LOG_KEYS, logPath } from '../log/log-files.ts';
import { VaultLockedError } from '../store/vault-lock.ts';
import type { Vault } from '../store/vault.ts';
import { withVault } from './cli-context.ts';

export const HOST_ROLE = 'host';

/** What a host command asked for. */
export interface HostAction {
  /** e.g. `variants`, `keys.rotate` */
  command: string;
  action: 'read' | 'create' | 'update' | 'delete';
  /** e.g. `variants`, `key` */
  resource: string;
  patientId?: string | null;
  /** e.g. the sample erased or ingested */
  targetId?: string | null;
  /** for the privacy officer's review (e.g. MRNs were printed) */
  flagged?: boolean;
}

/** On success: what the command answers, and the entries to record (with counts) before it is shown (none: the action itself). */
export interface HostOutcome<T> {
  value: T;
  entries: { act: HostAction; counts?: Record<string, number> }[];
}

export class HostAuditError extends Error {
  constructor(detail: string) {
    super(`cannot audit this command, so it did not run: ${detail}`);
    this.name = 'HostAuditError';
  }
}

/** `os:<login name>`, or `os:uid-<n>` when the name is not id-shaped. */
export function osActorId(): string {
  const { username, uid } = userInfo();
  return /^[A-Za-z0-9_.@-]{1,100}$/.test(username) ? `os:${username}` : `os:uid-${uid}`;
}

/** A stable code for why a command failed: the error's code or class, never its message. */
export function failureCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  const raw = typeof code === 'string' ? code : err instanceof Error ? err.name : 'failed';
  const snake = raw.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  return /^[a-z][a-z0-9_.:-]{0,63}$/.test(snake) ? snake : 'failed';
}

export class HostAudit {
  /** one id for every entry of this command run */
  private readonly requestId = randomUUID();
  private readonly actorId = osActorId();

  private constructor(private readonly log: AuditAppender) {}

  /** Opens the vault's audit log for appending; refuses (HostAuditError) when it cannot be. */
  static async open(config: Config, vault: Vault, options: { writable: boolean }): Promise<HostAudit> {
    const key = await auditKey(config, vault, options.writable);
    const path = logPath(config.dataDir, 'audit');
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    try {
      return new HostAudit(await AuditAppender.open(path, { key }));
    } catch (err) {
      throw new HostAuditError(`the audit log could not be opened (${failureCode(err)})`);
    }
  }

  /**
   * Runs `work` for `act`. A failure is recorded (with a code, never the message) and rethrown;
   * on success the outcome's entries are recorded, durably, before its value is returned.
   */
  async attempt<T>(act: HostAction, work: () => Promise<HostOutcome<T>>): Promise<T> {
    let outcome: HostOutcome<T>;
    try {
      outcome = await work();
    } catch (err) {
      await this.record(act, 'failure', failureCode(err));
      throw err;
    }
    const entries = outcome.entries.length > 0 ? outcome.entries : [{ act }];
    await Promise.all(entries.map(({ act: done, counts }: { act: HostAction; counts?: Record<string, number> }) => this.record(done, 'success', 'ok', counts)));
    return outcome.value;
  }

  private async record(act: HostAction, decision: 'success' | 'failure', outcome: string, counts?: Record<string, number>): Promise<void> {
    await this.log.record({
      requestId: this.requestId,
      actorId: this.actorId,
      actorRoles: [HOST_ROLE],
      action: act.action,
      resource: act.resource,
      patientId: act.patientId ?? null,
      purpose: 'operations',
      decision,
      rule: null,
      command: act.command,
      outcome,
      ...(act.targetId ? { targetId: act.targetId } : {}),
      ...(counts ? { counts } : {}),
      ...(act.flagged ? { flagged: true } : {}),
    });
  }

  close(): Promise<void> {
    return this.log.close();
  }
}

/**
 * The audit log's data key. A vault whose audit log was never created has none yet: a writing
 * command creates it; a reading one briefly takes the writer lock to create it, and refuses when
 * another process holds the vault.
 */
async function auditKey(config: Config, vault: Vault, writable: boolean): Promise<Buffer> {
  if (writable) return (await vault.namedKeys([LOG_KEYS.audit]))[0]!;
  try {
    return vault.keyOf(LOG_KEYS.audit);
  } catch {
    try {
      return await withVault(config, true, async (writer) => (await writer.namedKeys([LOG_KEYS.audit]))[0]!);
    } catch (err) {
      if (err instanceof VaultLockedError) throw new HostAuditError('the vault has no audit log yet and another process holds it; try again when it has finished');
      throw err;
    }
  }
}

/** Opens the host audit, runs `fn` with it, and closes it. */
export async function withHostAudit<T>(config: Config, vault: Vault, writable: boolean, fn: (audit: HostAudit) => Promise<T>): Promise<T> {
  const audit = await HostAudit.open(config, vault, { writable });
  try {
    return await fn(audit);
  } finally {
    await audit.close();
  }
}
