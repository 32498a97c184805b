// `genovault audit verify`: checks the hash chains of the vault's sealed logs (audit, clinical,
// accounts, consent, policy) read-only, and names the first broken entry. Exit 0 only when every chain holds.
import type { LogName } from '../../log/log-files.ts';
import { access } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Vault } from '../../store/vault.ts';
import { configFrom, withVault, UsageError, type CommandIo, type Flags } from '../cli-context.ts';

export const auditHelp = `genovault audit verify --data-dir D
  Verifies, without changing anything, the audit log and the clinical, account, consent and policy logs: every
  entry decrypts under its key, each links to the one before, and the anchor agrees with the
  end of the log. Prints each log's verdict and head hash (record it elsewhere to detect a
  later rollback). Exit 0 when all hold, 1 when any is broken, naming the first broken entry.
  Safe to run while the service is serving.`;

interface CheckedLog {
  name: LogName;
  logId: string;
}

const exists = (path: string) => access(path).then(() => true, () => false);

/** The log's data key, or undefined when the vault never created one (no log was ever opened). */
function keyIfCreated(vault: Vault, keyId: string): Buffer | undefined {
  try {
    return vault.keyOf(keyId);
  } catch {
    return undefined;
  }
}

async function verifyAll(flags: Flags, io: CommandIo): Promise<number> {
  const config = configFrom(flags, io.env);
  const { LOG_KEYS, logPath, CONSENT_LOG_ID } = await import('../../log/log-files.ts');
  const { verifyLog, describeVerifyReport } = await import('../../log/verify-log.ts');
  const { DEFAULT_AUDIT_LOG_ID } = await import('../../audit/audit-log.ts');
  const { ACCOUNT_LOG_ID } = await import('../../identity/account-store.ts');
  const { POLICY_LOG_ID } = await import('../../service/policy-log.ts');
  const logs: CheckedLog[] = [
    { name: 'audit', logId: DEFAULT_AUDIT_LOG_ID },
    { name: 'clinical', logId: 'clinical' },
    { name: 'accounts', logId: ACCOUNT_LOG_ID },
    { name: 'policy', logId: POLICY_LOG_ID },
    { name: 'consent', logId: CONSENT_LOG_ID },
  ];
  let broken = 0;
  await withVault(config, false, async (vault) => {
    for (const log of logs) {
      const path = logPath(config.dataDir, log.name);
      const file = `logs/${basename(path)}`;
      const key = keyIfCreated(vault, LOG_KEYS[log.name]);
      if (!key) {
        // Without a key no entry was ever sealed; a file there anyway is not ours.
        if (await exists(path)) {
          broken++;
          io.out(`${file}: BROKEN: the file exists but the vault holds no key for it`);
        } else io.out(`${file}: not created yet (the service has not run)`);
        continue;
      }
      const report = await verifyLog(path, { key, logId: log.logId });
      if (!report.ok) broken++;
      io.out(describeVerifyReport(file, report));
    }
  });
  io.out(broken === 0 ? 'all logs verified' : `${broken} log(s) BROKEN`);
  return broken === 0 ? 0 : 1;
}

export async function auditCommand(args: string[], flags: Flags, io: CommandIo): Promise<number> {
  const [sub, ...extra] = args;
  if (extra.length > 0) throw new UsageError(`audit ${sub ?? ''} takes no positional arguments`);
  if (sub === 'verify') return verifyAll(flags, io);
  throw new UsageError(sub ? `unknown audit command: ${sub}` : 'audit needs a subcommand: verify');
}
