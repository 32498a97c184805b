// Every way of altering a committed log is detected by verifyLog and refused by open, with the
// reason and the first broken entry; a refused open changes nothing on disk.
import { strict as assert } from 'node:assert';
import { copyFile, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { newKey } from '../../../vault/crypto/aead.ts';
import { SealedAppendLog, LogIntegrityError, verifyLog, describeVerifyReport } from '../../../vault/log/sealed-append-log.ts';
import type { LogFailure } from '../../../vault/log/sealed-append-log.ts';
import { anchorPathOf } from '../../../vault/log/anchor-file.ts';
import { buildLog, fileDigest, frameSpans } from './log-test-kit.ts';
import type { BuiltLog } from './log-test-kit.ts';

const SIX = ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'].map((id) => ({ id }));

async function expectBroken(log: BuiltLog, seq: number, reason: LogFailure, options: { key?: Buffer; logId?: string } = {}): Promise<void> {
  const opts = { key: options.key ?? log.key, logId: options.logId ?? log.logId };
  const report = await verifyLog(log.path, opts);
  assert.equal(report.ok, false);
  assert.deepEqual([report.firstBroken?.seq, report.firstBroken?.reason], [seq, reason], report.firstBroken?.detail);
  const before = await fileDigest(log.path).catch(() => 'absent');
  await assert.rejects(SealedAppendLog.open(log.path, opts), (err: unknown) => {
    assert.ok(err instanceof LogIntegrityError);
    assert.deepEqual([err.seq, err.reason], [seq, reason]);
    assert.ok(err.message.startsWith('test.log: '), err.message);
    assert.ok(!err.message.includes(log.path), 'the error names the file, not its directory');
    return true;
  });
  assert.equal(await fileDigest(log.path).catch(() => 'absent'), before, 'a refused open leaves the file as it was');
}

async function rewrite(path: string, edit: (bytes: Buffer, spans: ReturnType<typeof frameSpans>) => Buffer): Promise<void> {
  const bytes = await readFile(path);
  await writeFile(path, edit(bytes, frameSpans(bytes)));
}

describe('SealedAppendLog tamper detection', () => {
  let dir: { path: string; remove: () => Promise<void> };
  let log: BuiltLog;
  beforeEach(async () => {
    dir = await makeTempDir();
    log = await buildLog(dir.path, SIX);
  });
  afterEach(() => dir.remove());

  it('verifies the untouched log', async () => {
    const report = await verifyLog(log.path, log);
    assert.deepEqual([report.ok, report.entries, report.anchoredSeq, report.firstBroken], [true, 6, 6, undefined]);
  });

  it('detects one edited byte in a middle entry', async () => {
    await rewrite(log.path, (bytes, spans) => {
      bytes[spans[2]!.end - 5]! ^= 0x01;
      return bytes;
    });
    await expectBroken(log, 3, 'tampered');
  });

  it('detects an edited length prefix of a middle entry', async () => {
    await rewrite(log.path, (bytes, spans) => {
      bytes.writeUInt32BE(bytes.readUInt32BE(spans[3]!.offset) - 1, spans[3]!.offset);
      return bytes;
    });
    await expectBroken(log, 4, 'tampered');
  });

  it('detects a deleted entry', async () => {
    await rewrite(log.path, (bytes, spans) => Buffer.concat([bytes.subarray(0, spans[2]!.offset), bytes.subarray(spans[2]!.end)]));
    await expectBroken(log, 3, 'missing');
  });

  it('detects two swapped entries', async () => {
    await rewrite(log.path, (bytes, spans) => {
      const [third, fourth] = [spans[2]!, spans[3]!];
      return Buffer.concat([bytes.subarray(0, third.offset), bytes.subarray(fourth.offset, fourth.end), bytes.subarray(third.offset, third.end), bytes.subarray(fourth.end)]);
    });
    await expectBroken(log, 3, 'reordered');
  });

  it('detects a replayed (duplicated) entry', async () => {
    await rewrite(log.path, (bytes, spans) => Buffer.concat([bytes.subarray(0, spans[3]!.offset), bytes.subarray(spans[1]!.offset, spans[1]!.end), bytes.subarray(spans[3]!.offset)]));
    await expectBroken(log, 4, 'reordered');
  });

  it('detects whole entries cut off the end, at a frame boundary', async () => {
    const spans = frameSpans(await readFile(log.path));
    await truncate(log.path, spans[3]!.end);
    await expectBroken(log, 5, 'truncated');
  });

  it('detects a cut in the middle of an acknowledged entry', async () => {
    const spans = frameSpans(await readFile(log.path));
    await truncate(log.path, spans[5]!.offset + 20);
    await expectBroken(log, 6, 'truncated');
  });

  it('detects the file replaced by an older copy of itself (rollback against the anchor)', async () => {
    const older = join(dir.path, 'older.log');
    await copyFile(log.path, older);
    const writer = await SealedAppendLog.open<unknown>(log.path, log);
    await writer.append({ id: 'e7' });
    await writer.append({ id: 'e8' });
    await writer.close();
    await copyFile(older, log.path);
    await expectBroken(log, 7, 'truncated');
  });

  it('detects an entry moved in from another log under the same key', async () => {
    const other = await buildLog(dir.path, SIX, { name: 'other.log', key: log.key, logId: 'other-log' });
    const foreign = await readFile(other.path);
    const foreignThird = frameSpans(foreign)[2]!;
    await rewrite(log.path, (bytes, spans) => Buffer.concat([bytes.subarray(0, spans[2]!.offset), foreign.subarray(foreignThird.offset, foreignThird.end), bytes.subarray(spans[2]!.end)]));
    await expectBroken(log, 3, 'tampered');
  });

  it('detects an entry spliced in from a diverged copy of the same log (the hash chain)', async () => {
    const fork = join(dir.path, 'fork.log');
    await copyFile(log.path, fork);
    await copyFile(anchorPathOf(log.path), anchorPathOf(fork));
    for (const [path, tag] of [[log.path, 'main'], [fork, 'fork']] as const) {
      const writer = await SealedAppendLog.open<unknown>(path, log);
      await writer.append({ id: `${tag}-7` });
      await writer.append({ id: `${tag}-8` });
      await writer.close();
    }
    const forkBytes = await readFile(fork);
    const forkEighth = frameSpans(forkBytes)[7]!;
    await rewrite(log.path, (bytes, spans) => Buffer.concat([bytes.subarray(0, spans[7]!.offset), forkBytes.subarray(forkEighth.offset, forkEighth.end)]));
    await expectBroken(log, 8, 'chain_broken');
  });

  it('detects the log replaced by a diverged copy, through the anchor hash', async () => {
    const fork = join(dir.path, 'fork.log');
    await copyFile(log.path, fork);
    await copyFile(anchorPathOf(log.path), anchorPathOf(fork));
    for (const [path, tag] of [[log.path, 'main'], [fork, 'fork']] as const) {
      const writer = await SealedAppendLog.open<unknown>(path, log);
      await writer.append({ id: `${tag}-7` });
      await writer.close();
    }
    await copyFile(fork, log.path);
    await expectBroken(log, 7, 'forked');
  });

  it('names a wrong key or a wrong log id clearly', async () => {
    await expectBroken(log, 0, 'wrong_key', { key: newKey() });
    await expectBroken(log, 0, 'wrong_key', { logId: 'another-id' });
  });

  it('refuses a file that is not a sealed log', async () => {
    await writeFile(log.path, 'seq,at,body\n1,2024-01-01,hello\n');
    await expectBroken(log, 0, 'not_a_log');
  });

  it('refuses a log whose anchor was deleted, or whose anchor slots are both damaged', async () => {
    const anchorBytes = await readFile(anchorPathOf(log.path));
    await rm(anchorPathOf(log.path));
    await expectBroken(log, 0, 'anchor_missing');
    anchorBytes[20]! ^= 0xff; // slot 0
    anchorBytes[100]! ^= 0xff; // slot 1
    await writeFile(anchorPathOf(log.path), anchorBytes);
    await expectBroken(log, 0, 'anchor_damaged');
  });

  it('describes a report for a terminal: the verdict, the entry and the reason', async () => {
    assert.match(describeVerifyReport('test.log', await verifyLog(log.path, log)), /^test\.log: OK, 6 entries.*\n {2}head hash: [0-9a-f]{64}$/);
    await rewrite(log.path, (bytes, spans) => Buffer.concat([bytes.subarray(0, spans[2]!.offset), bytes.subarray(spans[2]!.end)]));
    const text = describeVerifyReport('test.log', await verifyLog(log.path, log));
    assert.match(text, /^test\.log: BROKEN at entry 3: found entry 4 where entry 3 belongs \(missing\)\n {2}entries verified before it: 2$/);
  });

  it('refuses to recreate a deleted log whose anchor records entries', async () => {
    await rm(log.path);
    await expectBroken(log, 1, 'log_missing');
  });
});
