// The research index's query engine: windows loaded on demand (decrypted, decoded, three tables of
// numbers each), kept LRU under the engine's memory budget, and parameterised SQL over them with the
// allowed samples (the consented cohort, decided per query by the caller) as a table joined in (a
// count's carriers instead: the window's calls scanned in JS, window-scan.ts, with a mask over
// sample numbers). A
// region is read window by window and each window's answer is final (a variant lives in the window
// of its position), so cached windows hold at most their share of the budget (window-cache.ts)
// plus the one in use, whatever the region.
import { INTEGER, UTINYINT, type DuckDBConnection } from '@duckdb/node-api';
import { loadColumns } from '../chunk-loader.ts';
import { TextDictionary } from '../text-dictionary.ts';
import type { MemoryBudget } from '../memory-budget.ts';
import type { CatalogData } from '../catalog.ts';
import { indexView, type IndexCatalog, type IndexSegment } from './index-catalog.ts';
import { readCallsSegment, readCoverageSegment, type SegmentKeys } from './segment-store.ts';
import { attachWindowCatalog, loadWindow, unloadWindow, windowKey, type LoadedWindow } from './window-tables.ts';
import { WindowCache } from './window-cache.ts';
import { scanCarriers } from './window-scan.ts';
import { aggregateSql, carriersSql, coveringSql, notCoveringSql, recordsSql, type SqlFilters } from './index-sql.ts';

/** The vault as the index engine reads it: its current catalog and the keys that open segments. */
export interface IndexSource extends SegmentKeys {
  readonly catalog: { readonly data: CatalogData };
}

export interface WindowQuery {
  build: string;
  chrom: string;
  /** REF must overlap [start, end] (1-based, inclusive), as tabix decides */
  start: number;
  end: number;
  /** only this allele */
  variant?: { pos: number; ref: string; alt: string } | undefined;
  /** zygosity codes (call-columns.ts) a call must have to count */
  zygosity?: readonly number[] | undefined;
  /** ClinVar significance bits a call must share (significance-mask.ts) */
  significance?: number | undefined;
}

/** The samples a query may see: sample numbers (ascending), and which of them count as whole genomes. */
export interface AllowedSamples {
  numbers: Int32Array;
  wholeGenome: Uint8Array;
  /** the index the numbers were read from: a query refuses to run on another (a rebuild renumbers samples) */
  from?: IndexCatalog | undefined;
}

/** The index changed between reading the allowed samples' numbers and the query's turn: read them again. */
export class IndexChangedError extends Error {
  constructor() {
    super('the research index changed while the query waited');
    this.name = 'IndexChangedError';
  }
}

export interface IndexVariantRow {
  pos: number;
  ref: string;
  alt: string;
  /** copies: hom_alt counts 2, every other zygosity 1 */
  alleleCount: number;
  carriers: number;
  het: number;
  homAlt: number;
  hemizygous: number;
  missing: number;
  /** allowed samples that are not whole genomes and whose assay covered the position (or who carry this allele) */
  coveringProfiled: number;
  /** carrier sample numbers, and those whose counted call is hom_alt, when asked for (unordered; a sample twice when a file repeats its call) */
  samples?: number[];
  homAltSamples?: number[];
  /** allowed samples not covering the position (see notCoveringSql), when asked for */
  notCovering?: number[];
}

export interface IndexRecordRow {
  pos: number;
  ref: string;
  alt: string;
  sample: number;
  zygosity: number;
  genotype: string;
}

export interface IndexEngineStats {
  windowsLoaded: number;
  cacheHits: number;
  cachedWindows: number;
  cachedRows: number;
  cachedBytes: number;
}

export class IndexEngine {
  private readonly dictionary = new TextDictionary();
  private readonly cache: WindowCache;
  private queue: Promise<unknown> = Promise.resolve();
  private nextHandle = 0;
  private seenIndex: IndexCatalog | undefined;
  private allowedTable: { name: string; numbers: Int32Array; wholeGenome: Uint8Array } | null = null;
  private counters = { windowsLoaded: 0, cacheHits: 0 };
  private closed = false;
  private attached = false;

  constructor(
    private readonly source: IndexSource,
    private readonly connection: DuckDBConnection,
    budget: MemoryBudget,
  ) {
    this.cache = new WindowCache(budget);
  }

  get index(): IndexCatalog | undefined {
    return this.source.catalog.data.index;
  }

