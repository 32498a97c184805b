// Group commit: items submitted while a flush is in flight wait for the next flush, and each
// flush is one write and one fsync for its whole batch. One flush runs at a time.
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';

interface Waiting<I, O> {
  item: I;
  resolve: (out: O) => void;
  reject: (err: unknown) => void;
}

export class GroupCommit<I, O> {
  private queue: Waiting<I, O>[] = [];
  private running: Promise<void> | null = null;

  /**
   * @param flush makes a batch durable and returns one result per item, in order
   * @param delayMs how long an idle committer waits for company before its first flush
   * @param maxBatch bound on one batch, so one write never grows without limit
   */
  constructor(
    private readonly flush: (batch: I[]) => Promise<O[]>,
    private readonly delayMs = 0,
    private readonly maxBatch = 4096,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.running ??= this.run();
    });
  }

  /** Resolves once everything submitted so far has been flushed (or failed). */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  private async run(): Promise<void> {
    try {
      // Let appends issued in the same turn (or within delayMs) join the first batch.
      if (this.delayMs > 0) await sleep(this.delayMs);
      else await nextTurn();
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const results = await this.flush(batch.map((w) => w.item));
          batch.forEach((w, i) => w.resolve(results[i]!));
        } catch (err) {
          for (const w of batch) w.reject(err);
        }
      }
    } finally {
      this.running = null;
    }
  }
}
