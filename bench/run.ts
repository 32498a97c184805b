// `npm run bench [-- --smoke] [-- --out FILE]`: generates the deterministic data set in a fresh
// temporary directory, measures every figure beside its baseline, prints the table and writes
// the JSON record (bench/results/latest.json by default). The temporary directory is removed
// at the end, also on failure or Ctrl-C.
import { mkdtemp, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatTable, type Figure } from './figure.ts';
import { FULL, SMOKE, type VaultBenchOptions } from './vault-path/bench-options.ts';
import { findTool, toolVersion } from './vault-path/peer-tools.ts';
import { benchIngest } from './vault-path/ingest-bench.ts';
import { benchPatient } from './vault-path/patient-bench.ts';
import { benchCliQuery } from './vault-path/cli-bench.ts';
import { benchCohort } from './vault-path/cohort-bench.ts';
import { benchCohortIndex } from './vault-path/cohort-index-bench.ts';
import { benchGateway } from './vault-path/gateway-bench.ts';
import { cohortPopulation } from './vault-path/cohort-population.ts';
import { benchChunkLoader } from './vault-path/load-bench.ts';
import { benchCallsIpc } from './store/ipc-writer-bench.ts';
import { runHttpBench } from './http/http-bench.ts';
import { bySection, machineInfo, writeResults, type BenchResults } from './vault-path/results-file.ts';

const SECTIONS = ['ingest', 'cohort', 'load', 'http'] as const;
type Section = (typeof SECTIONS)[number];

interface Args {
  options: VaultBenchOptions;
  out: string;
  /** run only these sections (ingest includes the one-patient figures, which query its vault) */
  only: Set<Section> | null;
}

function parseArgs(argv: readonly string[]): Args {
  let options = FULL;
  let out = join(import.meta.dirname, 'results', 'latest.json');
  let only: Set<Section> | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--smoke') options = SMOKE;
    else if (arg === '--out' && argv[i + 1]) out = resolve(argv[++i]!);
    else if (arg === '--only' && argv[i + 1]) {
      const names = argv[++i]!.split(',');
      const unknown = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
      if (unknown.length > 0) throw new Error(`unknown section ${unknown.join(', ')}; sections are ${SECTIONS.join(', ')}`);
      only = new Set(names as Section[]);
    } else throw new Error(`unknown argument ${String(arg)}; use --smoke, --only ${SECTIONS.join(',')} and --out FILE`);
  }
  return { options, out, only };
}

function step(message: string, started: number): void {
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);
}

async function run(args: Args, work: string): Promise<BenchResults> {
  const startedAt = new Date().toISOString();
  const loadAtStart = loadavg();
  const t0 = performance.now();
  const o = args.options;
  const bcftools = findTool('bcftools');
  const peers = { bcftools: bcftools ? await toolVersion(bcftools) : null };
  const notes: string[] = [];
  if (!bcftools) notes.push('bcftools is not installed (Debian package bcftools): its peer figures are skipped');
  const figures: Figure[] = [];
  const wanted = (section: Section) => !args.only || args.only.has(section);

  if (wanted('ingest')) {
    step(`${o.mode} run: ingest (${o.ingestSamples} samples x ${o.variantsPerSample} calls)`, t0);
    const ingest = await benchIngest(o, work, bcftools);
    figures.push(...ingest.figures);
    step('one patient, one gene', t0);
    figures.push(...(await benchPatient(o, ingest.vault, ingest.vcf, work, bcftools)));
    step('one patient, one gene, from the command line', t0);
    figures.push(...(await benchCliQuery(o, ingest.vault, ingest.vcf, work, bcftools)));
    await rm(ingest.vault.dataDir, { recursive: true, force: true });
  }
  if (wanted('cohort')) {
    // the full run keeps its populations under bench/results/ (git-ignored) between runs; the smoke run leaves nothing behind
    const cacheRoot = o.mode === 'full' ? join(import.meta.dirname, 'results') : work;
    step(`cohort populations (${o.cohortSizes.join(', ')} samples; generated once, then reused)`, t0);
    const population = await cohortPopulation(o, cacheRoot, work);
    step(`cohort, per-sample partitions (${population.vaults[0]!.samples} samples)`, t0);
    const cohort = await benchCohort(o, population.vaults[0]!);
    figures.push(...cohort.figures);
    notes.push(...cohort.notes);
    step('cohort index', t0);
    const indexed = await benchCohortIndex(o, population);
    figures.push(...indexed.figures);
    notes.push(...indexed.notes);
    step('research gateway', t0);
    const gateway = await benchGateway(o, population, work);
    figures.push(...gateway.figures);
    notes.push(...gateway.notes);
  }
  if (wanted('load')) {
    step('chunk loader vs appender', t0);
    figures.push(await benchChunkLoader(o));
    figures.push(benchCallsIpc(o.mode === 'smoke'));
  }
  if (wanted('http')) {
    step('HTTP: audited vs unaudited variant reads', t0);
    figures.push(...(await runHttpBench({ smoke: o.mode === 'smoke' })));
  }
  step('done', t0);
  if (args.only) notes.push(`partial run: only ${[...args.only].join(', ')}`);

  const finishedAt = new Date().toISOString();
  return {
    mode: o.mode, startedAt, finishedAt, seconds: (performance.now() - t0) / 1000, machine: machineInfo(loadAtStart), peers, notes, sections: bySection(figures), figures,
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const work = await mkdtemp(join(tmpdir(), 'genovault-bench-'));
  const cleanUp = () => rmSync(work, { recursive: true, force: true });
  process.once('SIGINT', () => {
    cleanUp();
    process.exit(130);
  });
  try {
    const results = await run(args, work);
    console.log(formatTable(results.figures));
    for (const note of results.notes) console.log(`note: ${note}`);
    const m = results.machine;
    console.log(`machine: ${m.cpus} x ${m.cpuModel}, ${(m.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB, node ${m.node}; load average ${m.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')} at start, ${m.loadAverageAtEnd.map((l) => l.toFixed(2)).join(' ')} at end; ${results.seconds.toFixed(0)} s`);
    await writeResults(args.out, results);
    console.log(`figures written to ${args.out}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  // a bench failure names what failed; the stack helps nobody reading a results table
  console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
