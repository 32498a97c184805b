// Keeps the append bench working: a short run must report figures for each level, and group
// commit must put many entries in each commit once appenders are concurrent.
import { strict as assert } from 'node:assert';
import { measureAppendThroughput } from '../../../bench/log/append-throughput.ts';

describe('bench: log append throughput (smoke)', () => {
  it('reports appends per second for each concurrency, batching concurrent appends', async () => {
    const result = await measureAppendThroughput({ concurrency: [1, 32], durationMs: 150 });
    assert.ok(result.baselineFsyncsPerSecond > 0);
    assert.deepEqual(result.levels.map((l) => l.concurrency), [1, 32]);
    for (const level of result.levels) assert.ok(level.appends > 0 && level.appendsPerSecond > 0 && level.p99Ms >= level.p50Ms);
    assert.equal(result.levels[0]!.entriesPerCommit, 1);
    assert.ok(result.levels[1]!.entriesPerCommit > 4, `32 appenders put ${result.levels[1]!.entriesPerCommit} entries in each commit`);
  });
});
