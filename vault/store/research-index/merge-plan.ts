// When a window's segments are merged. Each ingest adds one segment per window it touches; left
// alone, a vault fed one exome at a time would make a query read thousands of segments per window,
// while merging everything at every ingest would rewrite the whole index each time. Size tiers (as
// log-structured stores do): segments whose row counts share a tier (powers of FANOUT) are merged
// once FANOUT of them gather, so each row is rewritten about log_FANOUT(total) times over the index's
// life and a window holds fewer than FANOUT segments per tier.

export const FANOUT = 4;

function tierOf(rows: number): number {
  let tier = 0;
  for (let n = Math.max(rows, 1); n >= FANOUT; n = Math.floor(n / FANOUT)) tier++;
  return tier;
}

/**
 * Which segments (indices into `rows`) to merge into one, each group once: a merge of one tier may
 * complete a group of the next, and such cascades are folded into a single merge.
 */
export function planMerges(rows: readonly number[]): number[][] {
  // each live segment: the original segments it is made of, and its rows
  let live = rows.map((r, i) => ({ members: [i], rows: r }));
  for (;;) {
    const byTier = new Map<number, typeof live>();
    for (const s of live) {
      const tier = tierOf(s.rows);
      const list = byTier.get(tier) ?? [];
      list.push(s);
      byTier.set(tier, list);
    }
    const full = [...byTier.entries()].filter(([, list]) => list.length >= FANOUT).sort(([a], [b]) => a - b)[0];
    if (!full) return live.filter((s) => s.members.length > 1).map((s) => s.members);
    const merged = full[1];
    const members = merged.flatMap((s) => s.members).sort((a, b) => a - b);
    live = [...live.filter((s) => !merged.includes(s)), { members, rows: merged.reduce((n, s) => n + s.rows, 0) }];
  }
}
