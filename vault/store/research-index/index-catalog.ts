// What the catalog records of the research index: the window width, each indexed sample's number
// (numbers are never reused: an erased sample leaves a hole), and every sealed segment with the
// window it belongs to and where its bytes are. A window is the span [w * width + 1, (w + 1) * width]
// of one chromosome of one build; its rows are spread over a few segments (one per ingest until
// they are merged, see merge-plan.ts), each holding either calls or coverage, never both.

export interface IndexSegment {
  /** object id in the sealed header; never reused, so an older segment cannot stand in for a newer one */
  id: string;
  /** the key it is sealed with: one per index write (ingest, merge, erasure), shared by that write's pack files */
  keyId: string;
  file: string;
  offset: number;
  length: number;
  build: string;
  chrom: string;
  window: number;
  kind: 'calls' | 'coverage';
  rows: number;
  /** calls: the last position any row's REF reaches (pos + len(REF) - 1), so a region query knows which earlier windows reach into it */
  maxStop: number;
  /** sample numbers the segment may hold, as inclusive [first, last] ranges (a superset: erasure uses it to find segments to rewrite) */
  samples: [number, number][];
  /**
   * added to the sample numbers stored in the segment: an ingest numbers its samples from the index
   * it began on, and moves them past those another change committed meanwhile without rewriting
   * its segments (index-change.ts); absent means 0
   */
  sampleShift?: number;
}

export interface IndexCatalog {
  format: 1;
  /** bases per window; fixed for the life of an index (a rebuild may choose another) */
  windowWidth: number;
  /** sample number → sample id; null once the sample is erased */
  samples: (string | null)[];
  segments: IndexSegment[];
}

/** Chosen by measurement (docs/performance.md, "The cohort index"): 1 Mb. */
export const DEFAULT_WINDOW_WIDTH = 1_000_000;

export function emptyIndex(windowWidth = DEFAULT_WINDOW_WIDTH): IndexCatalog {
  if (!Number.isSafeInteger(windowWidth) || windowWidth < 1) throw new RangeError('window width must be a positive whole number of bases');
  return { format: 1, windowWidth, samples: [], segments: [] };
}

export function windowOf(pos: number, width: number): number {
  return Math.floor((pos - 1) / width);
}

/** First and last position of window `w` (1-based, inclusive). */
export function windowSpan(w: number, width: number): { start: number; end: number } {
  return { start: w * width + 1, end: (w + 1) * width };
}

/** Sample numbers (non-negative) as sorted, merged inclusive ranges. */
export function rangesOf(numbers: ArrayLike<number>): [number, number][] {
  let max = -1;
  for (let i = 0; i < numbers.length; i++) if (numbers[i]! > max) max = numbers[i]!;
  // a bitmap over the numbers: a window's calls name millions of rows but only thousands of samples
  const seen = new Uint8Array(max + 1);
  for (let i = 0; i < numbers.length; i++) if (numbers[i]! >= 0) seen[numbers[i]!] = 1;
  const out: [number, number][] = [];
  for (let n = 0; n <= max; n++) {
    if (!seen[n]) continue;
    const last = out[out.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else out.push([n, n]);
  }
  return out;
}

export function unionRanges(lists: readonly (readonly [number, number][])[]): [number, number][] {
  const all = lists.flatMap((l) => l.map(([a, b]) => [a, b] as [number, number])).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of all) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

export function rangesHold(ranges: readonly [number, number][], n: number): boolean {
  return ranges.some(([a, b]) => a <= n && n <= b);
}

/** The segments of one chromosome, grouped by window, in window order. */
export interface ChromosomeSegments {
  windows: Map<number, IndexSegment[]>;
  /** window numbers in ascending order */
  order: number[];
}

/**
 * Read-only lookups over one committed index (never changed in place): segments by build and
 * chromosome, sample numbers by id. Built once per catalog version.
 */
export class IndexView {
  private readonly byChrom = new Map<string, ChromosomeSegments>();
  private readonly numbers = new Map<string, number>();

  constructor(readonly data: IndexCatalog) {
    for (const s of data.segments) {
      const key = `${s.build}\t${s.chrom}`;
      let chrom = this.byChrom.get(key);
      if (!chrom) this.byChrom.set(key, (chrom = { windows: new Map(), order: [] }));
      let list = chrom.windows.get(s.window);
      if (!list) {
        chrom.windows.set(s.window, (list = []));
        chrom.order.push(s.window);
      }
      list.push(s);
    }
    for (const chrom of this.byChrom.values()) chrom.order.sort((a, b) => a - b);
    data.samples.forEach((id, n) => {
      if (id !== null) this.numbers.set(id, n);
    });
  }

  numberOf(sampleId: string): number | undefined {
    return this.numbers.get(sampleId);
  }

  sampleAt(n: number): string | null {
    return this.data.samples[n] ?? null;
  }

  /**
   * The windows a query over [start, end] must read: those starting at or before `end` whose
   * calls reach `start` (a deletion starting in an earlier window may overlap it), in order.
   */
  windowsFor(build: string, chrom: string, start: number, end: number): { window: number; segments: IndexSegment[] }[] {
    const found = this.byChrom.get(`${build}\t${chrom}`);
    if (!found) return [];
    const width = this.data.windowWidth;
    const out: { window: number; segments: IndexSegment[] }[] = [];
    for (const w of found.order) {
      const span = windowSpan(w, width);
      if (span.start > end) break;
      const segments = found.windows.get(w) ?? [];
      const reaches = span.end >= start || segments.some((s) => s.kind === 'calls' && s.maxStop >= start);
      if (reaches) out.push({ window: w, segments });
    }
    return out;
  }
}

const views = new WeakMap<IndexCatalog, IndexView>();

export function indexView(data: IndexCatalog): IndexView {
  let view = views.get(data);
  if (!view) views.set(data, (view = new IndexView(data)));
  return view;
}
