// ClinVar significance as a number: one bit per term of CLINVAR_SIGNIFICANCE_TERMS that a CLNSIG
// value holds, so index rows stay numeric and a significance filter is one AND. For known terms
// it decides exactly as matchesSignificance (significance.ts) does; a value's parts that are not
// ClinVar terms set no bit, and a filter may only name known terms (checkSignificance refuses others).
import { CLINVAR_SIGNIFICANCE_TERMS, normaliseSignificanceTerms } from '../significance.ts';

const BIT = new Map(CLINVAR_SIGNIFICANCE_TERMS.map((term, i) => [term, 1 << i]));

/** The bits of a stored CLNSIG value (0 for none). */
export function significanceMask(value: string | null): number {
  if (value === null) return 0;
  let mask = 0;
  for (const part of value.toLowerCase().split(/[/|,]/)) mask |= BIT.get(part.replace(/ /g, '_').replace(/^_+|_+$/g, '')) ?? 0;
  return mask;
}

/** The bits of the terms a query asks for; unknown terms set none. */
export function termsMask(terms: readonly string[]): number {
  let mask = 0;
  for (const term of normaliseSignificanceTerms(terms)) mask |= BIT.get(term) ?? 0;
  return mask;
}
