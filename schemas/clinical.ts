// The clinical record as the API accepts and returns it.
import { z } from 'zod';
import { birthDate } from './dates.ts';
import { lineText, personName } from './text.ts';

export const MrnSchema = z.string().regex(/^[A-Za-z0-9-]{3,32}$/, 'an MRN is 3 to 32 letters, digits or dashes');
export const PatientIdSchema = z.string().regex(/^p_[0-9a-f]{16}$/, 'a patient id looks like p_ followed by 16 hex digits');

export const ConditionSchema = z.object({
  system: z.enum(['icd10', 'hpo']),
  code: z.string().regex(/^([A-TV-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?|HP:[0-9]{7})$/, 'an ICD-10 code (C50.9) or an HPO term (HP:0001250)'),
  display: lineText(200).optional(),
});

// The record's fields without defaults: a default would also fill an omitted field of an update.
const PatientRecordFieldsSchema = z.object({
  mrn: MrnSchema,
  givenName: personName(100),
  familyName: personName(100),
  birthDate: birthDate(),
  sex: z.enum(['female', 'male', 'other', 'unknown']),
  zip: z.string().regex(/^\d{5}$/, 'a 5-digit ZIP code'),
  conditions: z.array(ConditionSchema).max(200),
});

export const PatientRecordInputSchema = PatientRecordFieldsSchema.extend({ conditions: PatientRecordFieldsSchema.shape.conditions.default([]) });
export type PatientRecordInput = z.infer<typeof PatientRecordInputSchema>;

/**
 * Fields an update never changes: the MRN (which patient the record is; a wrong one is corrected by
 * registration, not by editing) and what the vault keeps itself. Named in the 400 when given.
 */
const IMMUTABLE_RECORD_FIELDS = ['mrn', 'patientId', 'id', 'version', 'updatedAt', 'updatedBy'] as const;
const immutable = z
  .unknown()
  .refine(() => false, { error: 'cannot be changed by an update' })
  .optional()
  .meta({ description: 'cannot be changed: an update that gives it is refused' });

/**
 * A partial update: the fields given replace the stored ones, every omitted field stays as it was.
 * An unknown or immutable field refuses the whole update rather than being dropped in silence.
 */
export const PatientRecordUpdateSchema = PatientRecordFieldsSchema.omit({ mrn: true })
  .partial()
  .extend(Object.fromEntries(IMMUTABLE_RECORD_FIELDS.map((field) => [field, immutable])) as Record<(typeof IMMUTABLE_RECORD_FIELDS)[number], typeof immutable>)
  .strict()
  .refine((update) => Object.values(update).some((value) => value !== undefined), 'give at least one field to change');
export type PatientRecordUpdate = z.infer<typeof PatientRecordUpdateSchema>;

export interface PatientRecord extends PatientRecordInput {
  patientId: string;
  version: number;
  updatedAt: string;
  updatedBy: string;
}
