// The store benchmarks in one run. `npm run bench` calls runStoreBench();
// `tsx bench/store/store-bench.ts [--smoke]` runs them alone and prints the table.
import { pathToFileURL } from 'node:url';
import { formatTable, type Figure } from '../figure.ts';
import { FULL, SMOKE, type StoreBenchOptions } from './bench-fixtures.ts';
import { benchLoadThroughput } from './load-bench.ts';
import { benchPatientGeneQuery } from './patient-bench.ts';
import { benchCohortQueries, benchCacheMemory } from './cohort-bench.ts';

export { FULL, SMOKE, type StoreBenchOptions } from './bench-fixtures.ts';
export { benchLoadThroughput, benchPatientGeneQuery, benchCohortQueries, benchCacheMemory };

export async function runStoreBench(o: StoreBenchOptions): Promise<Figure[]> {
  return [await benchLoadThroughput(o), ...(await benchPatientGeneQuery(o)), ...(await benchCohortQueries(o)), await benchCacheMemory(o)];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const options = process.argv.includes('--smoke') ? SMOKE : FULL;
  console.log(formatTable(await runStoreBench(options)));
}
