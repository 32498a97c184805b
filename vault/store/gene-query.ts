// A gene as a query asks for it, in the query's build: the symbol read through the gene table
// (approved, previous or alias; an alias of several genes is refused), the span that build gives
// it, and the gene column filled from the table for rows the VCF left unannotated.
import { geneTable, geneTableBuild, type GeneSpan } from '../genes/gene-table.ts';
import { QueryInputError } from './query-input-error.ts';
import { note, type QueryNote } from './query-notes.ts';
import type { GeneFilter } from './variant-match.ts';

export interface GeneQuery {
  filter: GeneFilter;
  notes: QueryNote[];
  /** set when the gene table does not know the symbol: a query that finds nothing is then refused with these */
  unknown?: { suggestions: string[] };
}

const SYMBOL = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export function resolveGene(text: string, build: string | null): GeneQuery {
  const asked = text.trim().toUpperCase();
  if (!SYMBOL.test(asked)) throw new QueryInputError('gene: a gene symbol such as BRCA1 (letters, digits, - . _)', 'gene');
  const tableBuild = geneTableBuild(build);
  if (!tableBuild) {
    return {
      filter: { symbols: [asked] },
      notes: [note('gene_not_in_table', `the gene table has no coordinates for ${build ?? 'an unknown build'}: only rows annotated with the gene are found`)],
    };
  }
  const found = geneTable(tableBuild).resolve(asked);
  switch (found.kind) {
    case 'approved':
      return { filter: filterFor(found.gene, asked), notes: [] };
    case 'previous':
    case 'alias':
      return {
        filter: filterFor(found.gene, asked),
        notes: [note('gene_symbol_resolved', `the symbol asked for is ${found.kind === 'alias' ? 'an alias' : 'a previous symbol'} of ${found.gene.symbol} (HGNC); ${found.gene.symbol} is shown`)],
      };
    case 'ambiguous':
      throw new QueryInputError(
        `gene: that symbol is ${found.via === 'alias' ? 'an alias' : 'a previous symbol'} of several genes (${found.genes.map((g) => g.symbol).join(', ')}); ask for one of them`, 'gene',
      );
    case 'unknown':
      return {
        filter: { symbols: [asked] },
        notes: [note('gene_not_in_table', `the symbol is not in the ${tableBuild} gene table: only rows annotated with it are shown`)],
        unknown: { suggestions: found.suggestions },
      };
  }
}

function filterFor(gene: GeneSpan, asked: string): GeneFilter {
  const approved = gene.symbol.toUpperCase();
  return { symbols: asked === approved ? [approved] : [approved, asked], span: { chrom: gene.chrom, start: gene.start, end: gene.end } };
}

/** The refusal for a symbol neither the gene table nor any row's annotation knows. */
export function unknownGeneError(build: string | null, suggestions: readonly string[]): QueryInputError {
  const closest = suggestions.length > 0 ? `; closest symbols: ${suggestions.join(', ')}` : '';
  return new QueryInputError(`gene: not an HGNC symbol, previous symbol or alias in the ${build ?? ''} gene table, and no variant queried is annotated with it${closest}`, 'gene');
}

export type GeneSource = 'annotation' | 'gene_table';

/** Genes (symbols joined with '|', as GENEINFO lists them) whose span the REF allele overlaps, or null. */
export function genesAt(build: string | null, chrom: string, pos: number, ref: string): string | null {
  const tableBuild = geneTableBuild(build);
  if (!tableBuild) return null;
  const genes = geneTable(tableBuild).overlapping(chrom, pos, pos + Math.max(ref.length, 1) - 1);
  return genes.length === 0 ? null : genes.map((g) => g.symbol).join('|');
}
