// Does a scope of results (categories and named variants) cover one finding? A variant named
// in the scope is covered; otherwise its gene must belong to a category, and every category it
// belongs to must be in the scope (a gene in two lists is released only if both are).
import type { FindingsCategory, VariantRef } from '../../schemas/consent/result-scope.ts';
import { categoriesOfGene } from '../genes/gene-categories.ts';

export interface Finding {
  variant: VariantRef;
  /** the gene symbol(s) the finding is annotated with, if any */
  genes?: readonly string[];
}

export interface ScopeLike {
  categories: readonly FindingsCategory[];
  variants: readonly VariantRef[];
}

/** One spelling for a variant: chromosome without `chr`, MT for M. */
export function variantKey(v: VariantRef): string {
  const chrom = v.chrom.replace(/^chr/, '');
  return `${v.build}:${chrom === 'M' ? 'MT' : chrom}:${v.pos}:${v.ref}:${v.alt}`;
}

export function scopeCoversFinding(scope: ScopeLike, finding: Finding): boolean {
  const key = variantKey(finding.variant);
  if (scope.variants.some((v) => variantKey(v) === key)) return true;
  const categories = (finding.genes ?? []).flatMap((gene) => categoriesOfGene(gene));
  return categories.length > 0 && categories.every((c) => scope.categories.includes(c));
}

/** A requested set of categories and findings is covered when each of them is. */
export function scopeCovers(scope: ScopeLike, requested: { categories: readonly FindingsCategory[]; findings: readonly Finding[] }): boolean {
  return requested.categories.every((c) => scope.categories.includes(c)) && requested.findings.every((f) => scopeCoversFinding(scope, f));
}
