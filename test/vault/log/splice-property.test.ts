// Splices of whole entries, made so that every check but the previous-hash link is satisfied:
// only `prev` (each entry naming the hash of the one before it) can tell. For any log and any
// splice, verification reports the chain broken at the first entry whose predecessor is not its
// own, and accepts only what really is one unbroken history.
//
// 1. With the log key (an insider): a run of entries removed, duplicated elsewhere, or brought in
//    from another history of the same log; every entry re-sealed under its new seq with its inner
//    seq rewritten, and the anchor rewritten to the new head.
// 2. Without the key: frames of a diverged copy of the log (same key, same log id, same seqs)
//    spliced in at their own positions, with the anchor of whichever copy ends the file.
import { strict as assert } from 'node:assert';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { newKey, open } from '../../../vault/crypto/aead.ts';
import { SealedAppendLog, LogIntegrityError, verifyLog } from '../../../vault/log/sealed-append-log.ts';
import { chainHash, encodeFrame, entryAad, entryPlaintext, FRAME_HEADER_BYTES, genesisHash, HEADER_BYTES } from '../../../vault/log/log-format.ts';
import { AnchorWriter, anchorPathOf, createAnchor } from '../../../vault/log/anchor-file.ts';
import { frameSpans } from './log-test-kit.ts';

const LOG_ID = 'splice-log';
const body = fc.record({ actor: fc.string({ maxLength: 8 }), n: fc.integer() });

/** Where a spliced entry came from: which history, and its seq there. */
interface Origin {
  history: 'main' | 'other';
  seq: number;
}

/**
 * The oracle, from the rule alone: entry p is in place when it was entry p of its history and
 * entry p-1 came from the same history (histories that share a prefix agree up to `shared`).
 */
function firstBreak(spliced: Origin[], shared = 0): number | null {
  for (let i = 0; i < spliced.length; i++) {
    const here = spliced[i]!;
    const before = spliced[i - 1];
    const samePast = !before || before.seq <= shared || before.history === here.history;
    if (here.seq !== i + 1 || !samePast) return i + 1;
  }
  return null;
}

async function appendAll(path: string, key: Buffer, bodies: unknown[]): Promise<void> {
  const log = await SealedAppendLog.open<unknown>(path, { key, logId: LOG_ID });
  for (const b of bodies) await log.append(b);
  await log.close();
}

async function expectVerdict(path: string, key: Buffer, broken: number | null, entries: number): Promise<void> {
  const report = await verifyLog(path, { key, logId: LOG_ID });
  if (broken === null) {
    assert.deepEqual([report.ok, report.entries], [true, entries], JSON.stringify(report.firstBroken));
    return;
  }
  assert.deepEqual([report.ok, report.firstBroken?.seq, report.firstBroken?.reason], [false, broken, 'chain_broken'], JSON.stringify(report.firstBroken));
  await assert.rejects(SealedAppendLog.open(path, { key, logId: LOG_ID }), (err: unknown) => err instanceof LogIntegrityError && err.seq === broken && err.reason === 'chain_broken');
}

/** Each entry's plaintext parts, opened with the key. */
async function entriesOf(path: string, key: Buffer): Promise<{ at: string; prev: string; body: unknown }[]> {
  const bytes = await readFile(path);
  return frameSpans(bytes).map((span) => {
    const plaintext = open(key, bytes.subarray(span.offset + FRAME_HEADER_BYTES, span.end), entryAad(LOG_ID, span.seq));
    return JSON.parse(plaintext.toString('utf8')) as { at: string; prev: string; body: unknown };
  });
}

type Splice = { kind: 'remove'; from: number; count: number } | { kind: 'duplicate' | 'bring in'; from: number; count: number; at: number };

const splice = fc.oneof(
  fc.record({ kind: fc.constant('remove' as const), from: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constantFrom('duplicate' as const, 'bring in' as const), from: fc.nat(), count: fc.integer({ min: 1, max: 8 }), at: fc.nat() }),
);

function applySplice(s: Splice, mainLength: number, otherLength: number): Origin[] {
  const main = Array.from({ length: mainLength }, (_, i): Origin => ({ history: 'main', seq: i + 1 }));
  if (s.kind === 'remove') {
    const from = s.from % mainLength;
    return [...main.slice(0, from), ...main.slice(from + Math.min(s.count, mainLength - from))];
  }
  const source = s.kind === 'duplicate' ? main : Array.from({ length: otherLength }, (_, i): Origin => ({ history: 'other', seq: i + 1 }));
  const from = s.from % source.length;
  const run = source.slice(from, from + s.count);
  const at = s.at % (mainLength + 1);
  return [...main.slice(0, at), ...run, ...main.slice(at)];
}

