// Human gene spans for GRCh37 and GRCh38 (Ensembl gene spans, HGNC symbols; data/PROVENANCE.md),
// loaded per build on first use from the compact index (gene-index-file.ts) and kept: symbol
// lookups by approved, previous or alias symbol, and the genes overlapping a range.
import { closestNames } from './closest-names.ts';
import { GENE_TABLE_BUILDS, GeneTableError, indexFile, readGzipText, type GenomeBuild } from './gene-index-file.ts';

export { GENE_TABLE_BUILDS, GeneTableError, type GenomeBuild } from './gene-index-file.ts';

export interface GeneSpan {
  /** HGNC approved symbol (Ensembl's name for the few genes HGNC does not list) */
  symbol: string;
  /** 'HGNC:1100', or null for a gene HGNC does not list */
  hgncId: string | null;
  build: GenomeBuild;
  /** chr1..chr22, chrX, chrY, chrM */
  chrom: string;
  /** 1-based, inclusive: the span of all the gene's Ensembl transcripts */
  start: number;
  end: number;
}

/** How a symbol was read: the gene it names, or why it names none. */
export type SymbolResolution =
  | { kind: 'approved' | 'previous' | 'alias'; gene: GeneSpan }
  | { kind: 'ambiguous'; via: 'previous' | 'alias'; genes: GeneSpan[] }
  | { kind: 'unknown'; suggestions: string[] };

/** Rows of one chromosome: contiguous in the index, ordered by start. */
interface ChromRows {
  from: number;
  to: number;
  /** the longest gene on the chromosome, so an overlap search knows how far back to look */
  longest: number;
}

/**
 * The index is kept as its text plus typed arrays of offsets and positions, read in one pass
 * without making a string per gene (that took ~20-50 ms here; this pass takes a few). Symbols
 * are cut from the text when a gene is returned; the symbol maps are built on the first lookup.
 */
export class GeneTable {
  private readonly rows: number;
  /** per row: where the line starts, and the offsets of its first, second, third and fifth tab */
  private readonly lineAt: Int32Array;
  private readonly tab1: Int32Array;
  private readonly tab2: Int32Array;
  private readonly tab3: Int32Array;
  private readonly tab5: Int32Array;
  private readonly lineEnd: Int32Array;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly byChrom = new Map<string, ChromRows>();
  private byApproved: Map<string, number> | null = null;
  private byOther: { previous: Map<string, number[]>; alias: Map<string, number[]> } | null = null;
  /** lookups made without the symbol map; a process that asks more often builds it */
  private lookups = 0;

  constructor(
    readonly build: GenomeBuild,
    private readonly text: string,
  ) {
    const capacity = countLines(text);
    this.lineAt = new Int32Array(capacity);
    this.tab1 = new Int32Array(capacity);
    this.tab2 = new Int32Array(capacity);
    this.tab3 = new Int32Array(capacity);
    this.tab5 = new Int32Array(capacity);
    this.lineEnd = new Int32Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.rows = this.scan();
  }

  /** Fills the arrays from the text; returns the number of rows. */
  private scan(): number {
    const text = this.text;
    const length = text.length;
    let row = 0;
    let at = text.indexOf('\n') + 1;
    let chrom = '';
    let chromFrom = 0;
    let longest = 0;
    while (at > 0 && at < length) {
      // native indexOf: this loop runs once per process, mostly before V8 has compiled it
      const t1 = text.indexOf('\t', at);
      const t2 = text.indexOf('\t', t1 + 1);
      const t3 = text.indexOf('\t', t2 + 1);
      const t4 = text.indexOf('\t', t3 + 1);
      const t5 = text.indexOf('\t', t4 + 1);
      const newline = text.indexOf('\n', at);
      if (t1 < 0 || t5 < 0 || (newline >= 0 && t5 > newline)) throw new GeneTableError(`gene index ${this.build}: a line has fewer than 7 columns`);
      const end = newline < 0 ? length : newline;
      const start = wholeNumber(text.slice(t3 + 1, t4));
      const stop = wholeNumber(text.slice(t4 + 1, t5));
      if (t1 === at || start < 1 || stop < start) throw new GeneTableError(`gene index ${this.build}: a line has an empty symbol or a bad span`);
      if (!text.startsWith(chrom, t2 + 1) || t3 - t2 - 1 !== chrom.length) {
        if (row > chromFrom) this.byChrom.set(chrom, { from: chromFrom, to: row, longest });
        chrom = text.slice(t2 + 1, t3);
        if (this.byChrom.has(chrom)) throw new GeneTableError(`gene index ${this.build}: ${chrom} is not contiguous`);
        chromFrom = row;
        longest = 0;
      } else if (start < this.starts[row - 1]!) {
        throw new GeneTableError(`gene index ${this.build}: ${chrom} is not ordered by start`);
      }
      this.lineAt[row] = at;
      this.tab1[row] = t1;
      this.tab2[row] = t2;
      this.tab3[row] = t3;
      this.tab5[row] = t5;
      this.lineEnd[row] = end;
      this.starts[row] = start;
      this.ends[row] = stop;
      longest = Math.max(longest, stop - start + 1);
      row++;
      at = end + 1;
    }
    if (row > chromFrom) this.byChrom.set(chrom, { from: chromFrom, to: row, longest });
    return row;
  }

  get size(): number {
    return this.rows;
  }

