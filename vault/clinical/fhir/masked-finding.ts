// A finding the patient declined to learn, as a clinician's export carries it: an Observation on
// the same `variant` profile naming only the gene, with no variation, position, alleles, allelic
// state or significance, labelled REDACTED and noted "patient declined to learn". Unmasking it
// takes break-the-glass; an unmasked finding is exported as an ordinary variant.
import type { Observation, Reference } from './fhir-types.ts';
import { ANSWER, LOINC, PROFILE, REDACTED } from './terminology.ts';
import { genomicsCategories } from './variant-observation.ts';

export interface MaskedFinding {
  gene: string | null;
  /** the declined categories the gene falls in, e.g. `adult_onset` */
  categories: readonly string[];
}

export function maskedFindingObservation(input: { id: string; subject: Reference; finding: MaskedFinding }): Observation {
  const { gene, categories } = input.finding;
  return {
    resourceType: 'Observation',
    id: input.id,
    meta: { profile: [PROFILE.variant], security: [{ ...REDACTED }] },
    status: 'final',
    category: genomicsCategories(),
    code: { coding: [LOINC.geneticVariantAssessment] },
    subject: input.subject,
    valueCodeableConcept: { coding: [ANSWER.present] },
    component: gene ? [{ code: { coding: [LOINC.geneStudied] }, valueCodeableConcept: { text: gene } }] : [],
    note: [{ text: `patient declined to learn (${categories.join(', ')}): variant, position and alleles withheld` }],
  };
}
