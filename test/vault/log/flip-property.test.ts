// For any log and any single flipped byte anywhere in it, verification never accepts the flipped
// content. It either reports the log broken, or (only when the anchor lags behind, as after a
// crash between the two fsyncs) the flip lies past the anchored entries and that whole tail is
// discarded as unacknowledged: what remains is exactly the original entries.
import { strict as assert } from 'node:assert';
import { readFile, writeFile } from 'node:fs/promises';
import fc from 'fast-check';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { verifyLog } from '../../../vault/log/sealed-append-log.ts';
import { inspectLog } from '../../../vault/log/log-scan.ts';
import { buildLog, frameSpans } from './log-test-kit.ts';

const body = fc.record({ actor: fc.string({ maxLength: 12 }), n: fc.integer(), tags: fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 3 }) });

describe('SealedAppendLog single-byte flips (property)', function () {
  this.timeout(120_000);

  it('never verifies a log with a flipped byte among its acknowledged entries', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(body, { minLength: 1, maxLength: 6 }), fc.nat({ max: 2 }), fc.nat(), fc.integer({ min: 1, max: 255 }), async (bodies, lagWanted, where, xor) => {
        const dir = await makeTempDir();
        try {
          const anchorLag = Math.min(lagWanted, bodies.length);
          const log = await buildLog(dir.path, bodies, { anchorLag });
          const bytes = await readFile(log.path);
          const offset = where % bytes.length;
          bytes[offset]! ^= xor;
          await writeFile(log.path, bytes);
          const report = await verifyLog(log.path, log);
          if (!report.ok) return;
          const anchored = bodies.length - anchorLag;
          assert.ok(anchorLag > 0, `flip at byte ${offset} of a fully anchored log went unnoticed`);
          assert.ok(report.tornTail && offset >= report.tornTail.offset, `flip at byte ${offset} is not in the discarded tail`);
          assert.ok(report.entries >= anchored, 'anchored entries are never discarded');
          const firstDiscarded = frameSpans(bytes).find((s) => s.offset === report.tornTail!.offset);
          assert.ok(!firstDiscarded || firstDiscarded.seq > anchored);
          const kept: unknown[] = [];
          await inspectLog(log.path, log.key, log.logId, (entry) => kept.push(entry.body));
          assert.deepEqual(kept, JSON.parse(JSON.stringify(bodies.slice(0, report.entries))));
        } finally {
          await dir.remove();
        }
      }),
      { numRuns: 150 },
    );
  });
});
