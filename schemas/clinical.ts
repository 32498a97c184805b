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

/** A partial update: the fields given replace the stored ones, every omitted field stays as it was. */
export const PatientRecordUpdateSchema = PatientRecordFieldsSchema.omit({ mrn: true })
  .partial()
  .refine((update) => Object.values(update).some((value) => value !== undefined), 'give at least one field to change');
export type PatientRecordUpdate = z.infer<typeof PatientRecordUpdateSchema>;

export interface PatientRecord extends PatientRecordInput {
  patientId: string;
  version: number;
  updatedAt: string;
  updatedBy: string;
}
