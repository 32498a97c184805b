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

const PARSE_WORKER = new URL('./parse-worker.ts', import.meta.url);

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly load: number[] = [];
  private readonly pending = new Map<number, Pending & { worker: number }>();
  private nextId = 0;
  private broken: Error | null = null;
  private readyCount = 0;
  private readonly starting: Promise<void>;

  /** Starts `size` workers once their bundle is built; until one is ready, callers parse on their own thread. */
  constructor(header: VcfHeader, size: number) {
    this.starting = Promise.allSettled(Array.from({ length: size }, () => startBundledWorker(PARSE_WORKER, header))).then((started) => {
      const failed = started.find((s) => s.status === 'rejected');
      if (failed) this.failAll(failed.reason instanceof Error ? failed.reason : new Error('VCF parse workers could not start'));
      // attached even after a failure, so close() terminates every worker that did start
      for (const s of started) if (s.status === 'fulfilled') this.attach(s.value);
    });
  }

  private attach(worker: Worker): void {
    const index = this.workers.length;
    this.workers.push(worker);
    this.load.push(0);
    worker.on('message', (reply: Reply) => this.settle(index, reply));
    worker.on('error', (err) => this.failAll(err));
    worker.on('exit', (code) => {
      if (code !== 0) this.failAll(new Error(`VCF parse worker stopped with code ${code}`));
    });
    if (this.broken) void worker.terminate(); // closed while starting
  }

  /** True once at least one worker has started (until then a caller may parse on its own thread). */
  get ready(): boolean {
    return this.readyCount > 0;
  }

  /** True once the pool cannot parse (a worker failed to start or stopped): parse() then rejects with why. */
  get failed(): boolean {
    return this.broken !== null;
  }

  parse(buf: Buffer, firstLine: number): Promise<ChunkResult> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.workers.length === 0) return Promise.reject(new Error('VCF parse workers have not started'));
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
    await this.starting;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
