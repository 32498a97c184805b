// The bounded hashing queue: at most `concurrency` tasks run, at most `maxWaiting` wait in
// order, anything beyond is refused at once; a failing task hands its slot on like any other.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { HashingBusyError, HashingQueue } from '../../../vault/identity/hashing-queue.ts';

/** A task that finishes when the test says so. */
function gate() {
  let open!: () => void;
  let fail!: (e: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { done, open, fail };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('HashingQueue', () => {
  it('runs at most `concurrency` tasks, queues up to `maxWaiting` in order, and refuses the rest at once', async () => {
    const queue = new HashingQueue({ concurrency: 2, maxWaiting: 2 });
    const started: number[] = [];
    const gates = Array.from({ length: 4 }, () => gate());
    const runs = gates.map((g, i) =>
      queue.run(async () => {
        started.push(i);
        await g.done;
        return i;
      }),
    );
    await tick();
    assert.deepEqual(started, [0, 1]);
    assert.deepEqual(queue.load, { running: 2, waiting: 2 });
    const refused = await queue.run(() => Promise.resolve(99)).catch((e: unknown) => e);
    assert.ok(refused instanceof HashingBusyError && refused.engagedNow, 'the first refusal is reported as the start of a busy spell');
    const again = await queue.run(() => Promise.resolve(99)).catch((e: unknown) => e);
    assert.ok(again instanceof HashingBusyError && !again.engagedNow);

    gates[1]!.fail(new Error('scrypt failed'));
    await assert.rejects(runs[1]!, /scrypt failed/);
    await tick();
    assert.deepEqual(started, [0, 1, 2], 'a failed task hands its slot to the next in line');
    for (const g of gates) g.open();
    assert.deepEqual(await Promise.all([runs[0], runs[2], runs[3]]), [0, 2, 3]);
    assert.deepEqual(queue.load, { running: 0, waiting: 0 });
    assert.equal(await queue.run(() => Promise.resolve(5)), 5);
  });

  it('refuses nonsense limits', () => {
    assert.throws(() => new HashingQueue({ concurrency: 0 }), RangeError);
    assert.throws(() => new HashingQueue({ maxWaiting: -1 }), RangeError);
  });

  it('never runs more than its concurrency nor holds more than its wait list, and runs every task it took (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 4 }),
        fc.array(fc.record({ arriveAfter: fc.integer({ min: 0, max: 3 }), lasts: fc.integer({ min: 0, max: 4 }) }), { minLength: 1, maxLength: 30 }),
        async (concurrency, maxWaiting, tasks) => {
          const queue = new HashingQueue({ concurrency, maxWaiting });
          let running = 0;
          let peak = 0;
          const accepted: Promise<string>[] = [];
          let refusals = 0;
          for (const task of tasks) {
            for (let i = 0; i < task.arriveAfter; i++) await tick();
            const before = queue.load;
            const result = queue.run(async () => {
              running++;
              peak = Math.max(peak, running);
              for (let i = 0; i < task.lasts; i++) await tick();
              running--;
              return 'ran';
            });
            accepted.push(result.catch((e: unknown) => (e instanceof HashingBusyError ? 'refused' : 'error')));
            assert.ok(queue.load.waiting <= maxWaiting);
            if (before.running === concurrency && before.waiting === maxWaiting) refusals++;
          }
          const outcomes = await Promise.all(accepted);
          assert.ok(peak <= concurrency, `peak ${peak} > ${concurrency}`);
          assert.equal(outcomes.filter((o) => o === 'refused').length, refusals, 'refused exactly when both were full');
          assert.ok(!outcomes.includes('error'));
        },
      ),
      { numRuns: 200 },
    );
  });
});
