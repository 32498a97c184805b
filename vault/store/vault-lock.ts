// One writer per vault directory: an exclusive lock file holding the writer's pid. A lock left
// by a process that no longer runs is taken over.
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export interface VaultLock {
  release(): Promise<void>;
}

export class VaultLockedError extends Error {
  constructor(pid: number) {
    super(`the vault is in use by another process (pid ${pid}); try again when it has finished`);
    this.name = 'VaultLockedError';
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

export async function acquireLock(dataDir: string): Promise<VaultLock> {
  const path = join(dataDir, '.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { release: () => unlink(path).catch(() => undefined) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (pid > 0 && pid !== process.pid && isRunning(pid)) throw new VaultLockedError(pid);
      await unlink(path).catch(() => undefined);
    }
  }
  throw new Error('could not take the vault lock');
}
