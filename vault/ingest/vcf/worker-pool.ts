// A fixed set of parse workers. Chunks go to the least busy worker; results come back as promises
// that the reader consumes in file order.
import type { Worker } from 'node:worker_threads';
import { startBundledWorker } from './worker-bundle.ts';
import { PendingReplies } from './worker-replies.ts';
import type { ChunkResult } from './chunk-result.ts';
import type { VcfHeader } from './vcf-header.ts';

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
  private readonly replies = new PendingReplies<ChunkResult>('VCF parse worker');
  private readyCount = 0;
  private readonly starting: Promise<void>;

  /** Starts `size` workers once their bundle is built; until one is ready, callers parse on their own thread. */
  constructor(header: VcfHeader, size: number) {
    this.starting = Promise.allSettled(Array.from({ length: size }, () => startBundledWorker(PARSE_WORKER, header))).then((started) => {
      const failed = started.find((s) => s.status === 'rejected');
      if (failed) this.replies.failAll(failed.reason instanceof Error ? failed.reason : new Error('VCF parse workers could not start'));
      // attached even after a failure, so close() terminates every worker that did start
      for (const s of started) if (s.status === 'fulfilled') this.attach(s.value);
    });
  }

  private attach(worker: Worker): void {
    const index = this.workers.length;
    this.workers.push(worker);
    this.load.push(0);
    worker.on('message', (reply: Reply) => this.settle(index, reply));
    this.replies.watch(worker);
    if (this.replies.failed) void worker.terminate(); // closed while starting
  }

  /** True once at least one worker has started (until then a caller may parse on its own thread). */
  get ready(): boolean {
    return this.readyCount > 0;
  }

  /** True once the pool cannot parse (a worker failed to start or stopped): parse() then rejects with why. */
  get failed(): boolean {
    return this.replies.failed;
  }

  parse(buf: Buffer, firstLine: number): Promise<ChunkResult> {
    if (this.workers.length === 0 && !this.replies.failed) return Promise.reject(new Error('VCF parse workers have not started'));
    const worker = this.load.indexOf(Math.min(...this.load));
    return this.replies.request((id) => {
      // a private copy: the chunk may share memory with other buffers, and transfer detaches it
      const own = new Uint8Array(buf);
      this.workers[worker]?.postMessage({ id, buf: own, firstLine }, [own.buffer]);
      this.load[worker] = (this.load[worker] ?? 0) + 1;
    });
  }

  private settle(worker: number, reply: Reply): void {
    if (reply.ready) {
      this.readyCount++;
      return;
    }
    if (this.replies.settle(reply.id, reply.result, reply.failure)) this.load[worker] = (this.load[worker] ?? 1) - 1;
  }

  async close(): Promise<void> {
    this.replies.failAll(new Error('worker pool closed'));
    await this.starting;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
