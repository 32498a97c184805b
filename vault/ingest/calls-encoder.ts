// Where a chromosome's calls are encoded: on the calling thread, or in one encode worker so the
// ingest thread (which numbers alleles, seals and writes) is not the bottleneck of a large file.
// Measured on the bench's 200-sample file: encoding was ~1.5 s of the ingest thread's ~3 s while
// the parse workers idled ~45% of the run.
import type { Worker } from 'node:worker_threads';
import { startBundledWorker } from './vcf/worker-bundle.ts';
import { PendingReplies } from './vcf/worker-replies.ts';
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
  private readonly replies = new PendingReplies<EncodedCalls[]>('calls encode worker');

  constructor() {
    this.worker = startBundledWorker(new URL('./encode-worker.ts', import.meta.url), null);
    this.worker.then((worker) => {
      worker.on('message', (reply: Reply) => void this.replies.settle(reply.id, reply.encoded, reply.failure));
      this.replies.watch(worker);
    }, (err: unknown) => this.replies.failAll(err instanceof Error ? err : new Error('calls encode worker could not start')));
  }

  async encode(job: ChromosomeCalls): Promise<EncodedCalls[]> {
    const worker = await this.worker;
    return this.replies.request((id) => worker.postMessage({ id, job }, buffersOf(job)));
  }

  async close(): Promise<void> {
    this.replies.failAll(new Error('calls encoder closed'));
    await (await this.worker.catch(() => null))?.terminate();
  }
}
