// A vault made by the real `genovault init` in a fresh temp dir, the environment that opens it,
// the service opened in-process to check what the CLI did (close it before the next CLI run), and
// the entries of its audit log.
import { join } from 'node:path';
import { strict as assert } from 'node:assert';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { runCli, type CliResult } from '../../helpers/run-cli.ts';
import { masterKeyFromBase64, newMasterKey, readMasterKeyFile } from '../../../vault/crypto/master-key.ts';
import { Vault } from '../../../vault/store/vault.ts';
import { LOG_KEYS, logPath } from '../../../vault/log/log-files.ts';
import { inspectLog } from '../../../vault/log/log-scan.ts';
import type { AuditEvent } from '../../../vault/audit/audit-event.ts';
import type { LogEntry } from '../../../vault/log/log-format.ts';
import { loadConfig } from '../../../vault/config/load-config.ts';
import { openVaultService, type VaultService } from '../../../vault/service/open-service.ts';

export interface CliVault {
  root: string;
  dataDir: string;
  /** opens this vault: GENOVAULT_DATA_DIR and GENOVAULT_MASTER_KEY */
  env: NodeJS.ProcessEnv;
  keyBase64: string;
  cli(args: string[], extraEnv?: NodeJS.ProcessEnv): Promise<CliResult>;
  openService(): Promise<VaultService>;
  remove(): Promise<void>;
}

export async function makeCliVault(): Promise<CliVault> {
  const dir = await makeTempDir('genovault-cli-');
  const dataDir = join(dir.path, 'vault');
  const keyBase64 = newMasterKey('test').bytes.toString('base64');
  const env = { GENOVAULT_DATA_DIR: dataDir, GENOVAULT_MASTER_KEY: keyBase64 };
  const cli = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => runCli(args, { env: { ...env, ...extraEnv }, cwd: dir.path });
  const init = await cli(['init']);
  assert.equal(init.code, 0, init.stderr);
  return {
    root: dir.path,
    dataDir,
    env,
    keyBase64,
    cli,
    openService: () => openVaultService(loadConfig({ dataDir, masterKey: keyBase64, logLevel: 'silent' }, {})),
    remove: dir.remove,
  };
}

/** The value printed after `label` on its own line of `text`, e.g. the TOTP secret. */
export function printed(text: string, label: RegExp): string {
  const match = new RegExp(`${label.source}\\s*(\\S+)`).exec(text);
  assert.ok(match?.[1], `expected ${label.source} in:\n${text}`);
  return match[1];
}

/** Every entry of the audit log, read with the key from the manifest (the vault opened read-only under its current master key). */
export async function auditEntries(v: CliVault): Promise<LogEntry<AuditEvent>[]> {
  const keyFile = v.env.GENOVAULT_MASTER_KEY_FILE;
  const kek = keyFile ? await readMasterKeyFile(keyFile) : masterKeyFromBase64(v.keyBase64, 'test');
  const vault = await Vault.open(v.dataDir, kek, { write: false });
  const key = vault.keyOf(LOG_KEYS.audit);
  await vault.close();
  const entries: LogEntry<AuditEvent>[] = [];
  await inspectLog(logPath(v.dataDir, 'audit'), key, 'audit', (e) => entries.push(e as LogEntry<AuditEvent>));
  return entries;
}
