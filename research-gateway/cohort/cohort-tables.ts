// The rows a cohort query runs over, loaded for the query into the gateway's in-memory DuckDB:
// every patient's research-consent decision (permit, deny, review and its group), the
// demographics, the samples, their calls in the locus and where their assays did not cover it.
// Values arrive as whole columns, a data chunk (2,048 rows) at a time.
import { DuckDBDataChunk, DuckDBVector, INTEGER, LIST, VARCHAR, listValue, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';

const VARCHAR_LIST = LIST(VARCHAR);

/** Table name → its columns; names are fixed here, never built from input. */
export const COHORT_TABLES = {
  rc_consent: { patient_id: VARCHAR, decision: VARCHAR, review_group: VARCHAR },
  rc_patient: { patient_id: VARCHAR, sex: VARCHAR, age: INTEGER, conditions: VARCHAR_LIST },
  rc_sample: { sample_id: VARCHAR, patient_id: VARCHAR },
  rc_call: { sample_id: VARCHAR, pos: INTEGER, ref: VARCHAR, alt: VARCHAR, zygosity: VARCHAR, copies: INTEGER, significance: VARCHAR_LIST },
  rc_uncovered: { sample_id: VARCHAR, pos: INTEGER },
} as const satisfies Record<string, Record<string, DuckDBType>>;

export type CohortTableName = keyof typeof COHORT_TABLES;
type Row<T extends CohortTableName> = { [K in keyof (typeof COHORT_TABLES)[T]]: DuckDBValue };

export type CohortTableRows = { [T in CohortTableName]: Row<T>[] };

/** Replaces the query tables with these rows (a connection serves one query at a time). */
export async function loadCohortTables(connection: DuckDBConnection, rows: CohortTableRows): Promise<void> {
  for (const [table, columns] of Object.entries(COHORT_TABLES) as [CohortTableName, Record<string, DuckDBType>][]) {
    const definition = Object.entries(columns).map(([name, type]) => `${name} ${type.toString()}`).join(', ');
    await connection.run(`CREATE OR REPLACE TEMP TABLE ${table} (${definition})`);
    await appendRows(connection, table, columns, rows[table]);
  }
}

async function appendRows(connection: DuckDBConnection, table: string, columns: Record<string, DuckDBType>, rows: readonly Record<string, DuckDBValue>[]): Promise<void> {
  if (rows.length === 0) return;
  const names = Object.keys(columns);
  const types = Object.values(columns);
  const appender = await connection.createAppender(table);
  try {
    const size = DuckDBVector.standardSize();
    for (let offset = 0; offset < rows.length; offset += size) {
      const slice = rows.slice(offset, offset + size);
      const chunk = DuckDBDataChunk.create(types, slice.length);
      chunk.setColumns(names.map((name) => slice.map((row) => row[name] ?? null)));
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/** A VARCHAR[] value. */
export function textList(values: readonly string[]): DuckDBValue {
  return listValue([...values]);
}
