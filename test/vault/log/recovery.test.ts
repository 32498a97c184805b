// What a crash can leave behind is repaired on open, never reported as tampering: a torn tail
// is discarded (and counted), entries newer than the anchor are kept, a torn anchor slot is
// rewritten. Nothing acknowledged is lost.
import { strict as assert } from 'node:assert';
import { appendFile, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { SealedAppendLog, verifyLog } from '../../../vault/log/sealed-append-log.ts';
import { encodeFrame } from '../../../vault/log/log-format.ts';
import { anchorPathOf } from '../../../vault/log/anchor-file.ts';
import { buildLog, collect, frameSpans } from './log-test-kit.ts';

const bodies = (n: number) => Array.from({ length: n }, (_, i) => ({ n: i + 1 }));

describe('SealedAppendLog crash recovery', () => {
  let dir: { path: string; remove: () => Promise<void> };
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(() => dir.remove());

  it('discards a torn tail (a write cut short after the last commit) and reports its size', async () => {
    const log = await buildLog(dir.path, bodies(4));
    const torn = encodeFrame(log.key, log.logId, 5, Buffer.from('{"seq":5}')).subarray(0, 23);
    await appendFile(log.path, torn);
    const report = await verifyLog(log.path, log);
    assert.deepEqual([report.ok, report.entries, report.tornTail?.bytes], [true, 4, 23]);
    const writer = await SealedAppendLog.open<unknown>(log.path, log);
    assert.equal(writer.recovery.tornTailBytes, 23);
    assert.equal(writer.length, 4);
    assert.equal((await writer.append({ n: 5 })).seq, 5);
    assert.deepEqual(await collect(writer), bodies(5));
    await writer.close();
    const after = await verifyLog(log.path, log);
    assert.deepEqual([after.ok, after.entries, after.tornTail], [true, 5, undefined]);
  });

  it('discards a torn tail that is only part of a length prefix', async () => {
    const log = await buildLog(dir.path, bodies(2));
    await appendFile(log.path, Buffer.from([0, 0, 1]));
    const writer = await SealedAppendLog.open<unknown>(log.path, log);
    assert.deepEqual([writer.recovery.tornTailBytes, writer.length], [3, 2]);
    await writer.close();
  });

  it('keeps complete entries newer than the anchor (crash between log and anchor fsync) and anchors them', async () => {
    const log = await buildLog(dir.path, bodies(7), { anchorLag: 3 });
    const report = await verifyLog(log.path, log);
    assert.deepEqual([report.ok, report.entries, report.anchoredSeq, report.beyondAnchor], [true, 7, 4, 3]);
    const writer = await SealedAppendLog.open<unknown>(log.path, log);
    assert.deepEqual([writer.recovery.beyondAnchor, writer.length], [3, 7]);
    assert.deepEqual(await collect(writer), bodies(7));
    await writer.close();
    assert.equal((await verifyLog(log.path, log)).anchoredSeq, 7);
    // Now anchored, cutting them off is detected.
    await writeFile(log.path, (await readFile(log.path)).subarray(0, frameSpans(await readFile(log.path))[5]!.end));
    assert.deepEqual((await verifyLog(log.path, log)).firstBroken?.reason, 'truncated');
  });

  it('treats a damaged frame past the anchor as an unacknowledged leftover, not as tampering', async () => {
    const log = await buildLog(dir.path, bodies(5), { anchorLag: 2 });
    const bytes = await readFile(log.path);
    const spans = frameSpans(bytes);
    bytes[spans[3]!.end - 1]! ^= 0x40; // inside entry 4, past anchored entry 3
    await writeFile(log.path, bytes);
    const report = await verifyLog(log.path, log);
    assert.deepEqual([report.ok, report.entries, report.tornTail?.offset], [true, 3, spans[3]!.offset]);
    const writer = await SealedAppendLog.open<unknown>(log.path, log);
    assert.deepEqual(await collect(writer), bodies(3));
    await writer.close();
    assert.equal((await stat(log.path)).size, spans[3]!.offset);
  });

  it('survives one torn anchor slot and rewrites it', async () => {
    const log = await buildLog(dir.path, bodies(3));
    const anchor = await readFile(anchorPathOf(log.path));
    anchor[30]! ^= 0xff;
    await writeFile(anchorPathOf(log.path), anchor);
    const report = await verifyLog(log.path, log);
    assert.equal(report.ok, true);
    assert.equal(report.damagedAnchorSlots, 1);
    const writer = await SealedAppendLog.open<unknown>(log.path, log);
    assert.deepEqual([writer.recovery.damagedAnchorSlots, writer.length], [1, 3]);
    await writer.close();
    const after = await verifyLog(log.path, log);
    assert.deepEqual([after.ok, after.entries, after.damagedAnchorSlots], [true, 3, 0]);
  });

  it('finishes creating a log when a crash left only its fresh anchor', async () => {
    const log = await buildLog(dir.path, []);
    await rm(log.path);
    assert.equal((await verifyLog(log.path, log)).ok, true);
    const writer = await SealedAppendLog.open<unknown>(log.path, log);
    assert.equal(writer.recovery.created, true);
    await writer.append({ n: 1 });
    await writer.close();
    assert.equal((await verifyLog(log.path, log)).entries, 1);
  });

  it('reports a log that does not exist at all', async () => {
    const report = await verifyLog(`${dir.path}/never.log`, { key: Buffer.alloc(32), logId: 'x' });
    assert.deepEqual([report.ok, report.firstBroken?.reason], [false, 'log_missing']);
  });
});
