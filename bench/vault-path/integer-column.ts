// Reads an INTEGER column of a DuckDB result straight from its vectors, value by value, without
// the row or column objects `getRowsJS()`/`getColumnsJS()` build: for the thousands of sample
// numbers a count answer reads, those conversions cost more than the statement.
import type { DuckDBIntegerVector, DuckDBMaterializedResult } from '@duckdb/node-api';

/** Calls `each` with every non-NULL value of the INTEGER column, in result order. */
export function forEachInteger(result: DuckDBMaterializedResult, column: number, each: (value: number) => void): void {
  for (let c = 0; c < result.chunkCount; c++) {
    const vector = result.getChunk(c).getColumnVector(column) as DuckDBIntegerVector;
    for (let i = 0; i < vector.itemCount; i++) {
      const value = vector.getItem(i);
      if (value !== null) each(value);
    }
  }
}
