// The ledger's events: a directive is granted, amended (a new version replacing the current
// one), or revoked. Each names who recorded it, for which patient, and the version it replaces;
// the time is the sealed log's own timestamp of the entry.
import { z } from 'zod';
import { PatientIdSchema } from '../clinical.ts';
import { AccountIdSchema, DirectiveIdSchema, DocumentReferenceSchema } from './text.ts';
import { DirectiveSchema } from './directive.ts';

/** Who may record a directive: the patient, their proxy, or staff on the patient's behalf. */
/** registration staff record only the proxy directive of a proxy they enrolled (the enrolment is its documentation) */
export const RECORDER_ROLES = ['patient', 'proxy', 'genetic_counselor', 'registrar'] as const;
export type RecorderRole = (typeof RECORDER_ROLES)[number];

/** Roles that record for someone else and must cite the signed form they record from. */
export const STAFF_RECORDER_ROLES: readonly RecorderRole[] = ['genetic_counselor', 'registrar'];

export const RecordedBySchema = z.strictObject({ accountId: AccountIdSchema, role: z.enum(RECORDER_ROLES) });
export type RecordedBy = z.infer<typeof RecordedBySchema>;

/** The signed form (or other document) an entry was recorded from. */
export const EvidenceSchema = z.strictObject({ reference: DocumentReferenceSchema });
export type Evidence = z.infer<typeof EvidenceSchema>;

export const REVOCATION_REASONS = ['patient_request', 'proxy_request', 'documentation_lapsed', 'recorded_in_error', 'other'] as const;

const VersionSchema = z.number().int().min(1).max(1_000_000);

const common = {
  directiveId: DirectiveIdSchema,
  patientId: PatientIdSchema,
  recordedBy: RecordedBySchema,
  evidence: EvidenceSchema.optional(),
};

export const ConsentEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('granted'), ...common, directive: DirectiveSchema }),
  z.strictObject({ type: z.literal('amended'), ...common, replaces: VersionSchema, directive: DirectiveSchema }),
  z.strictObject({ type: z.literal('revoked'), ...common, replaces: VersionSchema, reason: z.enum(REVOCATION_REASONS).optional() }),
]);
export type ConsentEvent = z.infer<typeof ConsentEventSchema>;

// Bodies of the consent routes (the patient and directive ids come from the path).

export const GrantDirectiveBodySchema = z.strictObject({ directive: DirectiveSchema, evidence: EvidenceSchema.optional() }).meta({ id: 'GrantDirective' });
export const AmendDirectiveBodySchema = z
  .strictObject({ replaces: VersionSchema, directive: DirectiveSchema, evidence: EvidenceSchema.optional() })
  .meta({ id: 'AmendDirective' });
export const RevokeDirectiveBodySchema = z
  .strictObject({ replaces: VersionSchema, reason: z.enum(REVOCATION_REASONS).optional(), evidence: EvidenceSchema.optional() })
  .meta({ id: 'RevokeDirective' });
