// A fixed set of parse workers. Chunks go to the least busy worker; results come back as promises
// that the reader consumes in file order.
import type { Worker } from 'node:worker_threads';
import { startBundledWorker } from './worker-bundle.ts';
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

function startWorker(header: VcfHeader): Worker {
  return startBundledWorker(new URL('./parse-worker.ts', import.meta.url), header);
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
