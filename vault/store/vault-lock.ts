// The vault's writer lock, held for one change at a time (never for the life of a process), so a
// serving service, a command-line ingest and an erasure can share a data directory. Across
// processes it is `<data-dir>/.lock` (the holder's pid; a dead holder's lock is taken over); in
// one process a queue per directory in front of it, since the pid file cannot tell two holders in
// the same process apart. Whatever runs inside a holder (a change committing within an erasure)
// re-enters without waiting for itself.
import { AsyncLocalStorage } from 'node:async_hooks';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { acquirePidLock, PidLockHeldError } from '../fs/pid-lock.ts';

/** How long a change waits for another to finish committing, by default. */
export const DEFAULT_LOCK_WAIT_MS = 60_000;

export class VaultLockedError extends Error {
  readonly code = 'vault_busy';
  constructor(pid: number) {
    super(`the vault is busy with another change (${pid > 0 ? `process ${pid}` : 'another process'}); try again when it has finished`);
    this.name = 'VaultLockedError';
  }
}

/** The directories whose lock the current async context holds. */
const holding = new AsyncLocalStorage<ReadonlySet<string>>();
/** Per directory, the end of this process's queue for its lock. */
const queues = new Map<string, Promise<void>>();

/** True when the caller runs inside a holder of `dataDir`'s lock. */
export function holdsWriterLock(dataDir: string): boolean {
  return holding.getStore()?.has(resolve(dataDir)) ?? false;
}

/** Waits for `previous` up to `waitMs`; false when it did not settle in time. */
async function within(previous: Promise<void>, waitMs: number): Promise<boolean> {
  const controller = new AbortController();
  const timeout = sleep(waitMs, false, { signal: controller.signal }).catch(() => false);
  try {
    return await Promise.race([previous.then(() => true), timeout]);
  } finally {
    controller.abort();
  }
}

/** Runs `fn` holding the writer lock of `dataDir`, waiting up to `waitMs` for other holders. */
export async function withWriterLock<T>(dataDir: string, fn: () => Promise<T>, options: { waitMs?: number } = {}): Promise<T> {
  const key = resolve(dataDir);
  const outer = holding.getStore();
  if (outer?.has(key)) return fn();
  const deadline = Date.now() + (options.waitMs ?? DEFAULT_LOCK_WAIT_MS);
  const previous = queues.get(key) ?? Promise.resolve();
  let leave!: () => void;
  const mine = new Promise<void>((settle) => (leave = settle));
  const end = previous.then(() => mine);
  queues.set(key, end);
  try {
    if (!(await within(previous, Math.max(0, deadline - Date.now())))) throw new VaultLockedError(process.pid);
    let release: () => Promise<void>;
    try {
      release = await acquirePidLock(join(key, '.lock'), { waitMs: Math.max(0, deadline - Date.now()) });
    } catch (err) {
      if (err instanceof PidLockHeldError) throw new VaultLockedError(err.pid);
      throw err;
    }
    try {
      return await holding.run(new Set([...(outer ?? []), key]), fn);
    } finally {
      await release();
    }
  } finally {
    leave();
    if (queues.get(key) === end) queues.delete(key);
  }
}
