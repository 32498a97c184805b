// Which rows of one loaded partition a patient query keeps. A region (or a gene's span) keeps every
// row whose REF allele overlaps it, as tabix and `bcftools view -r` do: pos <= end and
// pos + len(REF) - 1 >= start, so a deletion that starts before the region is found. SQL narrows
// by position (reaching back by the partition's longest REF), then the REF lengths decide in JS.
import { INTEGER, LIST, listValue, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { matchingCodes, namesGene, type LoadedPartition } from './loaded-partition.ts';
import { matchesSignificance } from './significance.ts';
import { MAX_POSITION, type Region } from './region.ts';

export interface GeneFilter {
  /** symbols an annotation may name (upper case): the approved symbol, and the one asked for */
  symbols: string[];
  /** the gene's span in the query's build, for rows without a gene annotation; absent when no table has it */
  span?: Region;
}

export interface RowFilter {
  region?: Region | undefined;
  gene?: GeneFilter | undefined;
  /** normalised CLNSIG terms (significance.ts), or null for no significance filter */
  terms: string[] | null;
}

/** True when the partition may hold a row whose REF overlaps the region (maxEnd unknown: assume it may). */
export function partitionReaches(ref: { chrom: string; minPos: number; maxPos: number; maxEnd?: number }, region: Region): boolean {
  return ref.chrom === region.chrom && ref.minPos <= region.end && Math.max(ref.maxPos, ref.maxEnd ?? Infinity) >= region.start;
}

/** The first position a row may start at and still overlap `start`, given REFs up to `maxRefLength`. */
export function reachBack(start: number, maxRefLength: number): number {
  return Math.max(1, start - (maxRefLength - 1));
}

export async function matchingRows(connection: DuckDBConnection, partition: LoadedPartition, filter: RowFilter): Promise<number[]> {
  const { region, gene, terms } = filter;
  const values: DuckDBValue[] = [region ? reachBack(region.start, partition.maxRefLength) : 1, region?.end ?? MAX_POSITION];
  const types: DuckDBType[] = [INTEGER, INTEGER];
  let where = 'pos BETWEEN $1 AND $2';
  // text filters become the codes of this partition's matching values, bound as an INTEGER[]
  const codesIn = (column: 'gene' | 'clnsig', codes: number[]): string => {
    values.push(listValue(codes));
    types.push(LIST(INTEGER));
    return `list_contains($${values.length}, ${column})`;
  };
  const span = gene?.span && gene.span.chrom === partition.ref.chrom ? gene.span : undefined;
  if (gene) {
    const named = matchingCodes(partition, 'gene', gene.symbols.join('|'), (value) => gene.symbols.some((symbol) => namesGene(value, symbol)));
    values.push(span ? reachBack(span.start, partition.maxRefLength) : 1, span ? span.end : 0);
    types.push(INTEGER, INTEGER);
    // annotation wins; the gene table only speaks for rows without one
    const unannotated = '(gene IS NULL AND pos BETWEEN $3 AND $4)';
    where += named.length === 0 ? ` AND ${unannotated}` : ` AND (${codesIn('gene', named)} OR ${unannotated})`;
  }
  if (terms) {
    const matching = matchingCodes(partition, 'clnsig', JSON.stringify([...terms].sort()), (value) => matchesSignificance(value, terms));
    if (matching.length === 0) return [];
    where += ` AND ${codesIn('clnsig', matching)}`;
  }
  const result = await connection.runAndReadAll(`SELECT rowid::INTEGER AS r FROM ${partition.table} WHERE ${where} ORDER BY rowid`, values, types);
  const rows = result.getColumnsJS()[0]?.map(Number) ?? [];
  if (partition.maxRefLength === 1 || (!region && !span)) return rows;
  return rows.filter((row) => reachesStart(partition, row, region, span));
}

/** The exact overlap test for a row SQL let through by position alone. */
function reachesStart(partition: LoadedPartition, row: number, region: Region | undefined, span: Region | undefined): boolean {
  const { pos, text } = partition.data;
  const refCode = text.ref.codes[row] ?? -1;
  const end = pos[row]! + (refCode < 0 ? 1 : (text.ref.values[refCode]?.length ?? 1)) - 1;
  if (region && end < region.start) return false;
  // a row with a gene annotation came through by its annotation, not by the span
  if (span && (text.gene.codes[row] ?? -1) < 0 && end < span.start) return false;
  return true;
}
