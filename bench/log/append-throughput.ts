// Appends per second on a sealed log with 1, 16 and 256 concurrent appenders, beside a baseline
// measured in the same run: one write + fsync per append on a plain file, which is what every
// append would cost without group commit. Run alone: `tsx bench/log/append-throughput.ts`
// (`--shared`: the log opened as the audit log is, with a cross-process lock around each flush).
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { newKey } from '../../vault/crypto/aead.ts';
import { SealedAppendLog } from '../../vault/log/sealed-append-log.ts';

export interface AppendThroughput {
  concurrency: number;
  appends: number;
  appendsPerSecond: number;
  groupCommits: number;
  entriesPerCommit: number;
  p50Ms: number;
  p99Ms: number;
}

export interface AppendBenchResult {
  /** plain write + fdatasync per append, no crypto: the cost group commit avoids */
  baselineFsyncsPerSecond: number;
  levels: AppendThroughput[];
}

export interface AppendBenchOptions {
  concurrency?: number[];
  /** time spent at each concurrency level */
  durationMs?: number;
  /** open the log as the audit log is opened: lock and catch up around every flush */
  sharedWriters?: boolean;
}

// An audit-sized entry (about 300 bytes of JSON).
const sampleBody = (i: number) => ({
  requestId: `req-${i}`,
  actorId: 'u_0123456789abcdef',
  actorRoles: ['clinician'],
  action: 'read',
  resource: 'variants',
  patientId: 'p_0123456789abcdef',
  purpose: 'treatment',
  decision: 'permit',
  rule: 'p, clinician, variants, read, treatment, care_team, allow',
  at: new Date().toISOString(),
});

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

async function measureBaseline(dir: string, durationMs: number): Promise<number> {
  const handle = await open(join(dir, 'baseline.bin'), 'w');
  const frame = Buffer.alloc(JSON.stringify(sampleBody(0)).length + 40, 7);
  let count = 0;
  const start = performance.now();
  try {
    while (performance.now() - start < durationMs) {
      await handle.write(frame, 0, frame.length, count * frame.length);
      await handle.datasync();
      count++;
    }
  } finally {
    await handle.close();
  }
  return count / ((performance.now() - start) / 1000);
}

async function measureLevel(dir: string, concurrency: number, durationMs: number, sharedWriters: boolean): Promise<AppendThroughput> {
  const log = await SealedAppendLog.open<ReturnType<typeof sampleBody>>(join(dir, `c${concurrency}.log`), { key: newKey(), logId: 'bench', sharedWriters });
  const latencies: number[] = [];
  const start = performance.now();
  const deadline = start + durationMs;
  let i = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t = performance.now();
      await log.append(sampleBody(i++));
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  const groupCommits = log.groupCommits;
  await log.close();
  latencies.sort((a, b) => a - b);
  return {
    concurrency,
    appends: latencies.length,
    appendsPerSecond: latencies.length / seconds,
    groupCommits,
    entriesPerCommit: latencies.length / Math.max(1, groupCommits),
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
}

export async function measureAppendThroughput(options: AppendBenchOptions = {}): Promise<AppendBenchResult> {
  const durationMs = options.durationMs ?? 2000;
  const dir = await mkdtemp(join(tmpdir(), 'genovault-bench-log-'));
  try {
    const baselineFsyncsPerSecond = await measureBaseline(dir, durationMs);
    const levels: AppendThroughput[] = [];
    for (const concurrency of options.concurrency ?? [1, 16, 256]) levels.push(await measureLevel(dir, concurrency, durationMs, options.sharedWriters ?? false));
    return { baselineFsyncsPerSecond, levels };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sharedWriters = process.argv.includes('--shared');
  const result = await measureAppendThroughput({ sharedWriters });
  console.log(`baseline: ${result.baselineFsyncsPerSecond.toFixed(0)} plain write+fsync per second${sharedWriters ? '; log opened with sharedWriters (lock + catch-up per flush)' : ''}`);
  console.table(
    result.levels.map((l) => ({
      appenders: l.concurrency,
      'appends/s': Math.round(l.appendsPerSecond),
      'entries/commit': l.entriesPerCommit.toFixed(1),
      'p50 ms': l.p50Ms.toFixed(2),
      'p99 ms': l.p99Ms.toFixed(2),
    })),
  );
}
