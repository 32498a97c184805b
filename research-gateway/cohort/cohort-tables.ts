// The rows a cohort query runs over, loaded for the query into the gateway's in-memory DuckDB:
// every patient's research-consent decision (permit, deny, review and its group), the
// demographics, the samples, their calls in the locus and where their assays did not cover it.
// Values arrive as whole columns, a data chunk (2,048 rows) at a time. A project asks many
// questions of one cohort: a table whose rows are the same as the last ones loaded on the
// connection (compared by a key made of every value) is kept, so the consents, demographics and
// samples are reloaded only when one of them changed (a withdrawal changes the consent rows).
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

/** Each table's rows as a key (every value, in order); null: not worth comparing, always reloaded. */
export type CohortTableKeys = Partial<Record<CohortTableName, string>>;

/** Per connection, the key of each table's rows as last loaded. */
const loadedKeys = new WeakMap<DuckDBConnection, Map<CohortTableName, string>>();

/**
 * Replaces the query tables with these rows (a connection serves one query at a time), keeping a
 * table whose key is the one last loaded on this connection.
 */
export async function loadCohortTables(connection: DuckDBConnection, rows: CohortTableRows, keys: CohortTableKeys = {}): Promise<void> {
  let loaded = loadedKeys.get(connection);
  if (!loaded) loadedKeys.set(connection, (loaded = new Map<CohortTableName, string>()));
  for (const [table, columns] of Object.entries(COHORT_TABLES) as [CohortTableName, Record<string, DuckDBType>][]) {
    const key = keys[table];
    if (key !== undefined && loaded.get(table) === key) continue;
    // forgotten first: a load that fails halfway leaves the table to be reloaded next time
    loaded.delete(table);
    const definition = Object.entries(columns).map(([name, type]) => `${name} ${type.toString()}`).join(', ');
    await connection.run(`CREATE OR REPLACE TEMP TABLE ${table} (${definition})`);
    await appendRows(connection, table, columns, rows[table]);
    if (key !== undefined) loaded.set(table, key);
  }
}

/** A key of rows given as lists of their values (text, numbers, null, lists of text). */
export function rowsKey(rows: Iterable<readonly (string | number | null | readonly string[])[]>): string {
  const parts: string[] = [];
  for (const row of rows) parts.push(JSON.stringify(row));
  return parts.join('\n');
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
