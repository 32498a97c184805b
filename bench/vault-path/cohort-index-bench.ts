// The cohort index: count and aggregate over BRCA1 for a consented cohort (90% of the samples,
// every tenth left out, as a research project's consent filter would), at each population size,
// cold (a fresh engine reading the windows from disk) and warm (timed in turn with plain DuckDB
// running the same SQL over the same rows without the consent filter), and the peak memory of the
// largest size's queries beside the engine's budget (a fresh process, index-memory-probe.ts).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { figure, type Figure } from '../figure.ts';
import { geneLocation } from '../../vault/genes/gene-table.ts';
import { openQueries, type PatientQueries } from '../../vault/store/patient-queries.ts';
import { Vault } from '../../vault/store/vault.ts';
import type { CohortIndexRequest } from '../../schemas/cohort-index.ts';
import { coldMedianMs, interleavedMedians } from './timing.ts';
import { plainIndexTables } from './plain-index-table.ts';
import type { CohortVault, Population } from './cohort-population.ts';
import type { IndexMemoryResult } from './index-memory-probe.ts';
import type { VaultBenchOptions } from './bench-options.ts';

const execFileAsync = promisify(execFile);
const MiB = 1024 * 1024;
/** the service's default cache budget (schemas/config.ts) */
const BUDGET_MB = 1024;
const PLAIN = 'plain DuckDB, same rows and SQL, no consent filter';
const SECTION = 'cohort-index';

export async function benchCohortIndex(o: VaultBenchOptions, population: Population): Promise<{ figures: Figure[]; notes: string[] }> {
  const span = geneLocation('BRCA1', 'GRCh38');
  if (!span) throw new Error('BRCA1 is not in the gene table');
  const figures: Figure[] = [];
  const notes: string[] = [];
  for (const v of population.vaults) figures.push(...(await benchSize(o, v, span)));
  const largest = population.vaults[population.vaults.length - 1]!;
  const memory = await probeMemory(largest, span.chrom);
  figures.push(figure({
    section: SECTION, name: `peak RSS growth of index queries, ${largest.samples.toLocaleString('en-US')} samples`, value: memory.peakBytes / MiB, unit: 'MiB',
    baseline: memory.budgetBytes / MiB, baselineName: "the engine's cache budget (default config)", target: '<= budget',
    note: `fresh process: count and aggregate over BRCA1, an aggregate with sample lists over the widest region allowed (${memory.listedIds.toLocaleString('en-US')} carrier ids), then a count and the allele counts over all of ${span.chrom} (${memory.chromosomeRows.toLocaleString('en-US')} calls, ${memory.windowsLoaded} windows read in turn, ${memory.cachedWindows} left cached, ${(memory.cachedBytes / MiB).toFixed(0)} MiB as DuckDB measured them); held after a full GC: ${(memory.heldBytes / MiB).toFixed(0)} MiB`,
  }));
  const s = population.setup;
  notes.push(`cohort index population: ${s.files} files of ${o.samplesPerFile} samples on ${o.cohortChromosomes.join(', ')} (~${o.cohortVariantsPerSample} calls each, targets BED), `
    + (s.cached ? 'reused from bench/results (set up earlier: ' : 'set up now: ')
    + `${(s.vcfBytes / 1e9).toFixed(2)} GB of VCF generated in ${s.generateSeconds.toFixed(0)} s (parallel), ingested in ${Object.entries(s.ingestSeconds).map(([n, t]) => `${t.toFixed(0)} s to ${Number(n).toLocaleString('en-US')} samples`).join(', ')})`);
  return { figures, notes };
}

async function benchSize(o: VaultBenchOptions, v: CohortVault, span: { chrom: string; start: number; end: number }): Promise<Figure[]> {
  const vault = await Vault.open(v.dataDir, v.kek, { write: false });
  try {
    const samples = vault.catalog.data.samples.map((s) => s.sampleId).sort();
    const consented = samples.filter((_, i) => i % 10 !== 0);
    const request: CohortIndexRequest = { build: 'GRCh38', target: { gene: 'BRCA1' }, sampleIds: consented };
    const open = () => openQueries(vault, { cacheBudgetMb: BUDGET_MB });
    const close = (q: PatientQueries) => q.close();
    const count = (q: PatientQueries) => q.cohortIndex!.count(request);
    const aggregate = (q: PatientQueries) => q.cohortIndex!.aggregate(request);
    const coldCount = await coldMedianMs(open, count, close, o.coldRepeats);
    const coldAggregate = await coldMedianMs(open, aggregate, close, o.coldRepeats);
    const plain = await plainIndexTables(vault, 'GRCh38', span);
    const engine = await open().catch((err: unknown) => {
      plain.close();
      throw err;
    });
    let warm: { count: [number, number]; aggregate: [number, number] };
    let answer: Awaited<ReturnType<typeof aggregate>>;
    try {
      warm = {
        count: await interleavedMedians(() => count(engine), plain.count, o.warmRepeats),
        aggregate: await interleavedMedians(() => aggregate(engine), plain.aggregate, o.warmRepeats),
      };
      answer = await aggregate(engine);
    } finally {
      await engine.close();
      plain.close();
    }
    const n = v.samples.toLocaleString('en-US');
    const note = `${consented.length} of ${v.samples} samples consented; BRCA1 (${span.chrom}:${span.start}-${span.end}): ${answer.variants.length} alleles, `
      + `${answer.samplesCovering} samples covering; the windows read hold ${plain.rows.toLocaleString('en-US')} calls (the plain table's rows)`;
    const coldTarget = v.samples >= 10_000 ? '< 3 s' : v.samples >= 1_000 ? '< 1 s' : undefined;
    const cold = (name: string, ms: number, baseline: number) => figure({
      section: SECTION, name: `${name} over BRCA1, ${n} samples, cold`, value: ms, unit: 'ms', baseline, baselineName: `${PLAIN}, warm`, ...(coldTarget ? { target: coldTarget } : {}), note,
    });
    const warmFigure = (name: string, [ms, baseline]: [number, number]) => figure({
      section: SECTION, name: `${name} over BRCA1, ${n} samples, warm`, value: ms, unit: 'ms', baseline, baselineName: `${PLAIN}, timed in turn`, target: '<= 1.5x baseline', note,
    });
    return [
      cold('count', coldCount.ms, warm.count[1]),
      warmFigure('count', warm.count),
      cold('aggregate', coldAggregate.ms, warm.aggregate[1]),
      warmFigure('aggregate', warm.aggregate),
    ];
  } finally {
    await vault.close();
  }
}

async function probeMemory(v: CohortVault, chrom: string): Promise<IndexMemoryResult> {
  const probe = join(import.meta.dirname, 'index-memory-probe.ts');
  const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', probe, v.dataDir, chrom, String(BUDGET_MB)], {
    env: { ...process.env, GENOVAULT_MASTER_KEY: v.kek.bytes.toString('base64') }, maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as IndexMemoryResult;
}
