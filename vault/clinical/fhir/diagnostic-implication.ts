// ClinVar's significance for a variant, as the IG wants it: not a component of the variant
// Observation but a `diagnostic-implication` Observation derived from it, carrying 53037-8.
import type { CodeableConcept, Observation, Reference } from './fhir-types.ts';
import { CLINICAL_SIGNIFICANCE_ANSWER, DIAGNOSTIC_IMPLICATION, LOINC, PROFILE } from './terminology.ts';
import { genomicsCategories } from './variant-observation.ts';

type Tier = keyof typeof CLINICAL_SIGNIFICANCE_ANSWER;

/**
 * CLNSIG as written ('Likely_pathogenic', 'Pathogenic/Likely_pathogenic', 'drug_response'...) →
 * the LOINC answer when it names exactly one ACMG tier, and always the readable text. Null for an
 * empty value or '.'.
 */
export function clinicalSignificanceConcept(clnsig: string | null): CodeableConcept | null {
  const text = (clnsig ?? '').trim().replace(/_/g, ' ');
  if (text === '' || text === '.') return null;
  const key = text.toLowerCase().replace(/ /g, '_');
  const answer = Object.hasOwn(CLINICAL_SIGNIFICANCE_ANSWER, key) ? CLINICAL_SIGNIFICANCE_ANSWER[key as Tier] : null;
  return answer ? { coding: [answer], text } : { text };
}

export interface DiagnosticImplicationInput {
  id: string;
  subject: Reference;
  variant: Reference;
  significance: CodeableConcept;
}

export function diagnosticImplication({ id, subject, variant, significance }: DiagnosticImplicationInput): Observation {
  return {
    resourceType: 'Observation',
    id,
    meta: { profile: [PROFILE.diagnosticImplication] },
    status: 'final',
    category: genomicsCategories(),
    code: { coding: [DIAGNOSTIC_IMPLICATION] },
    subject,
    derivedFrom: [variant],
    component: [{ code: { coding: [LOINC.clinicalSignificance] }, valueCodeableConcept: significance }],
  };
}
