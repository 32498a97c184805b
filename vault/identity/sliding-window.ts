// Counts events in a sliding window: at time `now` an event at `t` counts while t > now - windowMs.
// Only the newest `limit` times are kept, which is all a limit of `limit` needs: memory stays
// bounded whatever the traffic, and "at most `limit` per window" holds exactly (no fixed-window
// boundary letting twice as many through).
export class SlidingWindow {
  private readonly times: number[] = [];

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('a window limit must be a positive integer');
    if (!(windowMs > 0)) throw new RangeError('a window must be longer than 0 ms');
  }

  /** Events still inside the window at `now` (at most `limit`). */
  count(now: number): number {
    this.forget(now);
    return this.times.length;
  }

  isFull(now: number): boolean {
    return this.count(now) >= this.limit;
  }

  /** How long until one more event fits; 0 when it fits now. */
  msUntilRoom(now: number): number {
    if (!this.isFull(now)) return 0;
    return this.times[this.times.length - this.limit]! + this.windowMs - now;
  }

  add(now: number): void {
    this.forget(now);
    this.times.push(now);
    if (this.times.length > this.limit) this.times.shift();
  }

  /** True when nothing is left inside the window: the record may be dropped. */
  isEmpty(now: number): boolean {
    return this.count(now) === 0;
  }

  private forget(now: number): void {
    while (this.times.length > 0 && this.times[0]! <= now - this.windowMs) this.times.shift();
  }
}
