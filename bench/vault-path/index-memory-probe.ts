// Peak memory of cohort index queries in a fresh process: open the vault, full GC, note RSS; then
// count and aggregate over BRCA1, aggregate with sample lists over the widest region the port allows
// around it, and count and aggregate (the operator's allele counts) over the whole cohort chromosome
// (every window read in turn under the engine's budget); report peak RSS growth beside the budget. Run by
// cohort-index-bench.ts as `node --import tsx index-memory-probe.ts DATA_DIR CHROM BUDGET_MB`, with
// the bench's throwaway master key in GENOVAULT_MASTER_KEY. Prints one JSON line.
import { masterKeyFromBase64 } from '../../vault/crypto/master-key.ts';
import { Vault } from '../../vault/store/vault.ts';
import { openQueries } from '../../vault/store/patient-queries.ts';
import { CHROMOSOME_LENGTHS } from '../../schemas/genome-build.ts';
import { COHORT_LISTED_REGION_MAX } from '../../schemas/cohort-index.ts';
import { collectGarbage } from './timing.ts';

export interface IndexMemoryResult {
  budgetBytes: number;
  /** peak RSS of the process minus RSS after opening the vault */
  peakBytes: number;
  /** RSS after the queries and a full GC, minus RSS before */
  heldBytes: number;
  /** the index engine's own estimate of what it holds at the end */
  cachedBytes: number;
  windowsLoaded: number;
  cachedWindows: number;
  /** calls the whole-chromosome aggregate counted */
  chromosomeRows: number;
  /** carrier ids the widest listed aggregate returned */
  listedIds: number;
}

const [dataDir, chrom, budgetText] = process.argv.slice(2);
if (!dataDir || !chrom || !budgetText) throw new Error('usage: index-memory-probe.ts DATA_DIR CHROM BUDGET_MB');
const budgetMb = Number(budgetText);
const vault = await Vault.open(dataDir, masterKeyFromBase64(process.env.GENOVAULT_MASTER_KEY ?? '', 'env'), { write: false });
try {
  const sampleIds = vault.catalog.data.samples.map((s) => s.sampleId);
  collectGarbage();
  const before = process.memoryUsage().rss;
  const queries = await openQueries(vault, { cacheBudgetMb: budgetMb });
  try {
    const port = queries.cohortIndex!;
    await port.count({ build: 'GRCh38', target: { gene: 'BRCA1' }, sampleIds });
    await port.aggregate({ build: 'GRCh38', target: { gene: 'BRCA1' }, sampleIds });
    const start = 41_000_000;
    const listed = await port.aggregate({ build: 'GRCh38', target: { region: { chrom, start, end: start + COHORT_LISTED_REGION_MAX - 1 } }, sampleIds });
    const listedIds = listed.variants.reduce((n, v) => n + v.carrierPositions.length, 0);
    const end = CHROMOSOME_LENGTHS.GRCh38[chrom] ?? 1;
    await port.count({ build: 'GRCh38', target: { region: { chrom, start: 1, end } }, sampleIds });
    const whole = await queries.alleleCounts(`${chrom}:1-${end}`, { build: 'GRCh38' });
    collectGarbage();
    const stats = port.engine.stats();
    const result: IndexMemoryResult = {
      budgetBytes: budgetMb * 1024 * 1024,
      // resourceUsage reports kilobytes
      peakBytes: process.resourceUsage().maxRSS * 1024 - before,
      heldBytes: process.memoryUsage().rss - before,
      cachedBytes: stats.cachedBytes,
      windowsLoaded: stats.windowsLoaded,
      cachedWindows: stats.cachedWindows,
      chromosomeRows: whole.variants.reduce((n, v) => n + v.carriers, 0),
      listedIds,
    };
    console.log(JSON.stringify(result));
  } finally {
    await queries.close();
  }
} finally {
  await vault.close();
}
