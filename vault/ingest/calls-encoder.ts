// Where a chromosome's calls are encoded: on the calling thread, or in one encode worker so the
// ingest thread (which numbers alleles, seals and writes) is not the bottleneck of a large file.
// Measured on the bench's 200-sample file: encoding was ~1.5 s of the ingest thread's ~3 s while
// the parse workers idled ~45% of the run.
import type { Worker } from 'node:worker_threads';
import { startBundledWorker } from './vcf/worker-bundle.ts';
import { buffersOf, encodeChromosomeCalls, type ChromosomeCalls, type EncodedCalls } from './chromosome-calls.ts';

export interface CallsEncoder {
  encode(job: ChromosomeCalls): Promise<EncodedCalls[]>;
  close(): Promise<void>;
}

/** Encodes on the calling thread (small files, workers=0, tests). */
export const inlineEncoder: CallsEncoder = {
  encode: (job) => Promise.resolve().then(() => encodeChromosomeCalls(job)),
  close: () => Promise.resolve(),
};

interface Reply {
  id: number;
  encoded?: EncodedCalls[];
  failure?: string;
}

/** One encode worker; jobs are handed over by transfer (the caller must not touch a job's arrays after). */
export class WorkerEncoder implements CallsEncoder {
  private readonly worker: Promise<Worker>;
  private readonly pending = new Map<number, { resolve: (e: EncodedCalls[]) => void; reject: (err: Error) => void }>();
  private nextId = 0;
  private broken: Error | null = null;

  constructor() {
    this.worker = startBundledWorker(new URL('./encode-worker.ts', import.meta.url), null);
    this.worker.then((worker) => {
      worker.on('message', (reply: Reply) => {
        const entry = this.pending.get(reply.id);
        if (!entry) return;
        this.pending.delete(reply.id);
        if (reply.encoded) entry.resolve(reply.encoded);
        else entry.reject(new Error(`calls encode worker failed (${reply.failure ?? 'unknown'})`));
      });
      worker.on('error', (err) => this.failAll(err));
      worker.on('messageerror', () => this.failAll(new Error('calls encode worker sent a reply that could not be read')));
      worker.on('exit', (code) => {
        if (code !== 0) this.failAll(new Error(`calls encode worker stopped with code ${code}`));
      });
    }, (err: unknown) => this.failAll(err instanceof Error ? err : new Error('calls encode worker could not start')));
  }

  async encode(job: ChromosomeCalls): Promise<EncodedCalls[]> {
    const worker = await this.worker;
    if (this.broken) throw this.broken;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        worker.postMessage({ id, job }, buffersOf(job));
      } catch (err) {
        this.pending.delete(id);
        reject(err instanceof Error ? err : new Error('calls encode job could not be sent'));
      }
    });
  }

  private failAll(err: Error): void {
    this.broken ??= err;
    for (const entry of this.pending.values()) entry.reject(err);
    this.pending.clear();
  }

  async close(): Promise<void> {
    this.broken ??= new Error('calls encoder closed');
    await (await this.worker.catch(() => null))?.terminate();
  }
}
