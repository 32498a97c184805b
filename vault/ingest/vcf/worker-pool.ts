// A fixed set of parse workers. Chunks go to the least busy worker; results come back as promises
// that the reader consumes in file order.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ChunkResult } from './chunk-result.ts';
import type { VcfHeader } from './vcf-header.ts';

interface Pending {
  resolve: (result: ChunkResult) => void;
  reject: (err: Error) => void;
}

interface Reply {
  ready?: true;
  id: number;
  result?: ChunkResult;
  failure?: string;
}

/**
 * tsx's loader API, resolved from this package rather than from the working directory. createRequire
 * keeps this working when the module itself was loaded through tsx's CommonJS hook (as mocha does).
 */
const TSX_API = ((): string => {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const exports = (require('tsx/package.json') as { exports: Record<string, { import: { default: string } }> }).exports;
  const target = exports['./esm/api']?.import.default ?? './dist/esm/api/index.mjs';
  return pathToFileURL(join(dirname(manifest), target)).href;
})();

/** Starts a worker that can load TypeScript: through tsx, resolved from this package. */
function startWorker(header: VcfHeader): Worker {
  // Node 20 does not apply `--import tsx` to a worker's entry module, so a tiny JS bootstrap
  // registers the TypeScript loader first and then imports the real worker.
  const loader = JSON.stringify(TSX_API);
  const entry = JSON.stringify(new URL('./parse-worker.ts', import.meta.url).href);
  const bootstrap = `import(${loader}).then((m) => { m.register(); return import(${entry}); })`;
  return new Worker(bootstrap, { eval: true, workerData: header });
}

export class WorkerPool {
  private readonly workers: Worker[];
  private readonly load: number[];
  private readonly pending = new Map<number, Pending & { worker: number }>();
  private nextId = 0;
  private broken: Error | null = null;
  private readyCount = 0;

  constructor(header: VcfHeader, size: number) {
    this.workers = Array.from({ length: size }, () => startWorker(header));
    this.load = this.workers.map(() => 0);
    this.workers.forEach((worker, index) => {
      worker.on('message', (reply: Reply) => this.settle(index, reply));
      worker.on('error', (err) => this.failAll(err));
      worker.on('exit', (code) => {
        if (code !== 0) this.failAll(new Error(`VCF parse worker stopped with code ${code}`));
      });
    });
  }

  /** True once at least one worker has started (until then a caller may parse on its own thread). */
  get ready(): boolean {
    return this.readyCount > 0;
  }

  parse(buf: Buffer, firstLine: number): Promise<ChunkResult> {
    if (this.broken) return Promise.reject(this.broken);
    const worker = this.load.indexOf(Math.min(...this.load));
    const id = this.nextId++;
    // A private copy: the chunk may share memory with other buffers, and transfer detaches it.
    const own = new Uint8Array(buf);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, worker });
      this.load[worker] = (this.load[worker] ?? 0) + 1;
      this.workers[worker]?.postMessage({ id, buf: own, firstLine }, [own.buffer]);
    });
  }

  private settle(worker: number, reply: Reply): void {
    if (reply.ready) {
      this.readyCount++;
      return;
    }
    const entry = this.pending.get(reply.id);
    if (!entry) return;
    this.pending.delete(reply.id);
    this.load[worker] = (this.load[worker] ?? 1) - 1;
    if (reply.result) entry.resolve(reply.result);
    else entry.reject(new Error(`VCF parse worker failed (${reply.failure ?? 'unknown'})`));
  }

  private failAll(err: Error): void {
    this.broken ??= err;
    for (const entry of this.pending.values()) entry.reject(err);
    this.pending.clear();
  }

  async close(): Promise<void> {
    this.broken ??= new Error('worker pool closed');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
