// One memory budget for everything the engine keeps loaded: the per-sample partitions (partition-
// cache.ts) and the research index's windows (research-index/window-cache.ts) count against the
// same limit. Each cache evicts only its own entries, least recently used first, until the sum of
// all holders fits again (or only entries the running query needs are left).

export interface BudgetHolder {
  /** estimated bytes the holder keeps loaded */
  readonly bytes: number;
}

export class MemoryBudget {
  private readonly holders = new Set<BudgetHolder>();

  constructor(readonly limitBytes: number) {
    if (!Number.isFinite(limitBytes) || limitBytes <= 0) throw new RangeError('cache budget must be a positive number of bytes');
  }

  join(holder: BudgetHolder): void {
    this.holders.add(holder);
  }

  leave(holder: BudgetHolder): void {
    this.holders.delete(holder);
  }

  get heldBytes(): number {
    let bytes = 0;
    for (const h of this.holders) bytes += h.bytes;
    return bytes;
  }
}
