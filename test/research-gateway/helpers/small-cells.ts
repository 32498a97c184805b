// Checks an answer (cohort or Beacon, JSON) for any count below the threshold, shown or derivable
// from the cells shown: reference alleles AN-AC, non-carriers AN/2-carriers, homozygous carriers
// AC-carriers, heterozygous carriers 2xcarriers-AC; condition codes and variants shared by fewer
// records than the threshold. Returns how many numbers it checked (a test can see it had work).
import assert from 'node:assert/strict';

interface Row {
  alleleCount: number;
  alleleNumber: number;
  carriers: number | null;
}

export function assertNoSmallCells(answer: unknown, k: number): number {
  const a = answer as Record<string, unknown>;
  let checked = 0;
  const atLeast = (value: number, what: string) => {
    assert.ok(value >= k, `${what} = ${value} is below the threshold ${k}`);
    checked++;
  };
  if ('responseSummary' in a) {
    const summary = a.responseSummary as { exists: boolean; numTotalResults?: number };
    if (summary.numTotalResults !== undefined) {
      assert.equal(summary.exists, summary.numTotalResults > 0, 'exists agrees with the count');
      if (summary.numTotalResults !== 0) atLeast(summary.numTotalResults, 'numTotalResults');
    }
    return checked;
  }
  if ('count' in a) {
    if (typeof a.count === 'number') atLeast(a.count, 'count');
    else assert.equal(a.count, `<${k}`);
  }
  for (const row of (a.variants as Row[] | undefined) ?? []) {
    atLeast(row.alleleCount, 'AC');
    atLeast(row.alleleNumber - row.alleleCount, 'AN-AC');
    if (row.carriers !== null) {
      atLeast(row.carriers, 'carriers');
      atLeast(row.alleleCount - row.carriers, 'AC-carriers (homozygous)');
      atLeast(2 * row.carriers - row.alleleCount, '2xcarriers-AC (heterozygous)');
      atLeast(row.alleleNumber / 2 - row.carriers, 'AN/2-carriers (non-carriers)');
    }
  }
  const records = (a.records as { conditions: string[]; variants: { chrom: string; pos: number; ref: string; alt: string }[] }[] | undefined) ?? [];
  if (records.length > 0) {
    atLeast(records.length, 'records');
    const holders = new Map<string, number>();
    for (const r of records) {
      for (const key of new Set([...r.conditions.map((c) => `condition ${c}`), ...r.variants.map((v) => `variant ${v.chrom}:${v.pos}:${v.ref}:${v.alt}`)])) holders.set(key, (holders.get(key) ?? 0) + 1);
    }
    for (const [key, n] of holders) atLeast(n, `records sharing ${key}`);
  }
  return checked;
}

/** An answer whose true count is below the threshold: "<k", no records, and for Beacon the answer an absent allele gets. */
export function assertShownAsSmall(answer: unknown, k: number): void {
  const a = answer as Record<string, unknown>;
  if ('responseSummary' in a) {
    const summary = a.responseSummary as { exists: boolean; numTotalResults?: number };
    assert.equal(summary.exists, false);
    if (summary.numTotalResults !== undefined) assert.equal(summary.numTotalResults, 0);
    return;
  }
  if ('count' in a) assert.equal(a.count, `<${k}`);
  if ('records' in a) assert.deepEqual(a.records, []);
}
