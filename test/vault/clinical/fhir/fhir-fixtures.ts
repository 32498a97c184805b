// Shared inputs for the FHIR export tests: a made-up patient (no real person) and variant rows
// shaped like the vault's query output, extra columns included (the exporter must ignore them).
import type { PatientRecord } from '../../../../schemas/clinical.ts';
import type { Bundle, FhirResource, Observation } from '../../../../vault/clinical/fhir/fhir-types.ts';
import type { VariantRow } from '../../../../vault/clinical/fhir/variant-row.ts';

export const RECORD: PatientRecord = {
  patientId: 'p_00112233445566ff',
  mrn: 'MRN-7731-QX',
  givenName: 'Ada',
  familyName: 'Quillfeather',
  birthDate: '1961-04-09',
  sex: 'female',
  zip: '02139',
  conditions: [
    { system: 'icd10', code: 'C50.9', display: 'Malignant neoplasm of breast, unspecified' },
    { system: 'hpo', code: 'HP:0003002' },
  ],
  version: 4,
  updatedAt: '2026-01-05T10:11:12.000Z',
  updatedBy: 'u_clinician_8f3e2a1b',
};

/** A query row: the VariantRow fields plus the columns the exporter must not copy. */
export type QueryRow = VariantRow & { phased: boolean; genotype: string; dp: number | null; gq: number | null; qual: number | null; filter: string | null; consequence: string | null };

export const BRCA1_ROW: QueryRow = {
  chrom: 'chr17',
  pos: 43045712,
  id: 'rs80357906',
  ref: 'C',
  alt: 'T',
  zygosity: 'het',
  phased: true,
  genotype: '0|1',
  dp: 37,
  gq: 99,
  qual: 812.77,
  filter: 'PASS',
  gene: 'BRCA1',
  consequence: 'stop_gained',
  clnsig: 'Pathogenic',
};

export function row(overrides: Partial<QueryRow>): QueryRow {
  return { ...BRCA1_ROW, ...overrides };
}

export const NOW = new Date('2026-02-03T04:05:06.000Z');

export function resources(bundle: Bundle): FhirResource[] {
  return bundle.entry.map((e) => e.resource);
}

export function observationsWithProfile(bundle: Bundle, profile: string): Observation[] {
  return resources(bundle).filter((r): r is Observation => r.resourceType === 'Observation' && r.meta.profile.includes(profile));
}

/** The component with this LOINC (or IG) code, or undefined. */
export function component(observation: Observation, code: string) {
  return observation.component.find((c) => c.code.coding?.some((coding) => coding.code === code));
}
