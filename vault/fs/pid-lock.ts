// An exclusive lock file holding the owner's pid. A lock left by a process that no longer runs
// is taken over, which is what lets a vault or a log reopen after a crash.
import { open, readFile, unlink } from 'node:fs/promises';

export class PidLockHeldError extends Error {
  constructor(readonly pid: number) {
    super(`locked by process ${pid}`);
    this.name = 'PidLockHeldError';
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock at `lockPath`; returns its release function. */
export async function acquirePidLock(lockPath: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => unlink(lockPath).catch(() => undefined);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (pid > 0 && pid !== process.pid && isRunning(pid)) throw new PidLockHeldError(pid);
      await unlink(lockPath).catch(() => undefined);
    }
  }
  throw new PidLockHeldError(-1);
}
