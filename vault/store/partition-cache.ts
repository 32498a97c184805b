// Which partitions are loaded, in least-recently-used order, and what they cost. The engine
// asks it for victims when the estimated bytes of everything on the budget (these partitions and
// the research index's windows) exceed it; partitions the running query needs are pinned and never chosen.
import type { LoadedPartition } from './loaded-partition.ts';
import { MemoryBudget } from './memory-budget.ts';

export class PartitionCache {
  /** in insertion order; recency is a use stamp, so a hit writes a number instead of re-inserting a map entry */
  private readonly entries = new Map<string, LoadedPartition>();
  private readonly lastUsed = new Map<LoadedPartition, number>();
  private clock = 0;
  private totalBytes = 0;
  readonly budget: MemoryBudget;

  constructor(budget: number | MemoryBudget) {
    this.budget = typeof budget === 'number' ? new MemoryBudget(budget) : budget;
    this.budget.join(this);
  }

  get budgetBytes(): number {
    return this.budget.limitBytes;
  }

  get bytes(): number {
    return this.totalBytes;
  }
  get size(): number {
    return this.entries.size;
  }
  get rows(): number {
    let rows = 0;
    for (const p of this.entries.values()) rows += p.data.rows;
    return rows;
  }

  /** The loaded partition, marked most recently used. */
  touch(partitionId: string): LoadedPartition | undefined {
    const entry = this.entries.get(partitionId);
    if (entry) this.lastUsed.set(entry, ++this.clock);
    return entry;
  }

  add(partition: LoadedPartition): void {
    this.entries.set(partition.ref.partitionId, partition);
    this.lastUsed.set(partition, ++this.clock);
    this.totalBytes += partition.bytes;
  }

  remove(partitionId: string): LoadedPartition | undefined {
    const entry = this.entries.get(partitionId);
    if (!entry) return undefined;
    this.entries.delete(partitionId);
    this.lastUsed.delete(entry);
    this.totalBytes -= entry.bytes;
    return entry;
  }

  /** Least recently used first, skipping pinned ones, until the rest fits the budget. */
  victims(pinned: ReadonlySet<string>): LoadedPartition[] {
    const out: LoadedPartition[] = [];
    let bytes = this.budget.heldBytes;
    if (bytes <= this.budgetBytes) return out;
    // the usual case, one load over budget: the single oldest unpinned entry, found in one pass
    const oldest = this.oldestUnpinned(pinned);
    if (oldest && bytes - oldest.bytes <= this.budgetBytes) return [oldest];
    const byAge = [...this.entries.values()].sort((a, b) => (this.lastUsed.get(a) ?? 0) - (this.lastUsed.get(b) ?? 0));
    for (const entry of byAge) {
      if (bytes <= this.budgetBytes) break;
      if (pinned.has(entry.ref.partitionId)) continue;
      out.push(entry);
      bytes -= entry.bytes;
    }
    return out;
  }

  private oldestUnpinned(pinned: ReadonlySet<string>): LoadedPartition | null {
    let oldest: LoadedPartition | null = null;
    let stamp = Infinity;
    for (const entry of this.entries.values()) {
      const used = this.lastUsed.get(entry) ?? 0;
      if (used < stamp && !pinned.has(entry.ref.partitionId)) {
        oldest = entry;
        stamp = used;
      }
    }
    return oldest;
  }

  all(): LoadedPartition[] {
    return [...this.entries.values()];
  }

  ofSample(sampleId: string): LoadedPartition[] {
    return [...this.entries.values()].filter((p) => p.ref.sampleId === sampleId);
  }

  onChromosome(chrom: string): LoadedPartition[] {
    return [...this.entries.values()].filter((p) => p.ref.chrom === chrom);
  }
}
