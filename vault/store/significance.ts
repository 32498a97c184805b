// Matching ClinVar significance (CLNSIG) terms. A CLNSIG value may combine terms:
// 'Pathogenic/Likely_pathogenic', 'Pathogenic|risk_factor', 'Benign,_low_penetrance'.
// Rule: the value is split on '/', '|' and ','; each term is compared whole and
// case-insensitively (spaces read as '_'). So 'pathogenic' matches 'Pathogenic' and
// 'Pathogenic/Likely_pathogenic' but neither 'Likely_pathogenic' nor
// 'Conflicting_classifications_of_pathogenicity'; ask for 'likely_pathogenic' as well to get both.
// Case is folded with JavaScript's Unicode mapping (ClinVar's terms are ASCII; outside ASCII it can
// differ from DuckDB's lower(), which applied this rule in SQL before).

/** True when the CLNSIG value holds one of `terms` (normalised by normaliseSignificanceTerms). */
export function matchesSignificance(value: string, terms: readonly string[]): boolean {
  return value.toLowerCase().split(/[/|,]/).some((part) => terms.includes(part.replace(/ /g, '_').replace(/^_+|_+$/g, '')));
}

/** Normalises requested terms the way stored ones are read; drops empty terms. */
export function normaliseSignificanceTerms(terms: readonly string[]): string[] {
  const out = new Set<string>();
  for (const term of terms) {
    const t = term.trim().toLowerCase().replace(/ /g, '_').replace(/^_+|_+$/g, '');
    if (t !== '') out.add(t);
  }
  return [...out];
}

/**
 * Every term a ClinVar CLNSIG value is made of, normalised as above: the ACMG/AMP five tiers,
 * ClinGen's low-penetrance and risk-allele terms, the other terms ClinVar uses, and the names the
 * older VCF releases wrote (conflicting_interpretations_..., no_interpretation_...).
 * See https://www.ncbi.nlm.nih.gov/clinvar/docs/clinsig/.
 */
export const CLINVAR_SIGNIFICANCE_TERMS: readonly string[] = [
  'pathogenic', 'likely_pathogenic', 'uncertain_significance', 'likely_benign', 'benign',
  'low_penetrance', 'established_risk_allele', 'likely_risk_allele', 'uncertain_risk_allele',
  'conflicting_classifications_of_pathogenicity', 'conflicting_interpretations_of_pathogenicity', 'conflicting_data_from_submitters',
  'drug_response', 'association', 'association_not_found', 'risk_factor', 'protective', 'affects', 'confers_sensitivity', 'other', 'not_provided',
  'no_classification_for_the_single_variant', 'no_classifications_from_unflagged_records', 'no_interpretation_for_the_single_variant',
];

/** The terms (normalised) that are not ClinVar's, by their position in the list asked for (1-based). */
export function unknownSignificanceTerms(terms: readonly string[]): { position: number; term: string }[] {
  const known = new Set(CLINVAR_SIGNIFICANCE_TERMS);
  const unknown: { position: number; term: string }[] = [];
  terms.forEach((text, i) => {
    const [term] = normaliseSignificanceTerms([text]);
    if (term !== undefined && !known.has(term)) unknown.push({ position: i + 1, term });
  });
  return unknown;
}