  private symbolOf(row: number): string {
    return this.text.slice(this.lineAt[row], this.tab1[row]);
  }

  private span(row: number): GeneSpan {
    const hgnc = this.text.slice(this.tab1[row]! + 1, this.tab2[row]);
    return {
      symbol: this.symbolOf(row), hgncId: hgnc || null, build: this.build, chrom: this.text.slice(this.tab2[row]! + 1, this.tab3[row]),
      start: this.starts[row]!, end: this.ends[row]!,
    };
  }

  private approvedRows(): Map<string, number> {
    if (!this.byApproved) {
      this.byApproved = new Map();
      for (let row = 0; row < this.rows; row++) this.byApproved.set(this.symbolOf(row).toUpperCase(), row);
    }
    return this.byApproved;
  }

  /** The gene whose approved symbol this is (case-insensitive). */
  approved(symbol: string): GeneSpan | undefined {
    const key = symbol.trim().toUpperCase();
    const row = this.byApproved ? this.byApproved.get(key) : this.findApproved(key);
    return row === undefined ? undefined : this.span(row);
  }

  /**
   * One lookup without the symbol map: a command asks for one gene, and building the map of ~20,000
   * symbols cost ~15 ms of a CLI query's start. Rows whose symbol has another length are skipped unread.
   */
  private findApproved(key: string): number | undefined {
    this.lookups++;
    if (this.lookups > 2) return this.approvedRows().get(key);
    for (let row = 0; row < this.rows; row++) {
      if (this.tab1[row]! - this.lineAt[row]! === key.length && this.symbolOf(row).toUpperCase() === key) return row;
    }
    return undefined;
  }

  /** Approved symbol first, then a previous symbol, then an alias; one that names several genes is ambiguous. */
  resolve(symbol: string): SymbolResolution {
    const key = symbol.trim().toUpperCase();
    const approved = this.approved(key);
    if (approved) return { kind: 'approved', gene: approved };
    const other = this.otherSymbols();
    for (const via of ['previous', 'alias'] as const) {
      const rows = other[via].get(key);
      if (!rows) continue;
      if (rows.length === 1) return { kind: via, gene: this.span(rows[0]!) };
      return { kind: 'ambiguous', via, genes: rows.map((r) => this.span(r)).sort((x, y) => (x.symbol < y.symbol ? -1 : 1)) };
    }
    return { kind: 'unknown', suggestions: closestNames(key, this.approvedRows().keys(), 5).map((k) => this.symbolOf(this.approvedRows().get(k)!)) };
  }

  private otherSymbols(): { previous: Map<string, number[]>; alias: Map<string, number[]> } {
    if (this.byOther) return this.byOther;
    const previous = new Map<string, number[]>();
    const alias = new Map<string, number[]>();
    for (let row = 0; row < this.rows; row++) {
      const [prev = '', aliases = ''] = this.text.slice(this.tab5[row]! + 1, this.lineEnd[row]).split('\t');
      for (const [map, list] of [[previous, prev], [alias, aliases]] as const) {
        for (const name of list.split(';')) {
          const key = name.trim().toUpperCase();
          if (!key) continue;
          const rows = map.get(key);
          if (!rows) map.set(key, [row]);
          else if (!rows.includes(row)) rows.push(row);
        }
      }
    }
    this.byOther = { previous, alias };
    return this.byOther;
  }

  /** Genes whose span shares at least one position with [start, end] on `chrom` (chr17 spelling), by start. */
  overlapping(chrom: string, start: number, end: number): GeneSpan[] {
    const rows = this.byChrom.get(chrom);
    if (!rows) return [];
    const out: GeneSpan[] = [];
    // last gene starting at or before `end`, then back while a gene could still reach `start`
    const floor = start - rows.longest;
    for (let row = upperBound(this.starts, rows.from, rows.to, end) - 1; row >= rows.from && this.starts[row]! >= floor; row--) {
      if (this.ends[row]! >= start) out.push(this.span(row));
    }
    return out.reverse();
  }

  /** Every chromosome the table has genes on. */
  chromosomes(): string[] {
    return [...this.byChrom.keys()];
  }
}

function countLines(text: string): number {
  let n = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) n++;
  return n + 1;
}

/** The whole number a column holds; -1 when it is not one. */
function wholeNumber(text: string): number {
  const value = Number(text);
  return text !== '' && Number.isInteger(value) ? value : -1;
}

/** First index in [from, to) whose value is greater than `value` (values ascending there). */
function upperBound(values: Int32Array, from: number, to: number, value: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const tables = new Map<GenomeBuild, GeneTable>();

/** The build's gene table, read on first use (a few milliseconds) and kept. */
export function geneTable(build: GenomeBuild): GeneTable {
  let table = tables.get(build);
  if (!table) {
    table = new GeneTable(build, readGzipText(indexFile(build)));
    tables.set(build, table);
  }
  return table;
}

/** The builds the gene table covers, by the names the vault records ('GRCh37', 'GRCh38'). */
export function geneTableBuild(build: string | null | undefined): GenomeBuild | null {
  return GENE_TABLE_BUILDS.find((b) => b === build) ?? null;
}

/** A gene's span by approved symbol (case-insensitive), or undefined. */
export function geneLocation(symbol: string, build: GenomeBuild): GeneSpan | undefined {
  return geneTable(build).approved(symbol);
}
