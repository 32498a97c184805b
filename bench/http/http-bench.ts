// Authorized variant reads per second over HTTP with the audit log on, beside the same reads
// with audit off (the benchmark-only unaudited service), and their p50/p99 latency. The server
// runs in a child process; autocannon loads it from this one over loopback. Throughput counts
// 2xx answers only, over the measured seconds.
// Run alone: `tsx bench/http/http-bench.ts [--smoke]`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { figure, formatTable, median, type Figure } from '../figure.ts';
import { buildFixtureVault, type FixtureClinician, type FixtureVault } from '../../test/helpers/service-fixture.ts';
import { startChildServer } from './child-server.ts';
import { loginOverHttp } from './http-login.ts';
import { runVariantLoad, type VariantLoadResult } from './variant-load.ts';

const SECTION = 'http';
const CONNECTIONS = 10;
const TARGET_RATIO = 0.8;

export interface HttpBenchOptions {
  smoke: boolean;
}

interface Plan {
  /** audited and unaudited segments alternate, in flipped order each round, so drift in the
   * machine's background load falls on both modes alike */
  rounds: number;
  secondsPerSegment: number;
  warmupSeconds: number;
}

const SMOKE_PLAN: Plan = { rounds: 1, secondsPerSegment: 2, warmupSeconds: 1 };
const FULL_PLAN: Plan = { rounds: 3, secondsPerSegment: 5, warmupSeconds: 1 };

/** One segment on a fresh server: log in, warm up (JIT, DuckDB, page cache), then measure. */
async function measureSegment(fixture: FixtureVault, clinician: FixtureClinician, unaudited: boolean, plan: Plan): Promise<VariantLoadResult> {
  const server = await startChildServer({ ...fixture, unaudited });
  try {
    const token = await loginOverHttp(server.url, clinician);
    const load = { url: server.url, token, patientId: fixture.patientId, gene: fixture.gene, connections: CONNECTIONS };
    await runVariantLoad({ ...load, durationSeconds: plan.warmupSeconds });
    return await runVariantLoad({ ...load, durationSeconds: plan.secondsPerSegment });
  } finally {
    await server.stop();
  }
}

interface ModeSummary {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  faults: number;
}

function summarize(segments: VariantLoadResult[], seconds: number): ModeSummary {
  return {
    requestsPerSecond: segments.reduce((sum, s) => sum + s.ok2xx, 0) / (seconds * segments.length),
    p50Ms: median(segments.map((s) => s.p50Ms)),
    p99Ms: median(segments.map((s) => s.p99Ms)),
    faults: segments.reduce((sum, s) => sum + s.errors + s.timeouts + s.non2xx, 0),
  };
}

export async function runHttpBench(options: HttpBenchOptions): Promise<Figure[]> {
  const plan = options.smoke ? SMOKE_PLAN : FULL_PLAN;
  const dir = await mkdtemp(join(tmpdir(), 'genovault-http-bench-'));
  try {
    // one clinician per segment: a TOTP step logs an account in only once
    const fixture = await buildFixtureVault(dir, { clinicians: plan.rounds * 2 });
    const audited: VariantLoadResult[] = [];
    const unaudited: VariantLoadResult[] = [];
    const roundRatios: number[] = [];
    for (let round = 0; round < plan.rounds; round++) {
      const order = round % 2 === 0 ? [false, true] : [true, false];
      const results: Record<string, VariantLoadResult> = {};
      for (const [i, off] of order.entries()) {
        results[String(off)] = await measureSegment(fixture, fixture.clinicians[round * 2 + i]!, off, plan);
      }
      audited.push(results.false!);
      unaudited.push(results.true!);
      roundRatios.push(results.false!.requestsPerSecond / results.true!.requestsPerSecond);
    }
    const on = summarize(audited, plan.secondsPerSegment);
    const off = summarize(unaudited, plan.secondsPerSegment);
    const ratio = off.requestsPerSecond > 0 ? on.requestsPerSecond / off.requestsPerSecond : 0;
    const costPercent = Math.round((1 - ratio) * 1000) / 10;
    const rounds = roundRatios.map((r) => r.toFixed(2)).join(', ');
    const setup = `GET /v1/patients/:id/variants?gene=${fixture.gene} (${fixture.variantsInGene} rows), ${CONNECTIONS} connections, ${plan.rounds} x ${plan.secondsPerSegment} s per mode, ratio per round ${rounds}`;
    const faults = on.faults + off.faults === 0 ? '' : `; ${on.faults} failed audited and ${off.faults} failed unaudited requests`;
    const baseline = { baselineName: 'same reads, audit off' };
    return [
      figure({
        section: SECTION,
        name: 'authorized variant reads/s, audited',
        value: on.requestsPerSecond,
        unit: 'req/s',
        baseline: off.requestsPerSecond,
        ...baseline,
        target: `>= ${TARGET_RATIO}x (audit costs < 20%)`,
        note: `audit costs ${costPercent}% of throughput${ratio >= TARGET_RATIO ? '' : ' (target missed)'}; ${setup}${faults}`,
      }),
      figure({ section: SECTION, name: 'variant read p50 latency, audited', value: on.p50Ms, unit: 'ms', baseline: off.p50Ms, ...baseline }),
      figure({ section: SECTION, name: 'variant read p99 latency, audited', value: on.p99Ms, unit: 'ms', baseline: off.p99Ms, ...baseline }),
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await runHttpBench({ smoke: process.argv.includes('--smoke') });
  console.log(formatTable(figures));
  for (const f of figures) if (f.note) console.log(`${f.name}: ${f.note}`);
}
