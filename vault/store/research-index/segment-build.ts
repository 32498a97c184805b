// Building calls segments: rows of one chromosome (each naming a variant by id) sorted by variant
// (position, then REF and ALT as text) and sample, cut at window boundaries, each window's alleles
// and genotypes re-coded into its own short lists. Used by ingest (the variants are a batch's allele
// table rows), by merges and by erasure (the variants are the distinct rows of existing segments).
import type { CallsSegment } from './segment-codec.ts';
import { windowOf } from './index-catalog.ts';

/** Variants by id: position, REF, ALT and ClinVar significance bits. */
export interface VariantTable {
  pos: Int32Array;
  ref: readonly string[];
  alt: readonly string[];
  significance: Int32Array;
}

/** Calls naming variants by id; rows with sample < 0 are skipped. */
export interface CallRows {
  variant: Int32Array;
  sample: Int32Array;
  zygosity: Uint8Array;
  gt: Int32Array;
  genotypes: readonly string[];
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Each variant's rank in (position, REF, ALT) order; equal text gives equal rank. */
function variantRanks(v: VariantTable, used: Uint8Array): Int32Array {
  const ids: number[] = [];
  for (let i = 0; i < used.length; i++) if (used[i]) ids.push(i);
  ids.sort((a, b) => v.pos[a]! - v.pos[b]! || compareText(v.ref[a]!, v.ref[b]!) || compareText(v.alt[a]!, v.alt[b]!));
  const rank = new Int32Array(used.length).fill(-1);
  let r = -1;
  ids.forEach((id, i) => {
    const prev = ids[i - 1];
    if (prev === undefined || v.pos[prev] !== v.pos[id] || v.ref[prev] !== v.ref[id] || v.alt[prev] !== v.alt[id]) r++;
    rank[id] = r;
  });
  return rank;
}

/** Stable counting sort of `order` by `key(row)` in [0, range). */
function countingSort(order: Uint32Array, key: (row: number) => number, range: number): Uint32Array {
  const counts = new Int32Array(range + 1);
  for (let i = 0; i < order.length; i++) counts[key(order[i]!) + 1]!++;
  for (let k = 0; k < range; k++) counts[k + 1]! += counts[k]!;
  const out = new Uint32Array(order.length);
  for (let i = 0; i < order.length; i++) out[counts[key(order[i]!)]!++] = order[i]!;
  return out;
}

/** Row order by (variant rank, sample): two stable counting sorts, least significant first. */
function sortRows(calls: CallRows, rank: Int32Array, variants: number): Uint32Array {
  const kept: number[] = [];
  let maxSample = 0;
  for (let i = 0; i < calls.sample.length; i++) {
    const s = calls.sample[i]!;
    if (s < 0) continue;
    kept.push(i);
    if (s > maxSample) maxSample = s;
  }
  let order: Uint32Array = Uint32Array.from(kept);
  order = countingSort(order, (row) => calls.sample[row]!, maxSample + 1);
  return countingSort(order, (row) => rank[calls.variant[row]!]!, variants);
}

/** The calls as one segment per window they fall in, in window order. */
export function buildCallsSegments(place: { build: string; chrom: string }, width: number, variants: VariantTable, calls: CallRows): CallsSegment[] {
  const used = new Uint8Array(variants.pos.length);
  for (let i = 0; i < calls.variant.length; i++) if (calls.sample[i]! >= 0) used[calls.variant[i]!] = 1;
  const rank = variantRanks(variants, used);
  let distinct = 0;
  for (const r of rank) if (r + 1 > distinct) distinct = r + 1;
  const order = sortRows(calls, rank, distinct);
  const segments: CallsSegment[] = [];
  let from = 0;
  while (from < order.length) {
    const window = windowOf(variants.pos[calls.variant[order[from]!]!]!, width);
    let to = from;
    while (to < order.length && windowOf(variants.pos[calls.variant[order[to]!]!]!, width) === window) to++;
    segments.push(segmentOf(place, window, variants, calls, order.subarray(from, to)));
    from = to;
  }
  return segments;
}

function segmentOf(place: { build: string; chrom: string }, window: number, variants: VariantTable, calls: CallRows, rows: Uint32Array): CallsSegment {
  const n = rows.length;
  const alleles = new Coder();
  const genotypes = new Coder();
  const s: CallsSegment = {
    ...place, window, rows: n, alleles: alleles.values, genotypes: genotypes.values,
    pos: new Int32Array(n), ref: new Int32Array(n), alt: new Int32Array(n), sample: new Int32Array(n), zygosity: new Uint8Array(n), gt: new Int32Array(n), significance: new Int32Array(n),
  };
  // rows come grouped by variant, and a batch has few genotype strings: code each once
  const gtCodes = new Int32Array(calls.genotypes.length).fill(-1);
  let last = -1;
  let ref = 0;
  let alt = 0;
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    const v = calls.variant[row]!;
    if (v !== last) {
      last = v;
      ref = alleles.code(variants.ref[v]!);
      alt = alleles.code(variants.alt[v]!);
    }
    s.pos[i] = variants.pos[v]!;
    s.ref[i] = ref;
    s.alt[i] = alt;
    s.significance[i] = variants.significance[v]!;
    s.sample[i] = calls.sample[row]!;
    s.zygosity[i] = calls.zygosity[row]!;
    const g = calls.gt[row]!;
    let code = gtCodes[g] ?? -1;
    if (code < 0) gtCodes[g] = code = genotypes.code(calls.genotypes[g] ?? '');
    s.gt[i] = code;
  }
  return s;
}

