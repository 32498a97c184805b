// The pid lock file: one holder at a time across processes, even when they contend hard; a lock
// whose process is gone is taken over; a live holder is waited for, then reported.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { acquirePidLock, PidLockHeldError } from '../../../vault/fs/pid-lock.ts';

const contender = fileURLToPath(new URL('./lock-contender.ts', import.meta.url));

function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', contender, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('pid lock', function () {
  this.timeout(60_000);
  let dir: { path: string; remove: () => Promise<void> };
  beforeEach(async () => (dir = await makeTempDir()));
  afterEach(() => dir.remove());

  it('lets one process at a time hold it: four processes incrementing one counter lose no update', async () => {
    const lock = join(dir.path, 'x.lock');
    const counter = join(dir.path, 'counter');
    await writeFile(counter, '0');
    const results = await Promise.all(Array.from({ length: 4 }, () => run([lock, counter, '150'])));
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    assert.equal(Number(await readFile(counter, 'utf8')), 600);
    assert.deepEqual(await readdir(dir.path), ['counter'], 'no lock or private file left behind');
  });

  it('takes over a lock whose process is gone, and one this process left', async () => {
    const lock = join(dir.path, 'x.lock');
    for (const leftover of ['999999999', String(process.pid), 'not a pid']) {
      await writeFile(lock, leftover);
      const release = await acquirePidLock(lock);
      assert.equal(await readFile(lock, 'utf8'), String(process.pid));
      await release();
    }
  });

  it('waits for a live holder, then names it', async () => {
    const lock = join(dir.path, 'x.lock');
    await writeFile(lock, String(process.ppid));
    const started = Date.now();
    await assert.rejects(acquirePidLock(lock, { waitMs: 200 }), (err: unknown) => err instanceof PidLockHeldError && err.pid === process.ppid);
    assert.ok(Date.now() - started >= 180);
    await assert.rejects(acquirePidLock(lock), PidLockHeldError, 'without waitMs it refuses at once');
  });
});
