// The ClinVar clinical significance (CLNSIG) terms, normalised (lower case, spaces as '_'): the
// terms a significance filter may name, in patient queries and research cohort queries alike.
// A CLNSIG value may combine terms ('Pathogenic/Likely_pathogenic', 'Pathogenic|risk_factor',
// 'Benign,_low_penetrance'): it is split on '/', '|' and ',' and each part read whole.

/**
 * Every term a ClinVar CLNSIG value is made of, normalised: the ACMG/AMP five tiers, ClinGen's
 * low-penetrance and risk-allele terms, the other terms ClinVar uses, and the names the older VCF
 * releases wrote (conflicting_interpretations_..., no_interpretation_...).
 * See https://www.ncbi.nlm.nih.gov/clinvar/docs/clinsig/.
 */
export const CLINVAR_SIGNIFICANCE_TERMS: readonly string[] = [
  'pathogenic', 'likely_pathogenic', 'uncertain_significance', 'likely_benign', 'benign',
  'low_penetrance', 'established_risk_allele', 'likely_risk_allele', 'uncertain_risk_allele',
  'conflicting_classifications_of_pathogenicity', 'conflicting_interpretations_of_pathogenicity', 'conflicting_data_from_submitters',
  'drug_response', 'association', 'association_not_found', 'risk_factor', 'protective', 'affects', 'confers_sensitivity', 'other', 'not_provided',
  'no_classification_for_the_single_variant', 'no_classifications_from_unflagged_records', 'no_interpretation_for_the_single_variant',
];

/** The terms a stored CLNSIG value is made of, normalised as above. */
export function significanceTermsOf(value: string): string[] {
  return value.toLowerCase().split(/[/|,]/).map((part) => part.replace(/ /g, '_').replace(/^_+|_+$/g, ''));
}
