// Child process for the pid-lock test: ROUNDS times, takes the lock, increments the number in
// COUNTER by a read and a later write (lost updates show any overlap), and lets go.
import { readFile, writeFile } from 'node:fs/promises';
import { setImmediate as yieldTurn } from 'node:timers/promises';
import { acquirePidLock } from '../../../vault/fs/pid-lock.ts';

const [lockPath, counter, rounds] = process.argv.slice(2);
if (!lockPath || !counter) throw new Error('usage: lock-contender.ts LOCK COUNTER [ROUNDS]');
for (let i = 0; i < Number(rounds ?? 100); i++) {
  const release = await acquirePidLock(lockPath, { waitMs: 30_000 });
  const value = Number(await readFile(counter, 'utf8'));
  await yieldTurn();
  await writeFile(counter, String(value + 1));
  await release();
}
