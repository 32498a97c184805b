// One writer per log: within this process a registry of open paths, across processes a lock
// file `<log>.lock` holding the writer's pid. A lock left by a process that died is taken over,
// which is what lets a log reopen after a crash.
import { acquirePidLock, PidLockHeldError } from '../fs/pid-lock.ts';
import { basename, resolve } from 'node:path';

const openInThisProcess = new Set<string>();

export class LogLockedError extends Error {
  constructor(file: string, holder: string) {
    super(`${file}: the log is already open for writing ${holder}`);
    this.name = 'LogLockedError';
  }
}

export async function lockLog(path: string): Promise<() => Promise<void>> {
  const absolute = resolve(path);
  if (openInThisProcess.has(absolute)) throw new LogLockedError(basename(path), 'in this process');
  openInThisProcess.add(absolute);
  try {
    const release = await acquirePidLock(`${absolute}.lock`);
    return async () => {
      await release();
      openInThisProcess.delete(absolute);
    };
  } catch (err) {
    openInThisProcess.delete(absolute);
    if (err instanceof PidLockHeldError) throw new LogLockedError(basename(path), err.pid > 0 ? `by process ${err.pid}` : 'by another process');
    throw err;
  }
}
