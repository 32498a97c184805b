// Releases to an insurer or a named third party, each under a HIPAA authorization with the
// elements of 45 CFR 164.508(c). Every element is optional *here*: a signed form is recorded as
// received, and one that lacks an element is kept and judged defective by the evaluation
// (consent/evaluation/release-verdict.ts), which then permits nothing under it. It is never
// completed or defaulted silently. Shape and bounds are still strict.
import { z } from 'zod';
import { AccountIdSchema, CalendarDateSchema, DocumentReferenceSchema, boundedText } from './text.ts';
import { ResultScopeSchema } from './result-scope.ts';

export const INSURER_TYPES = ['health_plan', 'life', 'disability', 'long_term_care'] as const;
export type InsurerType = (typeof INSURER_TYPES)[number];

export const THIRD_PARTY_TYPES = ['hospital', 'physician', 'laboratory', 'other'] as const;

/** How the vault names a recipient: an account id, or an external identifier such as `npi:1234567890`. */
export const RecipientIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'a recipient id is 1 to 64 letters, digits or . _ : -');

/** Why the information is released (164.508(c)(1)(iv)). */
export const RELEASE_PURPOSES = [
  'underwriting',
  'claims',
  'continuing_care',
  'second_opinion',
  'legal',
  'at_request_of_individual',
  'other',
] as const;
export type ReleasePurpose = (typeof RELEASE_PURPOSES)[number];

const PurposeSchema = z
  .strictObject({ code: z.enum(RELEASE_PURPOSES), description: boundedText(300).optional() })
  .refine((p) => p.code !== 'other' || p.description !== undefined, { message: 'describe an "other" purpose', path: ['description'] });

/** An expiry date, or an expiry event (with the date it occurred, once it has). */
const ExpirySchema = z
  .strictObject({ on: CalendarDateSchema.optional(), event: boundedText(300).optional(), eventOccurredOn: CalendarDateSchema.optional() })
  .refine((e) => e.on !== undefined || e.event !== undefined, 'an expiry date or an expiry event')
  .refine((e) => e.eventOccurredOn === undefined || e.event !== undefined, { message: 'an occurrence date needs its event', path: ['eventOccurredOn'] });

/** Who signed: the patient, or a personal representative with a description of their authority. */
const SignerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('patient') }),
  z.strictObject({
    type: z.literal('representative'),
    accountId: AccountIdSchema.optional(),
    name: boundedText(200).optional(),
    authority: boundedText(500).optional(),
  }),
]);

const SignatureSchema = z.strictObject({
  reference: DocumentReferenceSchema.optional(),
  signedOn: CalendarDateSchema.optional(),
  signer: SignerSchema.optional(),
});

/** The statements 164.508(c)(2) requires the form to make, as acknowledged on the form. */
const StatementsSchema = z.strictObject({
  rightToRevoke: z.boolean().optional(),
  noConditioning: z.boolean().optional(),
  redisclosure: z.boolean().optional(),
});

const authorizationElements = {
  /** (c)(1)(ii): who is authorized to disclose (the hospital, or a department of it) */
  discloser: boundedText(200).optional(),
  /** (c)(1)(i): the information, specifically: categories of findings or reported variants */
  information: ResultScopeSchema.optional(),
  purposes: z.array(PurposeSchema).min(1).max(8).optional(),
  expiry: ExpirySchema.optional(),
  signature: SignatureSchema.optional(),
  statements: StatementsSchema.optional(),
};

export const InsurerReleaseSchema = z.strictObject({
  kind: z.literal('insurer_release'),
  /** (c)(1)(iii) */
  recipient: z.strictObject({ id: RecipientIdSchema, name: boundedText(200), insurerType: z.enum(INSURER_TYPES) }).optional(),
  ...authorizationElements,
});
export type InsurerRelease = z.infer<typeof InsurerReleaseSchema>;

export const ThirdPartyReleaseSchema = z.strictObject({
  kind: z.literal('third_party_release'),
  /** (c)(1)(iii) */
  recipient: z.strictObject({ id: RecipientIdSchema, name: boundedText(200), type: z.enum(THIRD_PARTY_TYPES) }).optional(),
  ...authorizationElements,
});
export type ThirdPartyRelease = z.infer<typeof ThirdPartyReleaseSchema>;

export type ReleaseDirective = InsurerRelease | ThirdPartyRelease;
