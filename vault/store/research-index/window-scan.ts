// A loaded window's calls kept as typed columns beside its DuckDB tables, for the count level: which
// samples have a call passing the filters. Each segment's rows are sorted by position, so a locus
// reads only its rows (two binary searches per segment), and a sample is kept by a lookup in the
// allowed samples' mask. Measured over BRCA1's 238,629 calls at 10,000 samples: DuckDB's
// `SELECT DISTINCT sample` with the same conditions takes about 1.4 ms warm, most of it the
// statement's fixed cost and the hash aggregate; this scan a fraction of that (bench "research-gateway").
// The conditions are those of index-sql.ts's overlapWhere and callFilter, checked against them
// by a property test.
import type { SqlFilters } from './index-sql.ts';

export interface CallColumns {
  pos: Int32Array;
  /** the last base the REF covers */
  stop: Int32Array;
  ref: Int32Array;
  alt: Int32Array;
  sample: Int32Array;
  zygosity: Uint8Array;
  sig: Int32Array;
  /** each segment's rows [start, end), sorted by position when `sorted` */
  segments: { start: number; end: number; sorted: boolean; longestRef: number }[];
}

export function columnBytes(c: CallColumns): number {
  return c.pos.byteLength + c.stop.byteLength + c.ref.byteLength + c.alt.byteLength + c.sample.byteLength + c.zygosity.byteLength + c.sig.byteLength;
}

/** The segment's bounds: sorted by position (checked, not assumed) and the longest REF's span. */
export function segmentBounds(pos: Int32Array, stop: Int32Array, start: number, end: number): CallColumns['segments'][number] {
  let sorted = true;
  let longestRef = 1;
  for (let i = start; i < end; i++) {
    if (i > start && pos[i]! < pos[i - 1]!) sorted = false;
    longestRef = Math.max(longestRef, stop[i]! - pos[i]! + 1);
  }
  return { start, end, sorted, longestRef };
}

/** The first row in [from, to) whose position is at least `value` (rows sorted by position). */
function firstAtLeast(pos: Int32Array, from: number, to: number, value: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pos[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Calls `found(sample)` once per sample with a call passing the filters whose `mask` entry is 1 and
 * `seen` entry 0 (then set to 1): the samples SQL's `SELECT DISTINCT sample ... WHERE overlap AND
 * filters` would name, kept by the mask.
 */
export function scanCarriers(c: CallColumns, f: SqlFilters, mask: Uint8Array, seen: Uint8Array, found: (sample: number) => void): void {
  const zygosity = f.zygosity ? new Uint8Array(256) : null;
  if (zygosity) for (const z of f.zygosity!) if (z >= 0 && z < 256) zygosity[z] = 1;
  const significance = f.significance;
  const variant = f.variant;
  for (const seg of c.segments) {
    let from = seg.start;
    let to = seg.end;
    if (seg.sorted) {
      // a call overlapping [start, end] starts at most longestRef - 1 before start; an allele's calls sit at its position
      from = firstAtLeast(c.pos, seg.start, seg.end, variant ? variant.pos : f.start - (seg.longestRef - 1));
      to = firstAtLeast(c.pos, from, seg.end, (variant ? variant.pos : f.end) + 1);
    }
    for (let i = from; i < to; i++) {
      const s = c.sample[i]!;
      if (mask[s] !== 1 || seen[s] === 1) continue;
      if (c.pos[i]! > f.end || c.stop[i]! < f.start) continue;
      if (variant && (c.pos[i] !== variant.pos || c.ref[i] !== variant.ref || c.alt[i] !== variant.alt)) continue;
      if (zygosity && zygosity[c.zygosity[i]!] !== 1) continue;
      if (significance !== undefined && (c.sig[i]! & significance) === 0) continue;
      seen[s] = 1;
      found(s);
    }
  }
}
