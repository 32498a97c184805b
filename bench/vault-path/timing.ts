// Timing and memory helpers shared by the vault-path figures.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { median, timeMs } from '../figure.ts';

/**
 * Medians of `a` and `b` timed in turn (a, b, a, b, ...) after one untimed run of each: on a
 * virtual machine whose speed drifts within a minute, a figure and its baseline then see the
 * same machine (timed one after the other, a sub-5 ms ratio moved between 0.9x and 2x).
 */
export async function interleavedMedians(a: () => Promise<unknown>, b: () => Promise<unknown>, repeats: number): Promise<[number, number]> {
  await a();
  await b();
  const as: number[] = [];
  const bs: number[] = [];
  for (let r = 0; r < repeats; r++) {
    as.push(await timeMs(a));
    bs.push(await timeMs(b));
  }
  return [median(as), median(bs)];
}

/**
 * Median over `repeats` fresh starts: each time `open` makes a new engine, `run` is timed on it
 * alone, then `close`. One extra start runs first and is discarded: it pays for module loading
 * and JIT compilation, which a long-running service pays once.
 */
export async function coldMedianMs<E>(open: () => Promise<E>, run: (engine: E) => Promise<unknown>, close: (engine: E) => Promise<void>, repeats: number): Promise<{ ms: number; openMs: number }> {
  const times: number[] = [];
  const opens: number[] = [];
  for (let r = 0; r <= repeats; r++) {
    const opened = performance.now();
    const engine = await open();
    const openMs = performance.now() - opened;
    try {
      const ms = await timeMs(() => run(engine));
      if (r > 0) {
        times.push(ms);
        opens.push(openMs);
      }
    } finally {
      await close(engine);
    }
  }
  return { ms: median(times), openMs: median(opens) };
}

let gc: (() => void) | null = null;

/** A full garbage collection, so RSS deltas measure what is held, not what is waiting to be freed. */
export function collectGarbage(): void {
  if (!gc) {
    // the bench runs under plain `tsx`; expose V8's gc without asking for a node flag
    setFlagsFromString('--expose_gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}
