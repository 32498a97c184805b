// The research gateway: a cold one-gene count (BRCA1) through the gateway, as a researcher's
// project asks it, at each population size: a fresh process per repeat (vault opened, project
// approved, then the one query timed), reading the research index; then, in the last process, the
// same count warm (asked again), and BRCA1's aggregate and records each asked again in a project of
// their own; each beside plain DuckDB running the same statements over the same rows without
// consent filtering (warm), and the process's peak RSS beside the engine's budget. The smallest population is also asked once without the index (every consented sample's
// partition read), the path the index replaces.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { figure, type Figure } from '../figure.ts';
import { geneLocation } from '../../vault/genes/gene-table.ts';
import { Vault } from '../../vault/store/vault.ts';
import { interleavedMedians } from './timing.ts';
import { plainIndexTables } from './plain-index-table.ts';
import type { CohortVault, Population } from './cohort-population.ts';
import type { GatewayProbeResult } from './gateway-probe.ts';
import type { VaultBenchOptions } from './bench-options.ts';

const execFileAsync = promisify(execFile);
const MiB = 1024 * 1024;
/** the service's default cache budget (schemas/config.ts) */
const BUDGET_MB = 1024;
const SECTION = 'research-gateway';

function probe(v: CohortVault, work: string, warmRepeats: number, path: 'index' | 'samples', asked: 'count' | 'all' = 'count'): Promise<GatewayProbeResult> {
  const script = join(import.meta.dirname, 'gateway-probe.ts');
  return execFileAsync(process.execPath, ['--import', 'tsx', script, v.dataDir, work, String(BUDGET_MB), path, asked], {
    // as many repeats as the plain baseline's warm figures take
    env: { ...process.env, GENOVAULT_MASTER_KEY: v.kek.bytes.toString('base64'), WARM_REPEATS: String(warmRepeats) }, maxBuffer: 1 << 20,
  }).then(({ stdout }) => JSON.parse(stdout.trim().split('\n').pop() ?? '') as GatewayProbeResult);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface PlainTimes {
  count: number;
  aggregate: number;
  records: number;
  rows: number;
}

/** Plain DuckDB running the gateway's statements (count: the carriers alone; aggregate: with who did not cover each position) over the rows the index holds for BRCA1, every sample, warm. */
async function plainTimes(v: CohortVault, repeats: number): Promise<PlainTimes> {
  const span = geneLocation('BRCA1', 'GRCh38')!;
  const vault = await Vault.open(v.dataDir, v.kek, { write: false });
  try {
    const plain = await plainIndexTables(vault, 'GRCh38', span);
    try {
      const [count, aggregate] = await interleavedMedians(plain.carriers, plain.aggregateWithUncovered, repeats);
      const [records] = await interleavedMedians(plain.records, plain.records, repeats);
      return { count, aggregate, records, rows: plain.rows };
    } finally {
      plain.close();
    }
  } finally {
    await vault.close();
  }
}

export async function benchGateway(o: VaultBenchOptions, population: Population, work: string): Promise<{ figures: Figure[]; notes: string[] }> {
  const figures: Figure[] = [];
  const notes: string[] = [];
  for (const [i, v] of population.vaults.entries()) {
    const runs: GatewayProbeResult[] = [];
    for (let r = 0; r < o.coldRepeats; r++) runs.push(await probe(v, work, o.warmRepeats, 'index', r === o.coldRepeats - 1 ? 'all' : 'count'));
    const plain = await plainTimes(v, o.warmRepeats);
    const n = v.samples.toLocaleString('en-US');
    const last = runs.at(-1)!;
    const note = `${last.consentedPatients} of ${v.samples} patients consented (GRU); a fresh process per run, project approved before the timed query; `
      + `true carriers ${last.trueCohort}; plain DuckDB selects the distinct carriers over the ${plain.rows.toLocaleString('en-US')} calls the index holds in BRCA1, every sample`;
    const coldTarget = v.samples >= 10_000 ? '< 3 s' : v.samples >= 1_000 ? '< 1 s' : undefined;
    figures.push(figure({
      section: SECTION, name: `gateway count over BRCA1, ${n} samples, cold, research index`, value: median(runs.map((x) => x.countMs)), unit: 'ms',
      baseline: plain.count, baselineName: 'plain DuckDB, same rows, no consent filter, warm', ...(coldTarget ? { target: coldTarget } : {}), note,
    }));
    const warm = [
      ['count over BRCA1, warm (the same question again)', last.warmCountMs, plain.count],
      ['aggregate over BRCA1, warm (the same question again)', last.aggregateMs, plain.aggregate],
      [`records over BRCA1, warm (the same question again; ${last.records ?? 0} patients shown)`, last.recordsMs, plain.records],
    ] as const;
    for (const [what, ms, baseline] of warm) {
      if (ms === undefined) continue;
      figures.push(figure({
        section: SECTION, name: `gateway ${what}, ${n} samples, research index`, value: ms, unit: 'ms', baseline, baselineName: 'plain DuckDB, same rows, no consent filter, warm',
        note: `one process, median of ${o.warmRepeats} repeats after the first answer (as many as plain DuckDB's): the windows are cached, and so are the consent decisions and the cohort while no consent, record or sample changes; each answer still decided, recorded in the project log (fdatasync) and audited`,
      }));
    }
    figures.push(figure({
      section: SECTION, name: `peak RSS of the gateway process, ${n} samples`, value: Math.max(...runs.map((x) => x.peakRssBytes)) / MiB, unit: 'MiB',
      baseline: BUDGET_MB, baselineName: "the engine's cache budget (default config)", note: 'whole process: Node, the vault opened, the engines, the gateway and the query',
    }));
    if (i === 0) {
      const samples = await probe(v, work, o.warmRepeats, 'samples').catch((err: unknown) => {
        // the per-sample path may exceed the engine's DuckDB memory limit: a finding, not a bench failure
        notes.push(`research gateway without the index, ${n} samples: the count failed (${err instanceof Error && /could not allocate/.test(err.message) ? "DuckDB's memory limit reached loading the partitions" : 'see stderr'})`);
        return null;
      });
      if (samples) figures.push(figure({
        section: SECTION, name: `gateway count over BRCA1, ${n} samples, cold, per-sample partitions`, value: samples.countMs, unit: 'ms',
        baseline: median(runs.map((x) => x.countMs)), baselineName: 'the same count through the research index, cold',
        note: `without the index: every consented sample's chr17 partition decrypted and read; peak RSS ${(samples.peakRssBytes / MiB).toFixed(0)} MiB; true carriers ${samples.trueCohort}`,
      }));
    }
  }
  return { figures, notes };
}
