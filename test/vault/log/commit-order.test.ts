// The order of a log's writes and fsyncs, read from Node's file handles: an anchor slot is written
// only after the entries it records are fsynced, and never before the previous slot is fsynced
// (at most one slot unsynced, so a power loss can tear only one); a one-writer log acknowledges
// before its anchor's fsync, a log with several writer processes after it; close leaves it synced.
import { strict as assert } from 'node:assert';
import { open as openFile, readlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { newKey } from '../../../vault/crypto/aead.ts';
import { SealedAppendLog } from '../../../vault/log/sealed-append-log.ts';

type Event = 'log write' | 'log sync' | 'anchor write' | 'anchor sync' | 'ack';

/** Records every write and datasync on file handles while `run` runs, named by the file they reach. */
async function recorded(dir: string, run: (events: Event[]) => Promise<void>): Promise<Event[]> {
  const probe = await openFile(join(dir, 'probe'), 'w');
  const proto = Object.getPrototypeOf(probe) as FileHandle;
  await probe.close();
  const events: Event[] = [];
  type Method = (this: FileHandle, ...args: unknown[]) => Promise<unknown>;
  const patched = proto as unknown as Record<'write' | 'datasync', Method>;
  const original = { write: patched.write, datasync: patched.datasync };
  const kind = async (handle: FileHandle) => ((await readlink(`/proc/self/fd/${handle.fd}`)).endsWith('.anchor') ? 'anchor' : 'log');
  patched.write = async function (this: FileHandle, ...args: unknown[]) {
    const which = await kind(this);
    const out = await original.write.apply(this, args);
    events.push(`${which} write`);
    return out;
  };
  patched.datasync = async function (this: FileHandle) {
    const which = await kind(this);
    // a slow anchor fsync: anything that does not wait for it shows in the order
    if (which === 'anchor') await sleep(15);
    await original.datasync.apply(this);
    events.push(`${which} sync`);
  };
  try {
    await run(events);
  } finally {
    Object.assign(proto, original);
  }
  return events;
}

/** Checks the rules every log keeps, in the recorded order. */
function checkOrder(events: Event[]): void {
  let logSynced = false;
  let anchorUnsynced = false;
  for (const e of events) {
    if (e === 'log write') logSynced = false;
    if (e === 'log sync') logSynced = true;
    if (e === 'anchor write') {
      assert.ok(logSynced, `an anchor slot written before the entries it records were fsynced: ${events.join(', ')}`);
      assert.ok(!anchorUnsynced, `a second anchor slot written while the first was unsynced: ${events.join(', ')}`);
      anchorUnsynced = true;
    }
    if (e === 'anchor sync') anchorUnsynced = false;
  }
  assert.ok(!anchorUnsynced, 'the last anchor slot is fsynced by close');
}

describe('log commit order', () => {
  let dir: { path: string; remove: () => Promise<void> };
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(() => dir.remove());

  for (const sharedWriters of [false, true]) {
    it(`${sharedWriters ? 'several writer processes: acknowledges after the anchor\u2019s fsync' : 'one writer: acknowledges before the anchor\u2019s fsync'}, each slot written after its entries are durable and the slot before it synced`, async () => {
      const path = join(dir.path, 'events.log');
      const log = await SealedAppendLog.open<{ n: number }>(path, { key: newKey(), logId: 'events', sharedWriters });
      const events = await recorded(dir.path, async (ev) => {
        for (let n = 0; n < 4; n++) {
          await log.append({ n });
          ev.push('ack');
        }
        // appends arriving while a flush is in flight: batches follow one another with no pause
        const pending: Promise<unknown>[] = [];
        for (let round = 0; round < 3; round++) {
          for (let n = 0; n < 4; n++) pending.push(log.append({ n }).then(() => ev.push('ack')));
          await nextTurn();
        }
        await Promise.all(pending);
        // the last batch's anchor fsync is still running (one writer): close waits for it
        await log.append({ n: 99 });
        await log.close();
      });
      checkOrder(events);
      const acks = events.map((e, i) => [e, i] as const).filter(([e]) => e === 'ack').map(([, i]) => i);
      const lastAnchorWriteBefore = (i: number) => events.lastIndexOf('anchor write', i);
      const syncedBeforeAck = acks.map((i) => events.slice(lastAnchorWriteBefore(i), i).includes('anchor sync'));
      if (sharedWriters) assert.ok(syncedBeforeAck.every(Boolean), `every acknowledgement after its anchor's fsync: ${events.join(', ')}`);
      else assert.ok(syncedBeforeAck.slice(0, 4).every((s) => !s), `sequential appends acknowledged before their anchor's fsync: ${events.join(', ')}`);
    });
  }
});
