// One writer per vault directory, across processes.
import { join } from 'node:path';
import { acquirePidLock, PidLockHeldError } from '../fs/pid-lock.ts';

export interface VaultLock {
  release(): Promise<void>;
}

export class VaultLockedError extends Error {
  constructor(pid: number) {
    super(`the vault is in use by another process (pid ${pid}); try again when it has finished`);
    this.name = 'VaultLockedError';
  }
}

export async function acquireLock(dataDir: string): Promise<VaultLock> {
  try {
    return { release: await acquirePidLock(join(dataDir, '.lock')) };
  } catch (err) {
    if (err instanceof PidLockHeldError) throw new VaultLockedError(err.pid);
    throw err;
  }
}
