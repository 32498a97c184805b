// Bounds the password hashing that logins cause. scrypt runs on libuv's thread pool (4 threads
// by default), which file reads, fsync and other crypto of every request share: with hashing
// unbounded, a flood of logins fills the pool and every read waits behind it. Here at most
// `concurrency` tasks (a login attempt, its hash included) run at once and at most `maxWaiting`
// wait, first come first served; beyond that a task is refused at once (the caller answers
// "busy, retry shortly") instead of joining a queue without end.
export interface HashingQueueLimits {
  concurrency: number;
  maxWaiting: number;
}

export const DEFAULT_HASHING_LIMITS: Readonly<HashingQueueLimits> = Object.freeze({ concurrency: 1, maxWaiting: 16 });

export class HashingBusyError extends Error {
  constructor(
    /** the first refusal since the queue last took a task: worth an audit entry */
    readonly engagedNow: boolean,
  ) {
    super('password hashing is at capacity');
    this.name = 'HashingBusyError';
  }
}

export class HashingQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private refusing = false;
  readonly limits: HashingQueueLimits;

  constructor(limits: Partial<HashingQueueLimits> = {}) {
    this.limits = { ...DEFAULT_HASHING_LIMITS, ...limits };
    const { concurrency, maxWaiting } = this.limits;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('hashing concurrency must be a positive integer');
    if (!Number.isInteger(maxWaiting) || maxWaiting < 0) throw new RangeError('the hashing wait list must hold 0 or more');
  }

  /** Runs `task` when a slot is free; rejects at once with HashingBusyError when the wait list is full. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limits.concurrency) {
      if (this.waiting.length >= this.limits.maxWaiting) {
        const engagedNow = !this.refusing;
        this.refusing = true;
        throw new HashingBusyError(engagedNow);
      }
      this.refusing = false;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.refusing = false;
      this.running++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight to the next task
      else this.running--;
    }
  }

  /** Tasks running now and tasks waiting, for tests and metrics. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}
