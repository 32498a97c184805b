// A patient's record and variants as one FHIR R4 Bundle: Patient, Conditions, for a variant export
// a DiagnosticReport (Genomics Reporting IG) grouping the variant Observations and, where ClinVar
// gives one, a diagnostic-implication Observation per variant. Entry order: Patient, Conditions,
// the report, then each variant followed by its implication.
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
import { maskedFindingObservation, type MaskedFinding } from './masked-finding.ts';
import { genomicReport, type ReportNote } from './genomic-report.ts';
import { clinicalSignificanceConcept, diagnosticImplication } from './diagnostic-implication.ts';
import { normaliseBuild } from '../../../schemas/refseq-accessions.ts';
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
  /** for a variant export: the DiagnosticReport's facts besides its results; absent for a record alone */
  report?: { notes: readonly ReportNote[]; samplesQueried?: number };
  /** findings the patient declined to learn, exported masked (gene only, REDACTED) after the variants */
  masked?: readonly MaskedFinding[];
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

  const observations: BundleEntry[] = [];
  const variantRepeats = new OccurrenceCounter();
  for (const row of variants) {
    const build = normaliseBuild(row.build ?? input.build);
    const site = [build ?? 'unknown', row.chrom, String(row.pos), row.ref, row.alt];
    const occurrence = variantRepeats.next(site.join('|'));
    const id = stableUuid(['Observation', 'variant', record.patientId, ...site, String(occurrence)], idKey);
    observations.push(entryOf(variantObservation({ id, subject, row, build, buildName: row.build ?? input.build })));

    const significance = clinicalSignificanceConcept(row.clnsig);
    if (significance) {
      const implicationId = stableUuid(['Observation', 'diagnostic-implication', id], idKey);
      observations.push(entryOf(diagnosticImplication({ id: implicationId, subject, variant: { reference: fullUrlOf(id) }, significance })));
    }
  }
  (input.masked ?? []).forEach((finding, i) => {
    const id = stableUuid(['Observation', 'masked-finding', record.patientId, finding.gene ?? '', String(i)], idKey);
    observations.push(entryOf(maskedFindingObservation({ id, subject, finding })));
  });
  const now = input.now ?? new Date();
  if (input.report) {
    const reportId = stableUuid(['DiagnosticReport', record.patientId, ...observations.map((o) => o.resource.id)], idKey);
    entry.push(entryOf(genomicReport({
      id: reportId, subject, issued: now, results: observations.map((o) => ({ reference: o.fullUrl })), variants: variants.length,
      build: input.build, samplesQueried: input.report.samplesQueried, notes: input.report.notes,
    })));
  }
  entry.push(...observations);

  return {
    resourceType: 'Bundle',
    id: input.bundleId ?? randomUUID(),
    type: 'collection',
    timestamp: now.toISOString(),
    entry,
  };
}
