// The policy log's events: the shipped policy recorded as version 1 (`baseline`), a proposed new
// version, the ethics board's decision on it, and its activation as the next version. The time
// of each is the sealed log's own timestamp of the entry.
import { z } from 'zod';
import { unsafeTextProblem } from '../text.ts';

export const ProposalIdSchema = z.string().regex(/^pp_[0-9a-f]{16}$/, 'a proposal id looks like pp_ followed by 16 hex digits');
export const PolicyVersionSchema = z.number().int().min(1).max(1_000_000);

/** The largest policy file accepted (the shipped one is about 8 KB). */
export const MAX_POLICY_TEXT = 200_000;

/**
 * The whole text of a policy file as reviewers read it. Nothing is trimmed or normalised, so
 * the line numbers in errors and decisions are the file's own; control characters other than
 * tab and line breaks, bidirectional overrides and lone surrogates are refused.
 */
export const PolicyTextSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_POLICY_TEXT, `at most ${MAX_POLICY_TEXT} characters`)
  .superRefine((text, ctx) => {
    const problem = unsafeTextProblem(text, { lineBreaks: true });
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Who took a step: an account (with the roles it held then), or the vault host itself. */
export const PolicyActorSchema = z.strictObject({
  accountId: z.string().regex(/^[A-Za-z0-9_.:@-]{1,128}$/, 'an account id, or host'),
  roles: z.array(z.string().regex(/^[a-z][a-z_]{0,31}$/)).max(20),
});
export type PolicyActor = z.infer<typeof PolicyActorSchema>;

/** Free text a person wrote (a rationale, a reason): kept in the sealed policy log only. */
const statement = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((text) => unsafeTextProblem(text, { lineBreaks: true }) === null, 'must be plain text');

export const POLICY_DECISIONS = ['approved', 'rejected'] as const;

export const PolicyEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('baseline'), version: z.literal(1), text: PolicyTextSchema }),
  z.strictObject({
    type: z.literal('proposed'),
    proposalId: ProposalIdSchema,
    /** the version active when it was proposed: its diff and what-if are against that one */
    basedOn: PolicyVersionSchema,
    text: PolicyTextSchema,
    rationale: statement(4000),
    proposedBy: PolicyActorSchema,
  }),
  z.strictObject({
    type: z.literal('decided'),
    proposalId: ProposalIdSchema,
    decision: z.enum(POLICY_DECISIONS),
    reason: statement(2000),
    decidedBy: PolicyActorSchema,
  }),
  z.strictObject({ type: z.literal('activated'), proposalId: ProposalIdSchema, version: PolicyVersionSchema }),
]);
export type PolicyEvent = z.infer<typeof PolicyEventSchema>;
