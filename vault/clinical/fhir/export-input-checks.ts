// Checks on what the exporter is given, before it builds anything. The record and rows come from
// the vault, so a failure here is a broken contract, reported by field path and never by value.
import type { ExportedRecord } from './patient-resources.ts';
import type { VariantRow } from './variant-row.ts';
import { VARIANT_ZYGOSITIES } from './variant-row.ts';
import { FhirExportError } from './fhir-export-error.ts';

/** FHIR R4 `id`: letters, digits, '-' and '.', 1 to 64 characters. */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const FHIR_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;
const SEXES: readonly string[] = ['female', 'male', 'other', 'unknown'];
const CONDITION_SYSTEMS: readonly string[] = ['icd10', 'hpo'];

const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
const isOptionalText = (value: unknown): boolean => value === null || value === undefined || typeof value === 'string';

function ensure(condition: boolean, path: string, problem: string): void {
  if (!condition) throw new FhirExportError(path, problem);
}

export function checkRecord(record: ExportedRecord): void {
  ensure(typeof record === 'object' && record !== null, 'record', 'is missing');
  for (const field of ['patientId', 'mrn', 'givenName', 'familyName', 'zip'] as const) {
    ensure(isText(record[field]), `record.${field}`, 'must be non-empty text');
  }
  ensure(typeof record.birthDate === 'string' && FHIR_DATE.test(record.birthDate), 'record.birthDate', 'must be a date as YYYY-MM-DD');
  ensure(SEXES.includes(record.sex), 'record.sex', 'must be female, male, other or unknown');
  ensure(Array.isArray(record.conditions), 'record.conditions', 'must be a list');
  record.conditions.forEach((condition, i) => {
    ensure(CONDITION_SYSTEMS.includes(condition.system), `record.conditions[${i}].system`, 'must be icd10 or hpo');
    ensure(isText(condition.code), `record.conditions[${i}].code`, 'must be non-empty text');
    ensure(isOptionalText(condition.display), `record.conditions[${i}].display`, 'must be text when present');
  });
}

export function checkVariantRow(row: VariantRow, i: number): void {
  const at = `variants[${i}]`;
  ensure(typeof row === 'object' && row !== null, at, 'is missing');
  ensure(isText(row.chrom) && !/\s/.test(row.chrom), `${at}.chrom`, 'must be a contig name without spaces');
  ensure(Number.isSafeInteger(row.pos) && row.pos >= 1, `${at}.pos`, 'must be a positive integer (1-based)');
  ensure(isText(row.ref) && !/\s/.test(row.ref), `${at}.ref`, 'must be a non-empty allele');
  ensure(isText(row.alt) && !/\s/.test(row.alt), `${at}.alt`, 'must be a non-empty allele');
  ensure(VARIANT_ZYGOSITIES.includes(row.zygosity), `${at}.zygosity`, 'must be het, hom_alt, hemizygous or missing');
  for (const field of ['id', 'gene', 'clnsig', 'build'] as const) {
    ensure(isOptionalText(row[field]), `${at}.${field}`, 'must be text or null');
  }
}

export interface ExportOptions {
  bundleId?: string | undefined;
  now?: Date | undefined;
  mrnSystem?: string | undefined;
  idKey?: Uint8Array | undefined;
  build: string | null;
  report?: { notes: readonly { code: string; message: string }[]; samplesQueried?: number } | undefined;
}

export function checkOptions(options: ExportOptions): void {
  if (options.bundleId !== undefined) ensure(FHIR_ID.test(options.bundleId), 'bundleId', 'must be a FHIR id (letters, digits, - and ., at most 64)');
  if (options.now !== undefined) ensure(options.now instanceof Date && !Number.isNaN(options.now.getTime()), 'now', 'must be a valid date');
  if (options.mrnSystem !== undefined) ensure(ABSOLUTE_URI.test(options.mrnSystem), 'mrnSystem', 'must be an absolute URI');
  // A short key would make keyed ids no harder to guess than unkeyed ones.
  if (options.idKey !== undefined) ensure(options.idKey instanceof Uint8Array && options.idKey.length >= 16, 'idKey', 'must be at least 16 bytes');
  ensure(isOptionalText(options.build), 'build', 'must be text or null');
  if (options.report !== undefined) {
    ensure(Array.isArray(options.report.notes), 'report.notes', 'must be a list');
    options.report.notes.forEach((n, i) => ensure(isText(n.code) && isText(n.message), `report.notes[${i}]`, 'must have a code and a message'));
    const count = options.report.samplesQueried;
    if (count !== undefined) ensure(Number.isSafeInteger(count) && count >= 0, 'report.samplesQueried', 'must be a whole number');
  }
}
