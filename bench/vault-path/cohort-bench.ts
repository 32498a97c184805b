// Cohort queries over many exome-size samples in a real vault, read from the per-sample partitions
// (the path a vault without its research index takes; cohort-index-bench.ts measures the index):
// carriers of one allele and allele counts over BRCA1, cold (fresh engine: decrypt every chr17
// partition and every sample's coverage, load, build the position-ordered copy, query) and warm,
// beside plain DuckDB over the same rows ordered by position. Also the cold load rate and resident
// memory per million cached calls.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { INTEGER, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import { figure, type Figure } from '../figure.ts';
import { geneLocation, type GeneSpan } from '../../vault/genes/gene-table.ts';
import { openQueries, type PatientQueries } from '../../vault/store/patient-queries.ts';
import { openSecureDuckDB } from '../../vault/store/duckdb-session.ts';
import { Vault } from '../../vault/store/vault.ts';
import type { CohortVault } from './cohort-population.ts';
import type { MemoryProbeResult } from './memory-probe.ts';
import { buildPlainTable, decryptedBatches, longestRef } from './plain-table.ts';
import { CHROMOSOME_LENGTHS } from '../../schemas/genome-build.ts';
import { coldMedianMs, interleavedMedians } from './timing.ts';
import type { VaultBenchOptions } from './bench-options.ts';

const execFileAsync = promisify(execFile);

const MiB = 1024 * 1024;
const CACHE_BUDGET_MB = 8192;
const PLAIN = 'plain DuckDB, same rows, position order';

interface Site {
  text: string;
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
  carriers: number;
}

export async function benchCohort(o: VaultBenchOptions, cohort: CohortVault): Promise<{ figures: Figure[]; notes: string[] }> {
  const span = geneLocation('BRCA1', 'GRCh38');
  if (!span) throw new Error('BRCA1 is not in the gene table');
  const notes = [`cohort (per-sample partitions): the cohort index population's ${cohort.samples} samples (see its note)`];
  const vault = await Vault.open(cohort.dataDir, cohort.kek, { write: false });
  try {
    const region = `${span.chrom}:${span.start}-${span.end}`;
    // a cold engine decrypts the batch's allele table too (the vault keeps decoded ones otherwise)
    const open = () => {
      vault.forgetDecoded();
      return openQueries(vault, { cacheBudgetMb: CACHE_BUDGET_MB });
    };
    const close = (q: PatientQueries) => q.close();
    const site = await pickSite(open, region);
    const memory = await probeMemory(cohort, region);
    const perMillion = (bytes: number) => (bytes / Math.max(1, memory.cachedRows)) * 1e6 / MiB;
    const counts = (q: PatientQueries) => q.alleleCounts(region, { build: 'GRCh38', perSample: true });
    const carriers = (q: PatientQueries) => q.carriers(site.text, { build: 'GRCh38', perSample: true });
    const coldCarriers = await coldMedianMs(open, carriers, close, o.coldRepeats);
    const coldCounts = await coldMedianMs(open, counts, close, o.coldRepeats);
    const plain = await plainCohort(vault, span, site);
    // opened after the baseline and closed with it: a failure on either side leaks neither
    const engine = await open().catch((err: unknown) => {
      plain.close();
      throw err;
    });
    let warmCarriers: number;
    let warmCounts: number;
    let plainCarriersMs: number;
    let plainCountsMs: number;
    let engineRows = 0;
    let plainRows = 0;
    try {
      [warmCarriers, plainCarriersMs] = await interleavedMedians(() => carriers(engine), plain.carriers, o.warmRepeats);
      [warmCounts, plainCountsMs] = await interleavedMedians(() => counts(engine), plain.counts, o.warmRepeats);
      engineRows = (await counts(engine)).variants.length;
      plainRows = (await plain.counts()).length;
    } finally {
      await engine.close();
      plain.close();
    }
    const loaded = memory.cachedRows;
    const n = cohort.samples;
    const note = `${n} samples, ${loaded} calls on ${span.chrom} decrypted and loaded; ${site.text} has ${site.carriers} carriers; `
      + `BRCA1 alleles: ${engineRows} (plain: ${plainRows}); warm figures timed in turn with their baseline${site.fallback ? '; no allele in BRCA1 at this size: the carriers site is the most carried on the chromosome' : ''}`;
    const figures = [
      figure({ section: 'cohort', name: `carriers of one allele, ${n} samples, per-sample partitions, cold`, value: coldCarriers.ms, unit: 'ms', baseline: plainCarriersMs, baselineName: PLAIN, note }),
      figure({ section: 'cohort', name: `carriers of one allele, ${n} samples, per-sample partitions, warm`, value: warmCarriers, unit: 'ms', baseline: plainCarriersMs, baselineName: PLAIN, target: '<= 1.5x baseline', note }),
      figure({ section: 'cohort', name: `allele counts over BRCA1, ${n} samples, per-sample partitions, cold`, value: coldCounts.ms, unit: 'ms', baseline: plainCountsMs, baselineName: PLAIN, note }),
      figure({ section: 'cohort', name: `allele counts over BRCA1, ${n} samples, per-sample partitions, warm`, value: warmCounts, unit: 'ms', baseline: plainCountsMs, baselineName: PLAIN, target: '<= 1.5x baseline', note }),
      figure({ section: 'load', name: 'cold cohort load: decrypt+inflate+decode+load+sort', value: loaded / coldCounts.ms / 1000, unit: 'M rows/s',
        baseline: plain.rows / plain.appendMs / 1000, baselineName: 'row-by-row appender, same rows already decoded, text as VARCHAR',
        note: `the cold allele-count time over ${loaded} rows; ratio > 1 is faster than the baseline` }),
      figure({ section: 'load', name: 'peak RSS growth per million cached calls', value: perMillion(memory.peakBytes), unit: 'MiB',
        baseline: perMillion(memory.cachedBytes), baselineName: "engine's own estimate (cache budget accounting)",
        note: `fresh process; ${loaded} calls in ${memory.cachedPartitions} partitions plus the position-ordered copy; held after a full GC: ${perMillion(memory.heldBytes).toFixed(1)} MiB per million` }),
    ];
    return { figures, notes };
  } finally {
    await vault.close();
  }
}

