// Opens the account and audit logs on the vault host as the service would, for `genovault users`.
// The host holds the master key, so it acts as HOST_ACTOR. It takes the logs' lock: the service
// must be stopped.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../../schemas/config.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { IdentityService } from '../identity/identity-service.ts';
import type { Vault } from '../store/vault.ts';
import { withVault } from './cli-context.ts';

export interface HostIdentity {
  vault: Vault;
  identity: IdentityService;
  audit: AuditLog;
}

/** `check` runs first, against the catalog, so input it refuses leaves no new key or log behind. */
export async function withHostIdentity<T>(config: Config, fn: (host: HostIdentity) => Promise<T>, check: (vault: Vault) => void = () => undefined): Promise<T> {
  const { LOG_KEYS, logPath } = await import('../service/open-service.ts');
  const { IdentityService, openAccountLog } = await import('../identity/identity-service.ts');
  const { AuditLog } = await import('../audit/audit-log.ts');
  const { identityOptionsOf } = await import('../service/identity-options.ts');
  return withVault(config, true, async (vault) => {
    check(vault);
    const [accountsKey, auditKey] = await vault.namedKeys([LOG_KEYS.accounts, LOG_KEYS.audit]);
    await mkdir(join(config.dataDir, 'logs'), { recursive: true, mode: 0o700 });
    const accountLog = await openAccountLog(logPath(config.dataDir, 'accounts'), accountsKey!);
    try {
      const audit = await AuditLog.open(logPath(config.dataDir, 'audit'), { key: auditKey! });
      try {
        return await fn({ vault, identity: await IdentityService.open(accountLog, identityOptionsOf(config)), audit });
      } finally {
        await audit.close();
      }
    } finally {
      await accountLog.close();
    }
  });
}