describe('SealedAppendLog splices (property)', function () {
  this.timeout(180_000);

  it('re-sealed and re-anchored with the key: removing, duplicating or bringing in a run breaks the chain where it lands', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(body, { minLength: 1, maxLength: 7 }), fc.array(body, { minLength: 1, maxLength: 4 }), splice, async (mainBodies, otherBodies, s) => {
        const dir = await makeTempDir();
        try {
          const key = newKey();
          const path = join(dir.path, 'main.log');
          const otherPath = join(dir.path, 'other.log');
          await appendAll(path, key, mainBodies);
          // another history of the same log from its first entry on: same key, same log id
          await appendAll(otherPath, key, otherBodies.map((b) => ({ ...b, other: true })));
          const parts = { main: await entriesOf(path, key), other: await entriesOf(otherPath, key) };
          const spliced = applySplice(s, mainBodies.length, otherBodies.length);

          const header = (await readFile(path)).subarray(0, HEADER_BYTES);
          let head = genesisHash(LOG_ID);
          const frames = spliced.map((origin, i) => {
            const { at, prev, body: b } = parts[origin.history][origin.seq - 1]!;
            const plaintext = entryPlaintext(i + 1, at, Buffer.from(prev, 'hex'), JSON.stringify(b));
            head = chainHash(head, i + 1, plaintext);
            return encodeFrame(key, LOG_ID, i + 1, plaintext);
          });
          await writeFile(path, Buffer.concat([header, ...frames]));
          await createAnchor(path, key, LOG_ID, genesisHash(LOG_ID));
          if (spliced.length > 0) {
            const anchor = await AnchorWriter.open(path, key, LOG_ID, 0);
            await anchor.commit(spliced.length, head);
            await anchor.close();
          }
          // only a cut tail keeps the chain whole: that needs the head hash kept elsewhere
          const broken = firstBreak(spliced);
          if (broken === null) assert.ok(s.kind === 'remove' && spliced.every((o, i) => o.history === 'main' && o.seq === i + 1));
          await expectVerdict(path, key, broken, spliced.length);
        } finally {
          await dir.remove();
        }
      }),
      { numRuns: 120 },
    );
  });

  it('without the key: frames of a diverged copy spliced in at their own seqs break the chain where the histories meet', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 7 }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        async (length, sharedWanted, fromWanted, countWanted) => {
          const dir = await makeTempDir();
          try {
            const key = newKey();
            const shared = sharedWanted % length;
            const path = join(dir.path, 'main.log');
            const forkPath = join(dir.path, 'fork.log');
            const bodies = (tag: string) => Array.from({ length }, (_, i) => ({ tag, i }));
            await appendAll(path, key, bodies('shared').slice(0, shared));
            await copyFile(path, forkPath);
            await copyFile(anchorPathOf(path), anchorPathOf(forkPath));
            await appendAll(path, key, bodies('main').slice(shared));
            await appendAll(forkPath, key, bodies('fork').slice(shared));

            const from = fromWanted % length;
            const count = 1 + (countWanted % (length - from));
            const mainBytes = await readFile(path);
            const forkBytes = await readFile(forkPath);
            const mainSpans = frameSpans(mainBytes);
            const forkSpans = frameSpans(forkBytes);
            const spliced: Origin[] = mainSpans.map((_, i) => ({ history: i >= from && i < from + count ? 'other' : 'main', seq: i + 1 }));
            const frames = spliced.map((o, i) => (o.history === 'main' ? mainBytes.subarray(mainSpans[i]!.offset, mainSpans[i]!.end) : forkBytes.subarray(forkSpans[i]!.offset, forkSpans[i]!.end)));
            await writeFile(path, Buffer.concat([mainBytes.subarray(0, HEADER_BYTES), ...frames]));
            // the anchor that agrees with the file's last entry
            if (from + count === length) await copyFile(anchorPathOf(forkPath), anchorPathOf(path));
            await expectVerdict(path, key, firstBreak(spliced, shared), length);
          } finally {
            await dir.remove();
          }
        },
      ),
      { numRuns: 120 },
    );
  });
});
