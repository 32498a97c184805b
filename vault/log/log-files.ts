// Where the vault's sealed logs live and the names of their data keys in the manifest.
import { join } from 'node:path';

export const LOG_KEYS = { clinical: 'log:clinical', accounts: 'log:accounts', audit: 'log:audit', consent: 'log:consent', policy: 'log:policy' } as const;

/** The log id bound into every entry of the consent log (entries cannot move between logs). */
export const CONSENT_LOG_ID = 'consent';

export type LogName = keyof typeof LOG_KEYS;

export function logPath(dataDir: string, name: LogName): string {
  return join(dataDir, 'logs', `${name}.gvl`);
}
