// Loaded index windows, least recently used first, counted against the engine's memory budget
// (memory-budget.ts) at what DuckDB measured they took: after each window a query reads, windows
// are evicted until everything on the budget fits in three quarters of it, except the one the query
// is using. The last quarter is the running query's: its window, DuckDB's work and the answer.
import type { MemoryBudget } from '../memory-budget.ts';
import type { LoadedWindow } from './window-tables.ts';

/** The share of the budget cached windows may fill (with everything else on the budget). */
export const WINDOW_CACHE_SHARE = 0.75;

export class WindowCache {
  /** in recency order: a hit is moved to the end */
  private readonly entries = new Map<string, LoadedWindow>();
  private total = 0;

  constructor(private readonly budget: MemoryBudget) {
    budget.join(this);
  }

  get bytes(): number {
    return this.total;
  }
  get size(): number {
    return this.entries.size;
  }
  get rows(): number {
    let rows = 0;
    for (const w of this.entries.values()) rows += w.rows;
    return rows;
  }

  touch(key: string): LoadedWindow | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  add(window: LoadedWindow): void {
    this.entries.set(window.key, window);
    this.total += window.bytes;
  }

  remove(key: string): LoadedWindow | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.total -= entry.bytes;
    return entry;
  }

  /** Oldest first, never `pinned`, until the cache's share of the budget holds everything (or nothing else of ours is left). */
  victims(pinned: string | null): LoadedWindow[] {
    let excess = this.budget.heldBytes - this.budget.limitBytes * WINDOW_CACHE_SHARE;
    const out: LoadedWindow[] = [];
    for (const entry of this.entries.values()) {
      if (excess <= 0) break;
      if (entry.key === pinned) continue;
      out.push(entry);
      excess -= entry.bytes;
    }
    return out;
  }

  /** Windows loaded from segments that are no longer current (a commit replaced them: a merge, an erasure). */
  stale(current: ReadonlySet<string>): LoadedWindow[] {
    return [...this.entries.values()].filter((w) => w.segmentIds.some((id) => !current.has(id)));
  }

  close(): void {
    this.budget.leave(this);
  }
}
