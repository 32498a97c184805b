// Who may write a log. Within this process one open log per path (a registry of open paths).
// Across processes a lock file `<log>.lock` holding the writer's pid: held for the writer's whole
// life by a log with one writer, or around each append by a log that several processes share
// (the audit log: the service and host commands). A lock whose process is gone is taken over,
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

/** Claims the log for this process only; returns its release. */
export function claimInProcess(path: string): () => void {
  const absolute = resolve(path);
  if (openInThisProcess.has(absolute)) throw new LogLockedError(basename(path), 'in this process');
  openInThisProcess.add(absolute);
  return () => openInThisProcess.delete(absolute);
}

/** Takes the cross-process lock, waiting up to `waitMs` for another writer; returns its release. */
export async function lockAcrossProcesses(path: string, waitMs = 0): Promise<() => Promise<void>> {
  try {
    return await acquirePidLock(`${resolve(path)}.lock`, { waitMs });
  } catch (err) {
    if (err instanceof PidLockHeldError) throw new LogLockedError(basename(path), err.pid > 0 ? `by process ${err.pid}` : 'by another process');
    throw err;
  }
}

/** Both locks, for the writer's whole life. */
export async function lockLog(path: string): Promise<() => Promise<void>> {
  const releaseHere = claimInProcess(path);
  try {
    const release = await lockAcrossProcesses(path);
    return async () => {
      await release();
      releaseHere();
    };
  } catch (err) {
    releaseHere();
    throw err;
  }
}
