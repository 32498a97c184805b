// An exclusive lock file holding the owner's pid. It appears with its pid already in it (written
// to a private file, then hard-linked into place), so nobody ever reads a lock half made. A lock
// left by a process that no longer runs is taken over, which is what lets a vault or a log reopen
// after a crash. Only one process at a time may remove such a stale lock (it must hold the
// `.break` lock beside it), and nobody can replace a lock while it exists, so what it checked is
// still there when it removes it: a live holder's lock is never removed by another process.
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export class PidLockHeldError extends Error {
  constructor(readonly pid: number) {
    super(`locked by process ${pid}`);
    this.name = 'PidLockHeldError';
  }
}

export interface PidLockOptions {
  /** how long to wait for a live holder to let go; 0 (the default) refuses at once */
  waitMs?: number;
}

/** Whether a process with this pid runs (one of another user's counts). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const privateName = (lockPath: string, kind: string) => `${lockPath}.${kind}.${process.pid}.${randomBytes(4).toString('hex')}`;

async function tryCreate(lockPath: string): Promise<boolean> {
  const made = privateName(lockPath, 'new');
  await writeFile(made, String(process.pid), { mode: 0o600, flag: 'wx' });
  try {
    await link(made, lockPath);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await unlink(made).catch(() => undefined);
  }
}

/** The pid in the lock file, or null when there is none. */
async function holderPid(lockPath: string): Promise<number | null> {
  try {
    return Number((await readFile(lockPath, 'utf8')).trim());
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** A lock of this process's is a leftover: one process never takes the same lock twice. */
const isLive = (pid: number): boolean => pid > 0 && pid !== process.pid && isRunning(pid);

/** Removes the lock if its holder is dead; false when another process is already removing it. */
async function breakStale(lockPath: string): Promise<boolean> {
  const breaker = `${lockPath}.break`;
  if (!(await tryCreate(breaker))) {
    const pid = await holderPid(breaker);
    // a process that died while removing a stale lock left its breaker: remove that first
    if (pid !== null && !isLive(pid)) await unlink(breaker).catch(() => undefined);
    return false;
  }
  try {
    const pid = await holderPid(lockPath);
    if (pid !== null && !isLive(pid)) await unlink(lockPath).catch(() => undefined);
    return true;
  } finally {
    await unlink(breaker).catch(() => undefined);
  }
}

/** Takes the lock at `lockPath`, waiting up to `waitMs` for a live holder; returns its release function. */
export async function acquirePidLock(lockPath: string, options: PidLockOptions = {}): Promise<() => Promise<void>> {
  const deadline = Date.now() + (options.waitMs ?? 0);
  let pause = 1;
  for (let attempt = 0; ; attempt++) {
    if (await tryCreate(lockPath)) return () => unlink(lockPath).catch(() => undefined);
    const pid = await holderPid(lockPath);
    // gone, or a dead holder's lock now removed: try again at once (a few times)
    if (attempt < 20 && (pid === null || (!isLive(pid) && (await breakStale(lockPath))))) continue;
    if (Date.now() >= deadline) throw new PidLockHeldError(pid !== null && isLive(pid) ? pid : -1);
    await sleep(pause);
    pause = Math.min(pause * 2, 20);
  }
}
