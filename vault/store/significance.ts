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