  /** Per allele whose REF overlaps the region: counts over the allowed samples, and who covered it. */
  aggregate(q: WindowQuery, allowed: AllowedSamples, options: { samples?: boolean; notCovering?: boolean } = {}): Promise<{ variants: IndexVariantRow[]; coveringRegion: Set<number> }> {
    return this.windows(q, allowed, async (w, table, filters) => {
      const agg = aggregateSql(w, table, filters, options.samples ?? false);
      const rows = (await this.connection.runAndReadAll(agg.sql, agg.values, agg.types)).getRowsJS();
      const cov = coveringSql(w, table, filters);
      const covering = (await this.connection.runAndReadAll(cov.sql, cov.values, cov.types)).getColumnsJS()[0] ?? [];
      const uncovered = new Map<number, number[]>();
      if (options.notCovering) {
        const nc = notCoveringSql(w, table, filters);
        for (const [pos, sample] of (await this.connection.runAndReadAll(nc.sql, nc.values, nc.types)).getRowsJS()) {
          const list = uncovered.get(Number(pos)) ?? [];
          if (list.length === 0) uncovered.set(Number(pos), list);
          list.push(Number(sample));
        }
      }
      return {
        variants: rows.map(([pos, ref, alt, copies, carriers, het, homAlt, hemizygous, missing, profiled, samples, homSamples]) => {
          const row: IndexVariantRow = {
            pos: Number(pos), ref: this.dictionary.value(Number(ref)), alt: this.dictionary.value(Number(alt)), alleleCount: Number(copies), carriers: Number(carriers),
            het: Number(het), homAlt: Number(homAlt), hemizygous: Number(hemizygous), missing: Number(missing), coveringProfiled: Number(profiled),
          };
          if (options.samples) {
            row.samples = (samples as number[]).map(Number);
            row.homAltSamples = ((homSamples as number[] | null) ?? []).map(Number);
          }
          if (options.notCovering) row.notCovering = uncovered.get(row.pos) ?? [];
          return row;
        }),
        covering: covering.map(Number),
      };
    }).then((parts) => ({ variants: parts.flatMap((p) => p.variants), coveringRegion: new Set(parts.flatMap((p) => p.covering)) }));
  }

  /** Allowed samples with a matching call (the count level), and who covered the region. */
  carriers(q: WindowQuery, allowed: AllowedSamples): Promise<{ carriers: Set<number>; coveringRegion: Set<number> }> {
    return this.windows(q, allowed, async (w, table, filters) => {
      const c = carriersSql(w, table, filters);
      const [samples = [], kinds = []] = (await this.connection.runAndReadAll(c.sql, c.values, c.types)).getColumnsJS();
      const carriers: number[] = [];
      const covering: number[] = [];
      samples.forEach((n, i) => (Number(kinds[i]) === 1 ? carriers : covering).push(Number(n)));
      return { carriers, covering };
    }).then((parts) => ({ carriers: new Set(parts.flatMap((p) => p.carriers)), coveringRegion: new Set(parts.flatMap((p) => p.covering)) }));
  }

  /**
   * Allowed samples with a matching call, without who covered the region: each window's columns
   * scanned over the locus's rows, a sample kept where the allowed samples' mask says
   * (window-scan.ts). Each sample once, in no set order.
   */
  async carrierSamples(q: WindowQuery, allowed: AllowedSamples): Promise<Int32Array> {
    const mask = allowedMask(allowed);
    const seen = new Uint8Array(mask.length);
    const found: number[] = [];
    await this.windows(q, allowed, (w, _table, filters) => {
      scanCarriers(w.columns, filters, mask, seen, (n) => found.push(n));
      return Promise.resolve();
    }, { allowedTable: false });
    return Int32Array.from(found);
  }

  /** Every allowed sample's call of each matching allele. */
  records(q: WindowQuery, allowed: AllowedSamples): Promise<IndexRecordRow[]> {
    return this.windows(q, allowed, async (w, table, filters) => {
      const r = recordsSql(w, table, filters);
      const rows = (await this.connection.runAndReadAll(r.sql, r.values, r.types)).getRowsJS();
      return rows.map(([pos, ref, alt, sample, zygosity, gt]) => ({
        pos: Number(pos), ref: this.dictionary.value(Number(ref)), alt: this.dictionary.value(Number(alt)), sample: Number(sample), zygosity: Number(zygosity), genotype: this.dictionary.value(Number(gt)),
      }));
    }).then((parts) => parts.flat());
  }

  /**
   * Runs `work` on each window the region needs, one at a time, with the allowed samples loaded
   * (`allowedTable: false`: the work keeps the allowed samples itself, so no table of them is loaded).
   */
  private windows<T>(q: WindowQuery, allowed: AllowedSamples, work: (w: LoadedWindow, allowedTable: string, filters: SqlFilters) => Promise<T>, options: { allowedTable: boolean } = { allowedTable: true }): Promise<T[]> {
    return this.exclusive(async () => {
      const index = this.index;
      if (!index) throw new Error('this vault keeps no research index');
      if (allowed.from !== undefined && allowed.from !== index) throw new IndexChangedError();
      await this.dropStale(index);
      const needed = indexView(index).windowsFor(q.build, q.chrom, q.start, q.end);
      if (needed.length === 0 || allowed.numbers.length === 0) return [];
      if (!this.attached) {
        await attachWindowCatalog(this.connection);
        this.attached = true;
      }
      const table = options.allowedTable ? await this.allowed(allowed) : '';
      const out: T[] = [];
      for (const { segments } of needed) {
        const window = await this.window(segments);
        try {
          out.push(await work(window, table, this.filters(q)));
        } finally {
          await this.evict(this.cache.victims(window.key));
        }
      }
      return out;
    });
  }

