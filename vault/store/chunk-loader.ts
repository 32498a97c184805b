// Loads typed columns into a DuckDB table a whole data chunk (2,048 rows) at a time, copying
// each column's bytes and validity bitmap into the vector with one native call. The public
// per-value setters (and row-by-row appends) cost a call or a BigInt operation per value and
// measured 10-20x slower. `@duckdb/node-bindings` is the native layer `@duckdb/node-api` is
// built on (same version, installed with it); only its documented copy functions are used.
import duckdb from '@duckdb/node-bindings';
import { DuckDBDataChunk, DuckDBVector, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';

type NumericArray = Int32Array | Uint8Array | Float32Array;

/** A numeric column to load; `isNull(value)` marks missing values (sentinels, NaN, -1 codes). */
export interface LoadColumn {
  type: DuckDBType;
  values: NumericArray;
  isNull?: (value: number) => boolean;
}

/** `catalog`: the attached database holding `table` (its main schema); the connection's default when absent. */
export async function loadColumns(connection: DuckDBConnection, table: string, columns: readonly LoadColumn[], rows: number, catalog?: string): Promise<void> {
  for (const column of columns) {
    if (column.values.length < rows) throw new RangeError(`column of ${column.type.toString()} has ${column.values.length} values, expected ${rows}`);
  }
  const appender = await connection.createAppender(table, catalog === undefined ? undefined : 'main', catalog);
  try {
    const size = DuckDBVector.standardSize();
    const chunk = DuckDBDataChunk.create(columns.map((c) => c.type));
    const validity = new Uint8Array(Math.ceil(size / 64) * 8);
    for (let offset = 0; offset < rows; offset += size) {
      const n = Math.min(size, rows - offset);
      chunk.rowCount = n;
      columns.forEach((column, c) => {
        const vector = duckdb.data_chunk_get_vector(chunk.chunk, c);
        const { values, isNull } = column;
        const bytes = values.BYTES_PER_ELEMENT;
        duckdb.copy_data_to_vector(vector, 0, values.buffer as ArrayBuffer, values.byteOffset + offset * bytes, n * bytes);
        if (isNull) {
          const words = fillValidity(validity, values, offset, n, isNull);
          duckdb.vector_ensure_validity_writable(vector);
          duckdb.copy_data_to_vector_validity(vector, 0, validity.buffer, 0, words * 8);
        }
      });
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/** DuckDB's validity mask: little-endian 64-bit words, bit set = value present. Returns words used. */
function fillValidity(mask: Uint8Array, values: NumericArray, offset: number, n: number, isNull: (v: number) => boolean): number {
  const words = Math.ceil(n / 64);
  mask.fill(0xff, 0, words * 8);
  for (let i = 0; i < n; i++) {
    if (isNull(values[offset + i]!)) mask[i >> 3]! &= ~(1 << (i & 7));
  }
  return words;
}
