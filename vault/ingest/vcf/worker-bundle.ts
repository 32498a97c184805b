// Starts a worker thread on one esbuild bundle of its entry module (built once per process), so
// a worker needs no TypeScript loader: loading one inside each worker cost ~400 ms and ~0.5 s
// of CPU per worker (measured on the bench's 300 MB ingest), time both cores would otherwise
// spend on the file.
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';

const bundles = new Map<string, Promise<string>>();

/**
 * The bundle of `entry`, built once per process. esbuild builds in its own process, so the ~50 ms
 * build overlaps the ingest thread's own work (it parses the first chunks meanwhile).
 */
function workerBundle(entry: URL): Promise<string> {
  const path = fileURLToPath(entry);
  let code = bundles.get(path);
  if (code === undefined) {
    code = build({ entryPoints: [path], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'silent' })
      .then((result) => result.outputFiles[0]?.text ?? '');
    code.catch(() => bundles.delete(path)); // a failed build is retried by the next caller
    bundles.set(path, code);
  }
  return code;
}

/**
 * A worker running `entry`. Ingest workers allocate a lot of short-lived memory: a 64 MB young
 * generation instead of the default halves their garbage collection (measured on parse chunks).
 */
export async function startBundledWorker(entry: URL, workerData: unknown): Promise<Worker> {
  return new Worker(await workerBundle(entry), { eval: true, workerData, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
}