  /** The query's bounds and filters as SQL parameters, alleles as codes (-1, which no row holds, for text no loaded window has: coverage still counts). */
  private filters(q: WindowQuery): SqlFilters {
    const f: SqlFilters = { start: q.start, end: q.end };
    if (q.variant) f.variant = { pos: q.variant.pos, ref: this.dictionary.code(q.variant.ref) ?? -1, alt: this.dictionary.code(q.variant.alt) ?? -1 };
    if (q.zygosity) f.zygosity = [...q.zygosity];
    if (q.significance !== undefined) f.significance = q.significance;
    return f;
  }

  private async window(segments: readonly IndexSegment[]): Promise<LoadedWindow> {
    const key = windowKey(segments);
    const hit = this.cache.touch(key);
    if (hit) {
      this.counters.cacheHits++;
      return hit;
    }
    const calls = await Promise.all(segments.filter((s) => s.kind === 'calls').map((s) => readCallsSegment(this.source, s)));
    const coverage = await Promise.all(segments.filter((s) => s.kind === 'coverage').map((s) => readCoverageSegment(this.source, s)));
    const loaded = await loadWindow(this.connection, this.dictionary, this.nextHandle++, segments, calls, coverage);
    this.counters.windowsLoaded++;
    this.cache.add(loaded);
    return loaded;
  }

  /** The allowed samples as a table; the last set is kept, since a project asks many questions of one cohort. */
  private async allowed(allowed: AllowedSamples): Promise<string> {
    const kept = this.allowedTable;
    if (kept && sameArray(kept.numbers, allowed.numbers) && sameArray(kept.wholeGenome, allowed.wholeGenome)) return kept.name;
    if (kept) await this.connection.run(`DROP TABLE IF EXISTS ${kept.name}`);
    this.allowedTable = null;
    const name = `ixa${this.nextHandle++}`;
    await this.connection.run(`CREATE TABLE ${name} (sample INTEGER NOT NULL, wgs UTINYINT NOT NULL)`);
    await loadColumns(this.connection, name, [{ type: INTEGER, values: allowed.numbers }, { type: UTINYINT, values: allowed.wholeGenome }], allowed.numbers.length);
    this.allowedTable = { name, numbers: allowed.numbers.slice(), wholeGenome: allowed.wholeGenome.slice() };
    return name;
  }

  /** Drops windows whose segments a commit replaced (a merge, or an erasure: its rows leave memory at once). */
  dropReplaced(index: IndexCatalog | undefined): Promise<void> {
    return this.exclusive(() => this.dropStale(index ?? { format: 1, windowWidth: 1, samples: [], segments: [] }));
  }

  private async dropStale(index: IndexCatalog): Promise<void> {
    if (this.seenIndex === index) return;
    this.seenIndex = index;
    const current = new Set(index.segments.map((s) => s.id));
    await this.evict(this.cache.stale(current));
  }

  private async evict(victims: readonly LoadedWindow[]): Promise<void> {
    for (const w of victims) {
      this.cache.remove(w.key);
      await unloadWindow(this.connection, this.dictionary, w);
    }
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('index engine is closed'));
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  stats(): IndexEngineStats {
    return { ...this.counters, cachedWindows: this.cache.size, cachedRows: this.cache.rows, cachedBytes: this.cache.bytes };
  }

  /** Forgets every loaded window (a cold start for benchmarks), keeping the connection. */
  forgetLoaded(): Promise<void> {
    return this.exclusive(() => this.evict(this.cache.stale(new Set())));
  }

  async close(): Promise<void> {
    await this.exclusive(async () => {
      this.closed = true;
      await this.evict(this.cache.stale(new Set()));
      this.cache.close();
      this.connection.closeSync();
    });
  }
}

function sameArray(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Per allowed set, a byte per sample number: 1 where allowed (made once per set; a project asks many questions of one). */
const masks = new WeakMap<AllowedSamples, Uint8Array>();

function allowedMask(allowed: AllowedSamples): Uint8Array {
  let mask = masks.get(allowed);
  if (mask) return mask;
  mask = new Uint8Array(allowed.numbers.length > 0 ? allowed.numbers[allowed.numbers.length - 1]! + 1 : 0);
  for (const n of allowed.numbers) mask[n] = 1;
  masks.set(allowed, mask);
  return mask;
}
