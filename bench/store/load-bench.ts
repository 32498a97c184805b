// Loading the engine's numeric call columns into DuckDB a chunk at a time, beside DuckDB's
// row-by-row appender on the same rows.
import { INTEGER, UTINYINT, type DuckDBConnection } from '@duckdb/node-api';
import { figure, median, timeMs, type Figure } from '../figure.ts';
import { loadColumns, type LoadColumn } from '../../vault/store/chunk-loader.ts';
import { openSecureDuckDB } from '../../vault/store/duckdb-session.ts';
import { SECTION, MiB, type StoreBenchOptions } from './bench-fixtures.ts';

/** Chunk loading of the engine's numeric columns vs DuckDB's row-by-row appender, same rows. */
export async function benchLoadThroughput(o: StoreBenchOptions): Promise<Figure> {
  const rows = o.loadRows;
  const pos = Int32Array.from({ length: rows }, (_, i) => 10_000 + i * 37);
  const codes = Int32Array.from({ length: rows }, (_, i) => (i % 13 === 0 ? -1 : i % 4));
  const zyg = Uint8Array.from({ length: rows }, (_, i) => 1 + (i % 2));
  const isNull = (v: number) => v < 0;
  const columns: LoadColumn[] = [
    { type: INTEGER, values: pos }, { type: INTEGER, values: codes, isNull }, { type: INTEGER, values: codes, isNull }, { type: UTINYINT, values: zyg },
    { type: INTEGER, values: codes, isNull }, { type: INTEGER, values: codes, isNull }, { type: INTEGER, values: codes, isNull },
  ];
  const ddl = (t: string) => `CREATE OR REPLACE TABLE ${t} (pos INTEGER, ref INTEGER, alt INTEGER, zygosity UTINYINT, gt INTEGER, gene INTEGER, clnsig INTEGER)`;
  const session = await openSecureDuckDB({ memoryLimitBytes: 4096 * MiB });
  try {
    const c = session.connection;
    await c.run(ddl('warm'));
    await loadColumns(c, 'warm', columns, Math.min(rows, 100_000));
    const chunked: number[] = [];
    for (let r = 0; r < 3; r++) {
      await c.run(ddl('t'));
      chunked.push(await timeMs(() => loadColumns(c, 't', columns, rows)));
    }
    const rowRows = Math.min(rows, 300_000);
    await c.run(ddl('r'));
    const rowMs = await timeMs(() => appendRowByRow(c, 'r', columns, rowRows));
    const value = rows / median(chunked) / 1000;
    const baseline = rowRows / rowMs / 1000;
    return figure({ section: SECTION, name: 'load calls into DuckDB (7 numeric columns)', value, unit: 'M rows/s', baseline, baselineName: 'row-by-row appender', target: '>= 5 M rows/s', note: 'ratio > 1 means faster than the baseline' });
  } finally {
    session.close();
  }
}

async function appendRowByRow(c: DuckDBConnection, table: string, columns: LoadColumn[], rows: number): Promise<void> {
  const appender = await c.createAppender(table);
  for (let i = 0; i < rows; i++) {
    for (const column of columns) {
      const v = column.values[i]!;
      if (column.isNull?.(v)) appender.appendNull();
      else if (column.type === UTINYINT) appender.appendUTinyInt(v);
      else appender.appendInteger(v);
    }
    appender.endRow();
  }
  appender.flushSync();
  appender.closeSync();
}

