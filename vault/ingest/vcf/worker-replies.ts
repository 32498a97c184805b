// Requests to worker threads awaiting their replies by id. The first failure of a watched worker
// (an error, a reply that cannot be read, a non-zero exit) rejects every request waiting and every
// later one, so a caller never waits on a worker that is gone.
import type { Worker } from 'node:worker_threads';

export class PendingReplies<T> {
  private readonly pending = new Map<number, { resolve: (value: T) => void; reject: (err: Error) => void }>();
  private nextId = 0;
  private broken: Error | null = null;

  constructor(private readonly what: string) {}

  /** True once a failure (or close) has been recorded: every request now rejects with it. */
  get failed(): boolean {
    return this.broken !== null;
  }

  /** A new request: `send` posts it under its id; a throw from `send` rejects it. */
  request(send: (id: number) => void): Promise<T> {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        send(id);
      } catch (err) {
        this.pending.delete(id);
        reject(err instanceof Error ? err : new Error(`${this.what}: the request could not be sent`));
      }
    });
  }

  /** Settles request `id` with its value, or with the failure the worker named (an error name, never content). */
  settle(id: number, value: T | undefined, failure: string | undefined): boolean {
    const entry = this.pending.get(id);
    if (!entry) return false;
    this.pending.delete(id);
    if (value !== undefined) entry.resolve(value);
    else entry.reject(new Error(`${this.what} failed (${failure ?? 'unknown'})`));
    return true;
  }

  failAll(err: Error): void {
    this.broken ??= err;
    for (const entry of this.pending.values()) entry.reject(err);
    this.pending.clear();
  }

  watch(worker: Worker): void {
    worker.on('error', (err) => this.failAll(err));
    worker.on('messageerror', () => this.failAll(new Error(`${this.what} sent a reply that could not be read`)));
    worker.on('exit', (code) => {
      if (code !== 0) this.failAll(new Error(`${this.what} stopped with code ${code}`));
    });
  }
}
