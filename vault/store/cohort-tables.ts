// Position-ordered copies of the loaded calls, one table per chromosome, for cohort queries:
// over many samples, reading rows sorted by position is ~10x faster than sample by sample.
// Built lazily by the first cohort query on a chromosome, extended (and re-sorted) when a later
// cohort query needs partitions it lacks, dropped whenever one of its partitions is unloaded,
// so eviction and erasure reach it.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { LoadedPartition } from './loaded-partition.ts';

interface CohortTable {
  table: string;
  members: Set<number>;
  sorted: boolean;
}

export class CohortTables {
  private readonly tables = new Map<string, CohortTable>();
  private nextId = 0;

  constructor(private readonly connection: DuckDBConnection) {}

  /**
   * The chromosome's table, holding at least `partitions`, sorted by position;
   * `exact` when it holds nothing else, so the caller needs no filter on `part`.
   */
  async ensure(chrom: string, partitions: readonly LoadedPartition[]): Promise<{ table: string; exact: boolean }> {
    let entry = this.tables.get(chrom);
    if (!entry) {
      entry = { table: `cohort_${this.nextId++}`, members: new Set(), sorted: true };
      await this.connection.run(`CREATE TABLE ${entry.table} (pos INTEGER NOT NULL, ref INTEGER, alt INTEGER, zygosity UTINYINT NOT NULL, gt INTEGER, part INTEGER NOT NULL)`);
      this.tables.set(chrom, entry);
    }
    for (const p of partitions) {
      if (entry.members.has(p.handle)) continue;
      // handle is an engine-generated integer: safe in SQL text
      await this.connection.run(`INSERT INTO ${entry.table} SELECT pos, ref, alt, zygosity, gt, ${p.handle} FROM ${p.table}`);
      entry.members.add(p.handle);
      entry.sorted = false;
    }
    if (!entry.sorted) {
      await this.connection.run(`CREATE OR REPLACE TABLE ${entry.table} AS SELECT * FROM ${entry.table} ORDER BY pos, ref, alt`);
      entry.sorted = true;
    }
    // distinct handles: a caller naming one partition twice must not make the table look exact
    const named = new Set(partitions.map((p) => p.handle));
    return { table: entry.table, exact: entry.members.size === named.size };
  }

  /** Drops the chromosome's table if it holds the partition. */
  async forget(partition: LoadedPartition): Promise<void> {
    const entry = this.tables.get(partition.ref.chrom);
    if (!entry || !entry.members.has(partition.handle)) return;
    this.tables.delete(partition.ref.chrom);
    await this.connection.run(`DROP TABLE IF EXISTS ${entry.table}`);
  }
}
