// Several processes appending to one log (the audit log: the service and host commands): every
// append takes the lock and first reads what the others wrote, so there is one chain, with every
// entry once; a writer killed mid-append is taken over; one that keeps the log to itself makes
// the others wait and then fail clearly.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { appendFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { newKey } from '../../../vault/crypto/aead.ts';
import { SealedAppendLog, LogUnavailableError, verifyLog, type LogEntry } from '../../../vault/log/sealed-append-log.ts';
import { collect } from './log-test-kit.ts';

const appender = fileURLToPath(new URL('./shared-appender.ts', import.meta.url));
const crashAppender = fileURLToPath(new URL('./crash-appender.ts', import.meta.url));
const LOG_ID = 'audit';

interface Body {
  writer: string | number;
  n: number;
}

function runChild(args: string[], onLine?: (line: string, kill: () => void) => void): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: proc.stdout }).on('line', (line) => onLine?.(line, () => proc.kill('SIGKILL')));
    proc.on('error', reject);
    proc.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('a log with several writer processes', function () {
  this.timeout(60_000);
  let dir: { path: string; remove: () => Promise<void> };
  let path: string;
  const key = newKey();
  beforeEach(async () => {
    dir = await makeTempDir();
    path = join(dir.path, 'audit.gvl');
  });
  afterEach(() => dir.remove());

  it('keeps one verifying chain while three processes and this one append at once, every entry once', async () => {
    const foreign: LogEntry<Body>[] = [];
    const log = await SealedAppendLog.open<Body>(path, { key, logId: LOG_ID, sharedWriters: true, onForeignEntries: (entries) => foreign.push(...entries) });
    const children = ['a', 'b', 'c'].map((name) => runChild([appender, path, key.toString('hex'), LOG_ID, name, '150', '1']));
    let mine = 0;
    let running = true;
    const finished = Promise.all(children).finally(() => (running = false));
    const local = async () => {
      while (running || mine < 50) await log.append({ writer: 'local', n: mine++ });
    };
    await Promise.all([local(), local(), finished]);
    for (const child of await finished) assert.equal(child.code, 0, child.stderr);
    await log.append({ writer: 'local', n: mine++ }); // catches up with whatever the children wrote last
    const report = await verifyLog(path, { key, logId: LOG_ID });
    assert.equal(report.ok, true, JSON.stringify(report.firstBroken));
    assert.equal(report.entries, 450 + mine);
    const bodies = await collect(log);
    const keys = bodies.map((b) => `${b.writer}:${b.n}`);
    assert.equal(new Set(keys).size, keys.length, 'no entry twice');
    for (const name of ['a', 'b', 'c']) assert.equal(bodies.filter((b) => b.writer === name).length, 150, `every entry of ${name}`);
    const turns = bodies.filter((b, i) => i > 0 && b.writer !== bodies[i - 1]!.writer).length;
    assert.ok(turns > 3, `the writers really took turns, not one after the other (${turns} changes of writer)`);
    assert.equal(foreign.length, 450, 'this writer was handed every entry the others appended');
    assert.deepEqual(foreign.map((e) => e.seq), [...foreign.map((e) => e.seq)].sort((x, y) => x - y));
    await log.close();
  });

  it('takes over from a writer killed mid-append and continues the chain after its last entry', async () => {
    let acked = 0;
    const killed = await runChild([crashAppender, path, key.toString('hex'), LOG_ID, '8', 'shared'], (line, kill) => {
      if (!line.startsWith('ready') && ++acked === 200) kill();
    });
    assert.equal(killed.signal, 'SIGKILL');
    // as if the kill had come mid-write: half a frame past the last entry
    await appendFile(path, Buffer.from([0, 0, 0, 90, 0, 0, 0, 0, 0, 0, 1]));
    const log = await SealedAppendLog.open<Body>(path, { key, logId: LOG_ID, sharedWriters: true });
    const entry = await log.append({ writer: 'after', n: 0 });
    assert.equal(entry.seq, log.length);
    assert.ok(entry.seq > 200, 'chained after every acknowledged entry');
    await log.close();
    const report = await verifyLog(path, { key, logId: LOG_ID });
    assert.deepEqual([report.ok, report.tornTail], [true, undefined]);
  });

  it('cuts off a dead writer\u2019s half-done append found while appending, and goes on', async () => {
    const log = await SealedAppendLog.open<Body>(path, { key, logId: LOG_ID, sharedWriters: true });
    await log.append({ writer: 'x', n: 0 });
    await appendFile(path, Buffer.from([0, 0, 0, 90, 0, 0, 0, 0, 0, 0, 0, 2, 7, 7]));
    await log.append({ writer: 'x', n: 1 });
    await log.close();
    const report = await verifyLog(path, { key, logId: LOG_ID });
    assert.deepEqual([report.ok, report.entries, report.tornTail], [true, 2, undefined]);
  });

  it('makes shared appends wait for a writer that keeps the log to itself, then fail clearly, writing nothing', async () => {
    const shared = await SealedAppendLog.open<Body>(path, { key, logId: LOG_ID, sharedWriters: true, lockWaitMs: 300 });
    await shared.append({ writer: 's', n: 0 });
    await writeFile(`${path}.lock`, String(process.ppid)); // a live process holds the log
    const started = Date.now();
    await assert.rejects(shared.append({ writer: 's', n: 1 }), (err: unknown) => err instanceof LogUnavailableError && /another writer/.test(err.message));
    assert.ok(Date.now() - started >= 250, 'it waited for the holder first');
    await writeFile(`${path}.lock`, '999999999'); // that holder is gone now: its lock is taken over
    await shared.append({ writer: 's', n: 2 });
    await shared.close();
    assert.deepEqual((await verifyLog(path, { key, logId: LOG_ID })).entries, 2);
  });

  it('refuses to append once the log was cut short behind its back', async () => {
    const log = await SealedAppendLog.open<Body>(path, { key, logId: LOG_ID, sharedWriters: true });
    await log.append({ writer: 'x', n: 0 });
    await log.append({ writer: 'x', n: 1 });
    await truncate(path, 100);
    await assert.rejects(log.append({ writer: 'x', n: 2 }), LogUnavailableError);
    await assert.rejects(log.append({ writer: 'x', n: 3 }), LogUnavailableError, 'and keeps refusing');
    await log.close();
  });
});
