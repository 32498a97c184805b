// Where the vault's sealed logs live and the names of their data keys in the manifest.
import { join } from 'node:path';

export const LOG_KEYS = { clinical: 'log:clinical', accounts: 'log:accounts', audit: 'log:audit' } as const;

export function logPath(dataDir: string, name: keyof typeof LOG_KEYS): string {
  return join(dataDir, 'logs', `${name}.gvl`);
}
