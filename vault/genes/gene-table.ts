// Gene spans (transcription start to end, 1-based inclusive) for GRCh37 and GRCh38, read once
// from gene-spans.tsv beside this file. Used when a VCF carries no gene annotation.
import { readFileSync } from 'node:fs';

export type GenomeBuild = 'GRCh37' | 'GRCh38';
export const BUILDS: readonly GenomeBuild[] = ['GRCh37', 'GRCh38'];

export interface GeneSpan {
  symbol: string;
  build: GenomeBuild;
  chrom: string;
  start: number;
  end: number;
}

export class GeneTableError extends Error {
  readonly code = 'GENE_TABLE';
  constructor(message: string) {
    super(message);
    this.name = 'GeneTableError';
  }
}

const HEADER = 'symbol\tbuild\tchrom\tstart\tend';

/** Parses the table's text; every malformed line is refused with its line number. */
export function parseGeneTable(text: string): GeneSpan[] {
  const lines = text.split('\n');
  if (lines[0] !== HEADER) throw new GeneTableError(`gene table line 1: expected header '${HEADER}'`);
  const spans: GeneSpan[] = [];
  const seen = new Set<string>();
  lines.slice(1).forEach((line, i) => {
    if (line === '') return;
    const where = `gene table line ${i + 2}`;
    const [symbol, build, chrom, startText, endText, extra] = line.split('\t');
    if (extra !== undefined || !symbol || !chrom || !startText || !endText) throw new GeneTableError(`${where}: expected 5 tab-separated fields`);
    if (build !== 'GRCh37' && build !== 'GRCh38') throw new GeneTableError(`${where}: build must be GRCh37 or GRCh38`);
    const start = Number(startText);
    const end = Number(endText);
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 1 || end < start) throw new GeneTableError(`${where}: start and end must be whole numbers, 1 <= start <= end`);
    const key = `${symbol.toUpperCase()}\t${build}`;
    if (seen.has(key)) throw new GeneTableError(`${where}: ${symbol} appears twice for ${build}`);
    seen.add(key);
    spans.push({ symbol, build, chrom, start, end });
  });
  return spans;
}

let cached: Map<string, GeneSpan> | null = null;

function table(): Map<string, GeneSpan> {
  if (!cached) {
    const spans = parseGeneTable(readFileSync(new URL('./gene-spans.tsv', import.meta.url), 'utf8'));
    cached = new Map(spans.map((s) => [`${s.symbol.toUpperCase()}\t${s.build}`, s]));
  }
  return cached;
}

/** Every span in the table, for both builds. */
export function allGeneSpans(): GeneSpan[] {
  return [...table().values()];
}

/**
 * The build a partition's coordinates use. An unknown build (null, or a name we do not hold)
 * is read as GRCh38: the current reference, and what new clinical pipelines produce.
 */
export function resolveBuild(build: string | null | undefined): GenomeBuild {
  const b = (build ?? '').toLowerCase();
  if (b === 'grch37' || b === 'hg19' || b === 'b37') return 'GRCh37';
  return 'GRCh38';
}

/** A gene's span by symbol (case-insensitive), or undefined when the table lacks it. */
export function geneLocation(symbol: string, build: string | null = 'GRCh38'): GeneSpan | undefined {
  return table().get(`${symbol.trim().toUpperCase()}\t${resolveBuild(build)}`);
}

/** Genes whose span shares at least one position with the region. */
export function genesOverlapping(region: { chrom: string; start: number; end: number }, build: string | null = 'GRCh38'): GeneSpan[] {
  const b = resolveBuild(build);
  return allGeneSpans()
    .filter((s) => s.build === b && s.chrom === region.chrom && s.start <= region.end && region.start <= s.end)
    .sort((x, y) => x.start - y.start);
}
