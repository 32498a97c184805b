// A real writer process is killed with SIGKILL mid-stream; every append it acknowledged must be
// in the log afterwards, and the chain must verify. Run twice on the same log so the second
// child also proves the log reopens and continues after a crash.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { newKey } from '../../../vault/crypto/aead.ts';
import { SealedAppendLog, verifyLog } from '../../../vault/log/sealed-append-log.ts';

const child = fileURLToPath(new URL('./crash-appender.ts', import.meta.url));

interface Ack {
  seq: number;
  writer: number;
  n: number;
}

/** Runs the appender until it has acknowledged `killAfter` appends, then SIGKILLs it. */
function runAndKill(path: string, keyHex: string, logId: string, killAfter: number): Promise<{ acks: Ack[]; startLength: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, path, keyHex, logId, '16'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Ack[] = [];
    let startLength = -1;
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: proc.stdout }).on('line', (line) => {
      const parts = line.split(' ');
      if (parts[0] === 'ready') startLength = Number(parts[1]);
      else acks.push({ seq: Number(parts[0]), writer: Number(parts[1]), n: Number(parts[2]) });
      if (acks.length === killAfter) proc.kill('SIGKILL');
    });
    proc.on('error', reject);
    proc.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`appender exited without being killed: ${stderr}`));
      else resolve({ acks, startLength });
    });
  });
}

describe('SealedAppendLog under SIGKILL', function () {
  this.timeout(120_000);
  let dir: { path: string; remove: () => Promise<void> };
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(() => dir.remove());

  it('keeps every acknowledged append and a verifiable chain across two killed writers', async () => {
    const path = join(dir.path, 'crash.log');
    const key = newKey();
    const logId = 'crash-test';
    const allAcks: Ack[] = [];
    let expectedStart = 0;
    for (const killAfter of [400, 700]) {
      const { acks, startLength } = await runAndKill(path, key.toString('hex'), logId, killAfter);
      assert.ok(startLength >= expectedStart, 'a reopened log holds at least what was acknowledged before');
      assert.ok(acks.length >= killAfter);
      allAcks.push(...acks);
      const report = await verifyLog(path, { key, logId });
      assert.equal(report.ok, true, report.firstBroken?.detail);
      expectedStart = Math.max(...acks.map((a) => a.seq));
      assert.ok(report.entries >= expectedStart);
    }
    const log = await SealedAppendLog.open<{ writer: number; n: number }>(path, { key, logId });
    const bySeq = new Map<number, { writer: number; n: number }>();
    for await (const entry of log.entries()) bySeq.set(entry.seq, entry.body);
    await log.close();
    for (const ack of allAcks) assert.deepEqual(bySeq.get(ack.seq), { writer: ack.writer, n: ack.n }, `acknowledged seq ${ack.seq}`);
    assert.equal(new Set(allAcks.map((a) => a.seq)).size, allAcks.length, 'no seq acknowledged twice');
  });
});
