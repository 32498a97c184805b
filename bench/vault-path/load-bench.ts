// The chunk loader against DuckDB's row-by-row appender on the same numeric rows (the store
// benchmark's measure, filed under this run's 'load' section).
import { benchLoadThroughput } from '../store/load-bench.ts';
import { SMOKE as STORE_SMOKE } from '../store/bench-fixtures.ts';
import type { Figure } from '../figure.ts';
import type { VaultBenchOptions } from './bench-options.ts';

export async function benchChunkLoader(o: VaultBenchOptions): Promise<Figure> {
  const f = await benchLoadThroughput({ ...STORE_SMOKE, loadRows: o.loadRows });
  return { ...f, section: 'load', note: `${o.loadRows} rows, 7 columns as the engine's call tables; ${f.note ?? ''}` };
}
