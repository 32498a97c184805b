// One writer per log: within this process a registry of open paths, across processes a lock
// file `<log>.lock` holding the writer's pid. A lock left by a process that died is taken over,
// which is what lets a log reopen after a crash.
import { open, readFile, unlink } from 'node:fs/promises';
import { basename, resolve } from 'node:path';

const openInThisProcess = new Set<string>();

export class LogLockedError extends Error {
  constructor(file: string, holder: string) {
    super(`${file}: the log is already open for writing ${holder}`);
    this.name = 'LogLockedError';
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

export async function lockLog(path: string): Promise<() => Promise<void>> {
  const absolute = resolve(path);
  if (openInThisProcess.has(absolute)) throw new LogLockedError(basename(path), 'in this process');
  openInThisProcess.add(absolute);
  const lockPath = `${absolute}.lock`;
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(lockPath, 'wx', 0o600);
        await handle.writeFile(String(process.pid));
        await handle.close();
        return async () => {
          await unlink(lockPath).catch(() => undefined);
          openInThisProcess.delete(absolute);
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const pid = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
        if (pid > 0 && pid !== process.pid && isRunning(pid)) throw new LogLockedError(basename(path), `by process ${pid}`);
        await unlink(lockPath).catch(() => undefined);
      }
    }
    throw new LogLockedError(basename(path), 'by another process');
  } catch (err) {
    openInThisProcess.delete(absolute);
    throw err;
  }
}
