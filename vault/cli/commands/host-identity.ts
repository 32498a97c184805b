// The account and audit logs (and the clinical log when needed) opened on the vault host as the service would open them,
// for `genovault users` (the host already holds the master key, so it may act as HOST_ACTOR, e.g.
// to create the first admin). The account and clinical logs have one writer: a running service
// holds them, and keeps their state in memory, so these commands refuse while it serves and say
// which API does the same (an account the service did not write would be unknown to it).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Vault } from '../../store/vault.ts';
import type { IdentityService } from '../../identity/identity-service.ts';
import type { AuditLog } from '../../audit/audit-log.ts';
import type { ClinicalStore } from '../../clinical/clinical-store.ts';
import type { ClinicalEvent } from '../../clinical/clinical-events.ts';
import type { Config } from '../../../schemas/config.ts';
import { withVault } from '../cli-context.ts';
import { LogLockedError } from '../../log/log-lock.ts';

/** `users` on the host while `genovault serve` holds the account log. */
export class ServiceRunningError extends Error {
  constructor(cause: LogLockedError) {
    const holder = /by process (\d+)/.exec(cause.message)?.[1];
    super(
      `the service is running${holder ? ` (process ${holder})` : ''} and owns the account log: while it serves, manage accounts through the API ` +
        '(POST /v1/users, GET /v1/users, POST /v1/users/{id}/reset, POST /v1/enrolments); genovault users works on the host when the service is stopped',
    );
    this.name = 'ServiceRunningError';
  }
}

export interface HostIdentity {
  vault: Vault;
  identity: IdentityService;
  audit: AuditLog;
  /** opens the clinical log on first use (only enrolment of a proxy or relative writes to it) */
  clinical(): Promise<ClinicalStore>;
}

/**
 * Opens the logs for `fn`. `check` runs first, against the vault, so input it refuses leaves no new
 * key or log behind.
 */
export async function withHostIdentity<T>(config: Config, fn: (host: HostIdentity) => Promise<T>, check: (vault: Vault) => void = () => undefined): Promise<T> {
  const { LOG_KEYS, logPath } = await import('../../service/open-service.ts');
  const { IdentityService, openAccountLog } = await import('../../identity/identity-service.ts');
  const { AuditLog } = await import('../../audit/audit-log.ts');
  const { ClinicalStore } = await import('../../clinical/clinical-store.ts');
  const { SealedAppendLog } = await import('../../log/sealed-append-log.ts');
  const { identityOptionsOf } = await import('../../service/identity-options.ts');
  return withVault(config, true, async (vault) => {
    check(vault);
    const [accountsKey, auditKey] = await vault.namedKeys([LOG_KEYS.accounts, LOG_KEYS.audit]);
    await mkdir(join(config.dataDir, 'logs'), { recursive: true, mode: 0o700 });
    const closers: (() => Promise<void>)[] = [];
    let clinical: Promise<ClinicalStore> | undefined;
    const openClinical = async () => {
      const [clinicalKey] = await vault.namedKeys([LOG_KEYS.clinical]);
      const clinicalLog = await SealedAppendLog.open<ClinicalEvent>(logPath(config.dataDir, 'clinical'), { key: clinicalKey!, logId: 'clinical' });
      closers.push(() => clinicalLog.close());
      return ClinicalStore.open(clinicalLog);
    };
    try {
      const accountLog = await openAccountLog(logPath(config.dataDir, 'accounts'), accountsKey!).catch((err: unknown) => {
        throw err instanceof LogLockedError ? new ServiceRunningError(err) : err;
      });
      closers.push(() => accountLog.close());
      const audit = await AuditLog.open(logPath(config.dataDir, 'audit'), { key: auditKey! });
      closers.push(() => audit.close());
      const identity = await IdentityService.open(accountLog, identityOptionsOf(config));
      return await fn({ vault, identity, audit, clinical: () => (clinical ??= openClinical()) });
    } finally {
      for (const close of closers.reverse()) await close();
    }
  });
}
