// The compact gene index the vault loads at run time, derived from the source tables in data/
// (genes_<build>.tsv.gz, copied unchanged from their provenance): one line per primary gene
// (one row per symbol), sorted by chromosome and start, with only the columns queries use.
// Reading it costs a few milliseconds; parsing a source table whole cost ~80 ms per build.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export type GenomeBuild = 'GRCh37' | 'GRCh38';
export const GENE_TABLE_BUILDS: readonly GenomeBuild[] = ['GRCh37', 'GRCh38'];

export const INDEX_HEADER = '#symbol\thgnc_id\tchrom\tstart\tend\tprev_symbols\talias_symbols';
const SOURCE_COLUMNS = ['symbol', 'hgnc_id', 'chrom', 'start', 'end', 'primary', 'prev_symbols', 'alias_symbols'] as const;

export class GeneTableError extends Error {
  readonly code = 'GENE_TABLE';
  constructor(message: string) {
    super(message);
    this.name = 'GeneTableError';
  }
}

const dataFile = (name: string): URL => new URL(`./data/${name}`, import.meta.url);
export const sourceFile = (build: GenomeBuild): URL => dataFile(`genes_${build}.tsv.gz`);
export const indexFile = (build: GenomeBuild): URL => dataFile(`gene-index-${build}.tsv.gz`);

/** chr1..chr22, chrX, chrY, chrM in that order. */
export function chromOrder(chrom: string): number {
  const bare = chrom.replace(/^chr/, '');
  if (/^\d+$/.test(bare)) return Number(bare);
  return { X: 23, Y: 24, M: 25 }[bare] ?? 100;
}

/** The index's text from a source table's text (genes_<build>.tsv as in data/PROVENANCE.md). */
export function deriveGeneIndex(sourceText: string): string {
  const lines = sourceText.split('\n');
  const header = (lines[0] ?? '').split('\t');
  const at = SOURCE_COLUMNS.map((name) => {
    const i = header.indexOf(name);
    if (i < 0) throw new GeneTableError(`gene source table: no column ${name}`);
    return i;
  });
  const rows: string[][] = [];
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const f = line.split('\t');
    const [symbol, hgnc, chrom, start, end, primary, prev, alias] = at.map((i) => f[i] ?? '');
    if (primary !== 'yes') continue;
    rows.push([symbol!, hgnc!, chrom!, start!, end!, prev!, alias!]);
  }
  rows.sort((a, b) => chromOrder(a[2]!) - chromOrder(b[2]!) || Number(a[3]) - Number(b[3]) || (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
  return [INDEX_HEADER, ...rows.map((r) => r.join('\t'))].join('\n') + '\n';
}

export function readGzipText(url: URL): string {
  return gunzipSync(readFileSync(url)).toString('utf8');
}
