import { strict as assert } from 'node:assert';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { newKey } from '../../../vault/crypto/aead.ts';
import { SealedAppendLog, LogEntryError, LogUnavailableError, LogLockedError, verifyLog } from '../../../vault/log/sealed-append-log.ts';
import { chainHash, genesisHash } from '../../../vault/log/log-format.ts';
import { collect } from './log-test-kit.ts';

describe('SealedAppendLog', () => {
  let dir: { path: string; remove: () => Promise<void> };
  let path: string;
  const key = newKey();
  const logId = 'events';
  beforeEach(async () => {
    dir = await makeTempDir();
    path = join(dir.path, 'events.log');
  });
  afterEach(() => dir.remove());

  it('appends entries with consecutive seqs and reads them back in order', async () => {
    const log = await SealedAppendLog.open<{ n: number }>(path, { key, logId });
    assert.equal(log.recovery.created, true);
    const appended = [];
    for (let n = 0; n < 5; n++) appended.push(await log.append({ n }));
    assert.deepEqual(appended.map((e) => e.seq), [1, 2, 3, 4, 5]);
    assert.equal(log.length, 5);
    const read = [];
    for await (const entry of log.entries()) read.push(entry);
    assert.deepEqual(read, appended);
    assert.ok(read.every((e) => !Number.isNaN(Date.parse(e.at)) && /^[0-9a-f]{64}$/.test(e.hash)));
    await log.close();
  });

  it('chains each hash to the previous one, starting from a per-log genesis', async () => {
    const log = await SealedAppendLog.open<string>(path, { key, logId });
    const first = await log.append('a');
    const second = await log.append('b');
    await log.close();
    assert.notEqual(first.hash, second.hash);
    // Same body, seq and time in another log id gives another hash: the chain is per log.
    assert.notDeepEqual(genesisHash('events'), genesisHash('other'));
    const plaintext = Buffer.from(`{"seq":1,"at":"${first.at}","prev":"${genesisHash(logId).toString('hex')}","body":"a"}`);
    assert.equal(chainHash(genesisHash(logId), 1, plaintext).toString('hex'), first.hash);
  });

  it('keeps entries across reopen and continues the sequence', async () => {
    const log = await SealedAppendLog.open<string>(path, { key, logId });
    await log.append('one');
    await log.append('two');
    await log.close();
    const again = await SealedAppendLog.open<string>(path, { key, logId });
    assert.equal(again.recovery.created, false);
    assert.equal(again.length, 2);
    assert.equal((await again.append('three')).seq, 3);
    assert.deepEqual(await collect(again), ['one', 'two', 'three']);
    await again.close();
    assert.deepEqual(await verifyLog(path, { key, logId }).then((r) => [r.ok, r.entries]), [true, 3]);
  });

  it('stores no plaintext: bodies and ids never appear in the file', async () => {
    const log = await SealedAppendLog.open<{ patientId: string }>(path, { key, logId });
    await log.append({ patientId: 'pt_visible_marker' });
    await log.close();
    const bytes = await readFile(path);
    assert.equal(bytes.includes('pt_visible_marker'), false);
    assert.equal(bytes.includes('patientId'), false);
  });

  it('shares one fsync among concurrent appends (group commit) and none among sequential ones', async () => {
    const log = await SealedAppendLog.open<number>(path, { key, logId });
    const entries = await Promise.all(Array.from({ length: 300 }, (_, i) => log.append(i)));
    assert.deepEqual(entries.map((e) => e.body), Array.from({ length: 300 }, (_, i) => i));
    assert.deepEqual(entries.map((e) => e.seq), Array.from({ length: 300 }, (_, i) => i + 1));
    assert.ok(log.groupCommits <= 3, `300 concurrent appends took ${log.groupCommits} commits`);
    const before = log.groupCommits;
    for (let i = 0; i < 4; i++) await log.append(i);
    assert.equal(log.groupCommits, before + 4);
    await log.close();
  });

  it('makes an entry durable before the append resolves: a reader sees it at once', async () => {
    const log = await SealedAppendLog.open<string>(path, { key, logId });
    await log.append('first');
    const report = await verifyLog(path, { key, logId });
    assert.deepEqual([report.ok, report.entries, report.anchoredSeq], [true, 1, 1]);
    await log.close();
  });

  it('refuses bodies that are not JSON values, or too large, and stores nothing', async () => {
    const log = await SealedAppendLog.open<unknown>(path, { key, logId });
    await log.append('kept');
    const size = (await stat(path)).size;
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [undefined, () => 1, 10n, cyclic, 'x'.repeat(1024 * 1024 + 1)]) {
      await assert.rejects(log.append(bad), (err: unknown) => err instanceof LogEntryError && err.message.startsWith('events.log: '));
    }
    assert.equal(log.length, 1);
    assert.equal((await stat(path)).size, size);
    assert.equal((await log.append('next')).seq, 2);
    await log.close();
  });

  it('finishes pending appends on close, then refuses new ones', async () => {
    const log = await SealedAppendLog.open<number>(path, { key, logId });
    const pending = Promise.all([log.append(1), log.append(2)]);
    await log.close();
    assert.deepEqual((await pending).map((e) => e.seq), [1, 2]);
    await assert.rejects(log.append(3), LogUnavailableError);
    await log.close(); // idempotent
    assert.equal((await verifyLog(path, { key, logId })).entries, 2);
  });

  it('allows one writer per log; the lock is released on close', async () => {
    const log = await SealedAppendLog.open(path, { key, logId });
    await assert.rejects(SealedAppendLog.open(path, { key, logId }), LogLockedError);
    await log.close();
    const again = await SealedAppendLog.open(path, { key, logId });
    await again.close();
  });

  it('refuses a key of the wrong size and an empty log id', async () => {
    await assert.rejects(SealedAppendLog.open(path, { key: newKey().subarray(0, 16), logId }), RangeError);
    await assert.rejects(SealedAppendLog.open(path, { key, logId: '' }), RangeError);
  });

  it('waits groupCommitMs to gather appends when idle', async () => {
    const log = await SealedAppendLog.open<number>(path, { key, logId, groupCommitMs: 20 });
    const first = log.append(1);
    await new Promise((r) => setTimeout(r, 5));
    const second = log.append(2);
    await Promise.all([first, second]);
    assert.equal(log.groupCommits, 1);
    await log.close();
  });
});
