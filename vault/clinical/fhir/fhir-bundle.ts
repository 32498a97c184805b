// A patient's record and variants as one FHIR R4 Bundle: Patient, Conditions, variant
// Observations (Genomics Reporting IG) and, where ClinVar gives one, a diagnostic-implication
// Observation per variant. Entry order: Patient, Conditions, then each variant followed by its
// implication.
//
// Bundle type `collection`: a set of resources put together for one reader. Not `searchset`,
// which promises FHIR search semantics (entry.search, fullUrls that resolve on a FHIR server)
// that our API does not offer; references between entries resolve through `urn:uuid:` fullUrls.
import { randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry, FhirResource, Reference } from './fhir-types.ts';
import type { VariantRow } from './variant-row.ts';
import type { ExportedRecord } from './patient-resources.ts';
import { conditionResource, patientResource } from './patient-resources.ts';
import { variantObservation } from './variant-observation.ts';
import { clinicalSignificanceConcept, diagnosticImplication } from './diagnostic-implication.ts';
import { normaliseBuild } from './refseq-accessions.ts';
import { fullUrlOf, OccurrenceCounter, stableUuid } from './resource-ids.ts';
import { checkOptions, checkRecord, checkVariantRow } from './export-input-checks.ts';
import { DEFAULT_MRN_SYSTEM } from './terminology.ts';

export interface FhirBundleInput {
  /** a PatientRecord (or any object with these fields); version, updatedAt, updatedBy are not exported */
  record: ExportedRecord;
  variants: readonly VariantRow[];
  /** the reference build of the rows (GRCh37, GRCh38, hg19, b37, hg38); a row's own `build` wins; null when unknown */
  build: string | null;
  /** Bundle.id; a random UUID when absent (a bundle is a message, not a stored resource) */
  bundleId?: string;
  /** Bundle.timestamp; the current time when absent */
  now?: Date;
  /** Identifier.system of the MRN; DEFAULT_MRN_SYSTEM when absent */
  mrnSystem?: string;
  /** a vault secret that keys resource ids (HMAC), so ids cannot be tested against guesses */
  idKey?: Uint8Array;
}

const entryOf = (resource: FhirResource): BundleEntry => ({ fullUrl: fullUrlOf(resource.id), resource });

export function toFhirBundle(input: FhirBundleInput): Bundle {
  const { record, variants, idKey } = input;
  checkOptions(input);
  checkRecord(record);
  variants.forEach(checkVariantRow);

  const patientUuid = stableUuid(['Patient', record.patientId], idKey);
  const subject: Reference = { reference: fullUrlOf(patientUuid) };
  const entry: BundleEntry[] = [entryOf(patientResource(patientUuid, record, input.mrnSystem ?? DEFAULT_MRN_SYSTEM))];

  const conditionRepeats = new OccurrenceCounter();
  for (const condition of record.conditions) {
    const occurrence = conditionRepeats.next(`${condition.system}|${condition.code}`);
    const id = stableUuid(['Condition', record.patientId, condition.system, condition.code, String(occurrence)], idKey);
    entry.push(entryOf(conditionResource(id, condition, subject)));
  }

  const variantRepeats = new OccurrenceCounter();
  for (const row of variants) {
    const build = normaliseBuild(row.build ?? input.build);
    const site = [build ?? 'unknown', row.chrom, String(row.pos), row.ref, row.alt];
    const occurrence = variantRepeats.next(site.join('|'));
    const id = stableUuid(['Observation', 'variant', record.patientId, ...site, String(occurrence)], idKey);
    entry.push(entryOf(variantObservation({ id, subject, row, build })));

    const significance = clinicalSignificanceConcept(row.clnsig);
    if (significance) {
      const implicationId = stableUuid(['Observation', 'diagnostic-implication', id], idKey);
      entry.push(entryOf(diagnosticImplication({ id: implicationId, subject, variant: { reference: fullUrlOf(id) }, significance })));
    }
  }

  return {
    resourceType: 'Bundle',
    id: input.bundleId ?? randomUUID(),
    type: 'collection',
    timestamp: (input.now ?? new Date()).toISOString(),
    entry,
  };
}
