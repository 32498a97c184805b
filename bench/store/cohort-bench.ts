// Cohort queries over many exome-size samples (warm), beside plain DuckDB holding the same
// rows in sample order; and resident memory per million cached rows.
import { INTEGER, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import { figure, median, timeMs, type Figure } from '../figure.ts';
import { openSecureDuckDB } from '../../vault/store/duckdb-session.ts';
import { loadColumns } from '../../vault/store/chunk-loader.ts';
import { encodePartition } from '../../vault/store/partition-codec.ts';
import { QueryEngine } from '../../vault/store/query-engine.ts';
import type { PartitionRef } from '../../vault/store/partition-ref.ts';
import { sampleBatch, CHROMS } from './synthetic-calls.ts';
import { SECTION, MiB, BRCA1, BytesSource, refOf, benchModel, type StoreBenchOptions } from './bench-fixtures.ts';

const BASELINE = 'plain DuckDB, rows in sample order';

export async function benchCohortQueries(o: StoreBenchOptions): Promise<Figure[]> {
  const m = benchModel(o);
  const source = new BytesSource();
  const refs: PartitionRef[] = [];
  const plain = await openSecureDuckDB({ memoryLimitBytes: 8192 * MiB });
  await plain.connection.run('CREATE TABLE gene_calls (sample INTEGER, pos INTEGER, ref VARCHAR, alt VARCHAR, zygosity UTINYINT, gt VARCHAR)');
  const appender = await plain.connection.createAppender('gene_calls');
  let totalRows = 0;
  for (let s = 0; s < o.samples; s++) {
    for (const chrom of CHROMS) {
      const pool = m.pools.get(chrom)!;
      if (chrom !== BRCA1.chrom) {
        // other chromosomes are named in the refs (so pruning must skip them) but never built
        const rows = Math.round(pool.pos.length / 4);
        refs.push({ partitionId: `s${s}:${chrom}`, sampleId: `s${s}`, chrom, minPos: pool.pos[0]!, maxPos: pool.pos[pool.pos.length - 1]!, rows, build: 'GRCh38' });
        totalRows += rows;
        continue;
      }
      const batch = sampleBatch(m, s, chrom);
      const ref = refOf(`s${s}`, batch);
      refs.push(ref);
      source.bytes.set(ref.partitionId, encodePartition(batch));
      totalRows += batch.rows;
      for (let i = 0; i < batch.rows; i++) {
        appender.appendInteger(s); appender.appendInteger(batch.pos[i]!); appender.appendVarchar(batch.ref[i]!); appender.appendVarchar(batch.alt[i]!);
        appender.appendUTinyInt(batch.zygosity[i]!); appender.appendVarchar(batch.gt[i]!); appender.endRow();
      }
    }
  }
  appender.flushSync();
  appender.closeSync();
  const engine = await QueryEngine.open(source, { cacheBudgetBytes: 4096 * MiB });
  try {
    await buildPlainTable(plain.connection, o, totalRows);
    const region = { chrom: BRCA1.chrom, start: BRCA1.start, end: BRCA1.end };
    const firstMs = await timeMs(() => engine.alleleCounts(refs, region));
    const counts = await engine.alleleCounts(refs, region);
    const site = counts.variants.reduce((best, v) => (v.carriers > best.carriers ? v : best), counts.variants[0]!);
    const carrierRun = () => engine.carriersOfVariant(refs, site);
    const countRun = () => engine.alleleCounts(refs, region);
    const plainCarriers = () => plain.connection.runAndReadAll(
      'SELECT sample, zygosity, gt FROM plain WHERE chrom = $1 AND pos = $2 AND ref = $3 AND alt = $4 ORDER BY sample',
      [site.chrom, site.pos, site.ref, site.alt], [VARCHAR, INTEGER, VARCHAR, VARCHAR]).then((r) => r.getRowObjectsJS());
    const plainCounts = () => plain.connection.runAndReadAll(
      `SELECT pos, ref, alt, sum(CASE WHEN zygosity = 2 THEN 2 ELSE 1 END) AS copies, count(DISTINCT sample) AS carriers
       FROM plain WHERE chrom = $1 AND pos BETWEEN $2 AND $3 GROUP BY pos, ref, alt ORDER BY pos, ref, alt`,
      [region.chrom, region.start, region.end], [VARCHAR, INTEGER, INTEGER]).then((r) => r.getRowObjectsJS());
    const times = async (run: () => Promise<unknown>) => {
      await run();
      const out: number[] = [];
      for (let r = 0; r < o.repeats; r++) out.push(await timeMs(run));
      return median(out);
    };
    const note = `${o.samples} samples, ${totalRows} calls named; ${engine.stats().partitionsLoaded} partitions decoded (chr17 only); first query incl. loading: ${firstMs.toFixed(0)} ms`;
    return [
      figure({ section: SECTION, name: `cohort carriers of one allele (${o.samples} samples), warm`, value: await times(carrierRun), unit: 'ms', baseline: await times(plainCarriers), baselineName: BASELINE, note }),
      figure({ section: SECTION, name: `cohort allele counts over BRCA1 (${o.samples} samples), warm`, value: await times(countRun), unit: 'ms', baseline: await times(plainCounts), baselineName: BASELINE, note }),
    ];
  } finally {
    await engine.close();
    plain.close();
  }
}

/**
 * The baseline: every sample's calls in one table, sample by sample (as per-sample files loaded
 * one after another would be). chr17 rows are the engine's exact rows; the other chromosomes
 * are filler rows of the same count, generated in SQL.
 */
async function buildPlainTable(c: DuckDBConnection, o: StoreBenchOptions, totalRows: number): Promise<void> {
  const filler = Math.max(0, Math.round(totalRows / o.samples) - 1);
  const samples = Int32Array.from({ length: o.samples }, (_, i) => i);
  await c.run('CREATE TABLE sample_ids (sample INTEGER)');
  await loadColumns(c, 'sample_ids', [{ type: INTEGER, values: samples }], o.samples);
  await c.run(`CREATE TABLE plain AS
    SELECT sample, chrom, pos, ref, alt, zygosity, gt FROM (
      SELECT sample, 'chr17' AS chrom, 17 AS rank, pos, ref, alt, zygosity, gt FROM gene_calls
      UNION ALL
      SELECT s.sample, 'chr' || (1 + (i % 16))::VARCHAR, 1 + (i % 16), (i * 7919) % 200000000 + 1, 'A', 'G', (1 + i % 2)::UTINYINT, '0/1'
      FROM sample_ids s, range(${filler}) r(i)
    ) ORDER BY sample, rank, pos`);
  await c.run('DROP TABLE gene_calls');
}

/** Resident memory per million cached call rows, beside the engine's own estimate. */
export async function benchCacheMemory(o: StoreBenchOptions): Promise<Figure> {
  const m = benchModel(o);
  const source = new BytesSource();
  const refs: PartitionRef[] = [];
  const samples = Math.max(2, Math.min(50, Math.round(2_000_000 / o.rowsPerSample)));
  for (let s = 0; s < samples; s++) {
    for (const chrom of CHROMS) {
      const batch = sampleBatch(m, 10_000 + s, chrom);
      const ref = refOf(`m${s}`, batch);
      refs.push(ref);
      source.bytes.set(ref.partitionId, encodePartition(batch));
    }
  }
  const engine = await QueryEngine.open(source, { cacheBudgetBytes: 8192 * MiB });
  try {
    const before = process.memoryUsage().rss;
    for (let s = 0; s < samples; s++) await engine.variantsOfPatient(refs.filter((r) => r.sampleId === `m${s}`), { significance: ['pathogenic'] });
    // the cohort copy of every chromosome is part of what the cache holds
    for (const chrom of CHROMS) await engine.alleleCounts(refs, { chrom, start: 1, end: 1 });
    const stats = engine.stats();
    const perMillion = (bytes: number) => (bytes / stats.cachedRows) * 1e6 / MiB;
    return figure({
      section: SECTION, name: 'memory per million cached calls (RSS growth)', value: perMillion(process.memoryUsage().rss - before), unit: 'MiB',
      baseline: perMillion(stats.cachedBytes), baselineName: "engine's own estimate (budget accounting)", note: `${stats.cachedRows} rows in ${stats.cachedPartitions} partitions`,
    });
  } finally {
    await engine.close();
  }
}
