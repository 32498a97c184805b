// Shared plumbing for CLI commands: typed flags, config parsing, opening the vault.
import { loadConfig } from '../config/load-config.ts';
import type { Config } from '../../schemas/config.ts';
import { resolveMasterKey } from '../crypto/resolve-master-key.ts';
import { Vault } from '../store/vault.ts';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A command's own refusal, with a stable code for the audit log; the message is for the terminal only. */
export class CommandFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CommandFailure';
  }
}

export type Flags = Record<string, string | boolean | undefined>;

export interface CommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  isTty: boolean;
  /** asks a person at the terminal and returns the line typed; absent when stdin or stderr is not a terminal */
  ask?: (question: string) => Promise<string>;
  /** asks the person at the terminal without echo; absent when nobody is there to answer */
  askHidden?: (question: string) => Promise<string>;
}

export function stringFlag(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  if (value === undefined || value === false) return undefined;
  if (value === true) throw new UsageError(`--${name} needs a value`);
  return value;
}

export function requireFlag(flags: Flags, name: string): string {
  const value = stringFlag(flags, name);
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}

/** Config from the flags common to all commands, over the environment. */
export function configFrom(flags: Flags, env: NodeJS.ProcessEnv): Config {
  const fromFlags: Record<string, unknown> = {};
  const names: [string, string][] = [
    ['data-dir', 'dataDir'],
    ['master-key-file', 'masterKeyFile'],
    ['new-master-key-file', 'newMasterKeyFile'],
    ['cache-budget-mb', 'cacheBudgetMb'],
    ['workers', 'ingestWorkers'],
    ['log-level', 'logLevel'],
    ['host', 'host'],
    ['port', 'port'],
    ['plain-http', 'plainHttp'],
    ['tls-hostnames', 'tlsHostnames'],
  ];
  for (const [flag, key] of names) {
    if (flags[flag] === true && flag === 'plain-http') {
      fromFlags[key] = true;
      continue;
    }
    const value = stringFlag(flags, flag);
    if (value !== undefined) fromFlags[key] = value;
  }
  return loadConfig(fromFlags, env);
}

export async function withVault<T>(config: Config, write: boolean, fn: (vault: Vault) => Promise<T>): Promise<T> {
  const kek = await resolveMasterKey(config);
  const vault = await Vault.open(config.dataDir, kek, { write });
  try {
    return await fn(vault);
  } finally {
    await vault.close();
  }
}