/** Picks the allele the carriers query asks for: the most carried one in BRCA1. */
async function pickSite(open: () => Promise<PatientQueries>, region: string) {
  const engine = await open();
  try {
    const counts = (await engine.alleleCounts(region)).variants;
    const chrom = region.split(':')[0]!;
    // at smoke size BRCA1 may hold no allele: fall back to the whole chromosome
    const pool = counts.length > 0 ? counts : (await engine.alleleCounts(`${chrom}:1-${CHROMOSOME_LENGTHS.GRCh38[chrom] ?? 1}`)).variants;
    const best = pool.reduce((a, b) => (b.carriers > a.carriers ? b : a), pool[0]!);
    if (!best) throw new Error('the cohort holds no allele on the cohort chromosome');
    return { text: `${best.chrom}:${best.pos}:${best.ref}:${best.alt}`, chrom: best.chrom, pos: best.pos, ref: best.ref, alt: best.alt, carriers: best.carriers, fallback: counts.length === 0 };
  } finally {
    await engine.close();
  }
}

/** Runs memory-probe.ts in a fresh process over the same vault and region. */
async function probeMemory(v: CohortVault, region: string): Promise<MemoryProbeResult> {
  const probe = join(import.meta.dirname, 'memory-probe.ts');
  const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', probe, v.dataDir, region], {
    env: { ...process.env, GENOVAULT_MASTER_KEY: v.kek.bytes.toString('base64') }, maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as MemoryProbeResult;
}

/** The same rows as one plain DuckDB table in position order, with the two queries ready to time. */
async function plainCohort(vault: Vault, span: GeneSpan, site: Site) {
  const refs = vault.catalog.callPartitions().filter((r) => r.chrom === span.chrom);
  const session = await openSecureDuckDB({ memoryLimitBytes: 8192 * MiB });
  try {
    const c = session.connection;
    const table = await buildPlainTable(c, 'plain', await decryptedBatches(vault, refs), 'pos, ref, alt');
    const reach = await longestRef(c, 'plain') - 1;
    return {
      rows: table.rows,
      appendMs: table.appendMs,
      carriers: () => plainCarriers(c, site),
      counts: () => plainCounts(c, span, reach),
      close: () => session.close(),
    };
  } catch (err) {
    session.close();
    throw err;
  }
}

function plainCarriers(c: DuckDBConnection, site: Site) {
  return c.runAndReadAll('SELECT sample, zygosity, gt FROM plain WHERE chrom = $1 AND pos = $2 AND ref = $3 AND alt = $4 ORDER BY sample',
    [site.chrom, site.pos, site.ref, site.alt], [VARCHAR, INTEGER, VARCHAR, VARCHAR]).then((r) => r.getRowObjectsJS());
}

/** Every allele whose REF overlaps the span, as the vault counts them (reaching back by the longest REF). */
function plainCounts(c: DuckDBConnection, span: GeneSpan, reach: number) {
  return c.runAndReadAll(
    `SELECT pos, ref, alt, sum(CASE WHEN zygosity = 2 THEN 2 ELSE 1 END)::INTEGER AS copies, count(DISTINCT sample)::INTEGER AS carriers
     FROM plain WHERE chrom = $1 AND pos BETWEEN $2 - $4 AND $3 AND pos + length(ref) - 1 >= $2 GROUP BY pos, ref, alt ORDER BY pos, ref, alt`,
    [span.chrom, span.start, span.end, reach], [VARCHAR, INTEGER, INTEGER, INTEGER]).then((r) => r.getRowObjectsJS());
}
