// Matching ClinVar significance (CLNSIG) terms. A CLNSIG value may combine terms:
// 'Pathogenic/Likely_pathogenic', 'Pathogenic|risk_factor', 'Benign,_low_penetrance'.
// Rule: the value is split on '/', '|' and ','; each term is compared whole and
// case-insensitively (spaces read as '_'). So 'pathogenic' matches 'Pathogenic' and
// 'Pathogenic/Likely_pathogenic' but neither 'Likely_pathogenic' nor
// 'Conflicting_classifications_of_pathogenicity'; ask for 'likely_pathogenic' as well to get both.

/** SQL predicate over a VARCHAR expression holding a CLNSIG value; `$param` is a VARCHAR[] of normalised terms. */
export function significanceMatchSql(valueExpr: string, param: string): string {
  return `list_has_any(list_transform(string_split_regex(lower(${valueExpr}), '[/|,]'), t -> trim(replace(t, ' ', '_'), '_')), ${param})`;
}

/** Normalises requested terms the way the SQL side normalises stored ones; drops empty terms. */
export function normaliseSignificanceTerms(terms: readonly string[]): string[] {
  const out = new Set<string>();
  for (const term of terms) {
    const t = term.trim().toLowerCase().replace(/ /g, '_').replace(/^_+|_+$/g, '');
    if (t !== '') out.add(t);
  }
  return [...out];
}
