// Enrolment: how a person gets their own credentials. An admin (accounts of staff) or registration
// staff / a genetic counselor (accounts linked to a patient) issue the first half of a one-time
// code, a second person approves and issues the second half; the person redeems both, setting
// their own password and receiving their own TOTP secret.
import { z } from 'zod';
import { lineText } from './text.ts';
import { isoDate } from './dates.ts';
import { PROXY_KINDS } from './consent/proxy.ts';

/** The accounts that belong to a patient: their own, a legal proxy's, a relative's. */
export const PATIENT_LINK_ROLES = ['patient', 'proxy', 'relative'] as const;
export type PatientLinkRole = (typeof PATIENT_LINK_ROLES)[number];

/** How a relative is related to the patient (genetic results are shared by degree of kinship). */
export const RELATIVE_RELATIONSHIPS = [
  'parent',
  'child',
  'sibling',
  'half_sibling',
  'grandparent',
  'grandchild',
  'aunt_or_uncle',
  'niece_or_nephew',
  'cousin',
  'partner',
  'other',
] as const;
export type RelativeRelationship = (typeof RELATIVE_RELATIONSHIPS)[number];

/** Which credentials a reset clears (and the redemption sets again). */
export const CREDENTIAL_RESETS = ['password', 'totp', 'both'] as const;
export type CredentialReset = (typeof CREDENTIAL_RESETS)[number];

/** One line of evidence text, at least 3 characters (the vault's typed-text rules, ./text.ts). */
const printable = (max: number) => lineText(max, 3);

export const PatientEnrolmentBodySchema = z
  .strictObject({
    role: z.enum(PATIENT_LINK_ROLES),
    /** a reference to the identity document or proxy documentation checked in person */
    evidence: printable(200),
    relationship: z.enum(RELATIVE_RELATIONSHIPS).optional(),
    /** a proxy's authority: a legal representative (the default), a minor's parent (ends at 18) or a guardian */
    proxyKind: z.enum(PROXY_KINDS).optional(),
    /** when a proxy's authority ends, if the documentation says */
    proxyExpiresOn: isoDate().optional(),
  })
  .superRefine((body, ctx) => {
    for (const field of ['proxyKind', 'proxyExpiresOn'] as const) {
      if (body.role !== 'proxy' && body[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'only a proxy has it' });
    }
    if (body.role === 'relative' && body.relationship === undefined) ctx.addIssue({ code: 'custom', path: ['relationship'], message: 'a relative needs a relationship' });
    if (body.role !== 'relative' && body.relationship !== undefined) ctx.addIssue({ code: 'custom', path: ['relationship'], message: 'only a relative has a relationship' });
  });
export type PatientEnrolmentBody = z.infer<typeof PatientEnrolmentBodySchema>;

/** `enr_` and the first 8 characters of the code, in lower case: not secret, it names the enrolment. */
export const EnrolmentIdSchema = z.string().regex(/^enr_[a-z2-7]{8}$/, 'an enrolment id looks like enr_ followed by 8 letters and digits');

/** The second person approves an enrolment, saying what they checked; they receive the second half. */
export const ApproveEnrolmentBodySchema = z.strictObject({
  /** a reference to what was checked: the HR record for staff, the identity document or proxy documentation for a patient's circle */
  evidence: printable(200),
});

export const RedeemEnrolmentBodySchema = z.strictObject({
  username: z.string().min(1).max(64),
  /** the one-time code as handed over: 32 letters and digits, dashes and spaces ignored */
  code: z.string().min(1).max(64),
  /** the other half, when two people each handed one over (either order) */
  secondCode: z.string().min(1).max(64).optional(),
  /** required when the enrolment sets a password (new accounts, password resets) */
  newPassword: z.string().min(1).max(256).optional(),
});

export const CredentialResetBodySchema = z.strictObject({
  credentials: z.enum(CREDENTIAL_RESETS).default('both'),
});

export const IssuedEnrolmentSchema = z
  .object({
    enrolmentId: z.string(),
    /** shown once: hand it to the person, who redeems it at POST /v1/enrolments */
    code: z.string(),
    expiresAt: z.string(),
    /** whole: the code alone enrols; first: a second person approves and hands over the second half */
    half: z.enum(['whole', 'first', 'second']),
    /** for a first half: who may approve (one of these roles, never the issuer) */
    approverRoles: z.array(z.string()).optional(),
  })
  .meta({ id: 'IssuedEnrolment' });

export const RedeemedEnrolmentSchema = z.object({
  account: z.object({ accountId: z.string(), username: z.string(), roles: z.array(z.string()) }),
  /** the person's own TOTP secret, shown once; the first login with a code from it confirms it */
  totp: z.object({ secret: z.string(), uri: z.string() }).optional(),
});
