// The baseline the engine is measured against: plain DuckDB holding the same rows, already
// decrypted and in memory, text as VARCHAR, built with DuckDB's row-by-row appender (timed: it
// is also the baseline of the load-rate figure).
import type { DuckDBConnection } from '@duckdb/node-api';
import { expandPartition } from '../../vault/store/partition-codec.ts';
import type { PartitionRef } from '../../vault/store/partition-ref.ts';
import type { Vault } from '../../vault/store/vault.ts';
import type { CallBatch } from '../../vault/ingest/call-columns.ts';
import { MISSING_INT } from '../../vault/ingest/call-columns.ts';

export interface PlainTable {
  table: string;
  rows: number;
  /** wall time of the row-by-row appends alone (decryption and decoding excluded) */
  appendMs: number;
}

/** Decrypts and decodes the partitions (not timed): the rows the engine will load. */
export async function decryptedBatches(vault: Vault, refs: readonly PartitionRef[]): Promise<{ sample: number; batch: CallBatch }[]> {
  const samples = new Map<string, number>();
  const out: { sample: number; batch: CallBatch }[] = [];
  for (const ref of refs) {
    if (!samples.has(ref.sampleId)) samples.set(ref.sampleId, samples.size);
    out.push({ sample: samples.get(ref.sampleId)!, batch: expandPartition(await vault.readPartition(ref)) });
  }
  return out;
}

/** Appends every row; `orderBy` then rewrites the table in that order (e.g. 'pos' for cohorts). */
export async function buildPlainTable(c: DuckDBConnection, table: string, batches: readonly { sample: number; batch: CallBatch }[], orderBy?: string): Promise<PlainTable> {
  await c.run(`CREATE TABLE ${table} (sample INTEGER, chrom VARCHAR, pos INTEGER, id VARCHAR, ref VARCHAR, alt VARCHAR, zygosity UTINYINT, gt VARCHAR,
    dp INTEGER, gq INTEGER, qual FLOAT, filter VARCHAR, gene VARCHAR, consequence VARCHAR, clnsig VARCHAR)`);
  const start = performance.now();
  const a = await c.createAppender(table);
  const text = (v: string | null) => (v === null ? a.appendNull() : a.appendVarchar(v));
  const int = (v: number) => (v === MISSING_INT ? a.appendNull() : a.appendInteger(v));
  let rows = 0;
  for (const { sample, batch: b } of batches) {
    for (let i = 0; i < b.rows; i++) {
      a.appendInteger(sample); a.appendVarchar(b.chrom); a.appendInteger(b.pos[i]!); text(b.id[i]!); a.appendVarchar(b.ref[i]!); a.appendVarchar(b.alt[i]!);
      a.appendUTinyInt(b.zygosity[i]!); a.appendVarchar(b.gt[i]!); int(b.dp[i]!); int(b.gq[i]!);
      if (Number.isNaN(b.qual[i]!)) a.appendNull();
      else a.appendFloat(b.qual[i]!);
      text(b.filter[i]!); text(b.gene[i]!); text(b.consequence[i]!); text(b.clnsig[i]!);
      a.endRow();
    }
    rows += b.rows;
  }
  a.flushSync();
  a.closeSync();
  const appendMs = performance.now() - start;
  // the column list is ours, never user text
  if (orderBy) await c.run(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM ${table} ORDER BY ${orderBy}`);
  return { table, rows, appendMs };
}

/** The longest REF allele in a plain table (at least 1). */
export async function longestRef(c: DuckDBConnection, table: string): Promise<number> {
  const result = await c.runAndReadAll(`SELECT coalesce(max(length(ref)), 1)::INTEGER FROM ${table}`);
  return Number(result.getRowsJS()[0]?.[0] ?? 1);
}