class Coder {
  readonly values: string[] = [];
  private readonly codes = new Map<string, number>();

  code(value: string): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.codes.set(value, code);
      this.values.push(value);
    }
    return code;
  }
}

/**
 * Several segments of one window as one, without the samples in `drop`: what a merge writes, and
 * what erasure leaves of a segment. Null when no row is left.
 */
export function mergeCallsSegments(segments: readonly CallsSegment[], drop: ReadonlySet<number> = new Set()): CallsSegment | null {
  const first = segments[0];
  if (!first) return null;
  const total = segments.reduce((n, s) => n + s.rows, 0);
  const pos: number[] = [];
  const ref: string[] = [];
  const alt: string[] = [];
  const significance: number[] = [];
  const genotypes = new Coder();
  const calls: CallRows = { variant: new Int32Array(total), sample: new Int32Array(total), zygosity: new Uint8Array(total), gt: new Int32Array(total), genotypes: genotypes.values };
  let at = 0;
  for (const s of segments) {
    if (s.build !== first.build || s.chrom !== first.chrom || s.window !== first.window) throw new Error('only segments of one window merge');
    for (let i = 0; i < s.rows; i++) {
      // a new variant id whenever the row's variant (or its significance) differs from the row before
      const same = i > 0 && s.pos[i] === s.pos[i - 1] && s.ref[i] === s.ref[i - 1] && s.alt[i] === s.alt[i - 1] && s.significance[i] === s.significance[i - 1];
      if (!same) {
        pos.push(s.pos[i]!);
        ref.push(s.alleles[s.ref[i]!]!);
        alt.push(s.alleles[s.alt[i]!]!);
        significance.push(s.significance[i]!);
      }
      calls.variant[at] = pos.length - 1;
      calls.sample[at] = drop.has(s.sample[i]!) ? -1 : s.sample[i]!;
      calls.zygosity[at] = s.zygosity[i]!;
      calls.gt[at] = genotypes.code(s.genotypes[s.gt[i]!]!);
      at++;
    }
  }
  const variants: VariantTable = { pos: Int32Array.from(pos), ref, alt, significance: Int32Array.from(significance) };
  const [merged, ...more] = buildCallsSegments(first, Number.MAX_SAFE_INTEGER, variants, calls);
  if (more.length > 0) throw new Error('a merge produced more than one window');
  return merged ? { ...merged, window: first.window } : null;
}
