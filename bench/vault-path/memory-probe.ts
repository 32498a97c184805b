// Resident memory of a cached cohort, measured in a fresh process so nothing else the bench
// did (ingest buffers, earlier engines) is in the numbers: open the vault, full GC, note RSS,
// load every call partition of one chromosome plus its position-ordered copy, note RSS and peak.
// Run by cohort-bench.ts as a child: `node --import tsx memory-probe.ts DATA_DIR REGION`, with the
// bench's throwaway master key in GENOVAULT_MASTER_KEY. Prints one JSON line.
import { masterKeyFromBase64 } from '../../vault/crypto/master-key.ts';
import { Vault } from '../../vault/store/vault.ts';
import { openQueries } from '../../vault/store/patient-queries.ts';
import { collectGarbage } from './timing.ts';

export interface MemoryProbeResult {
  cachedRows: number;
  cachedPartitions: number;
  /** engine's own estimate of what it holds (its cache budget accounting) */
  cachedBytes: number;
  /** RSS after loading, minus RSS before, both after a full GC */
  heldBytes: number;
  /** peak RSS of the process minus RSS before loading */
  peakBytes: number;
}

const [dataDir, region] = process.argv.slice(2);
if (!dataDir || !region) throw new Error('usage: memory-probe.ts DATA_DIR REGION');
const vault = await Vault.open(dataDir, masterKeyFromBase64(process.env.GENOVAULT_MASTER_KEY ?? '', 'env'), { write: false });
try {
  collectGarbage();
  const before = process.memoryUsage().rss;
  const queries = await openQueries(vault, { cacheBudgetMb: 8192 });
  try {
    // the per-sample path: the research index (which would answer otherwise) is measured by index-memory-probe.ts
    await queries.alleleCounts(region, { perSample: true });
    collectGarbage();
    const stats = queries.engine.stats();
    const result: MemoryProbeResult = {
      cachedRows: stats.cachedRows,
      cachedPartitions: stats.cachedPartitions,
      cachedBytes: stats.cachedBytes,
      heldBytes: process.memoryUsage().rss - before,
      // resourceUsage reports kilobytes
      peakBytes: process.resourceUsage().maxRSS * 1024 - before,
    };
    console.log(JSON.stringify(result));
  } finally {
    await queries.close();
  }
} finally {
  await vault.close();
}
