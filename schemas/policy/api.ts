// Bodies and answers of the policy routes: the active version, proposals, the board's decision,
// the what-if replay and explanations.
import { z } from 'zod';
import { RELEASE_PURPOSES } from '../consent/release-authorization.ts';
import { AccountIdSchema, PurposeSchema, RoleSchema } from '../api.ts';
import { PatientIdSchema } from '../clinical.ts';
import { freeText } from '../text.ts';
import { PolicyTextSchema, PolicyVersionSchema, ProposalIdSchema } from './events.ts';

export const ProposalBodySchema = z
  .strictObject({
    /** the whole new policy file */
    text: PolicyTextSchema,
    rationale: freeText(4000, { min: 10, minMessage: 'say why, in at least 10 characters' }),
  })
  .meta({ id: 'PolicyProposal' });

export const DecisionBodySchema = z
  .strictObject({
    decision: z.enum(['approve', 'reject']),
    reason: freeText(2000, { min: 10, minMessage: 'give the board\u2019s reason, in at least 10 characters' }),
  })
  .meta({ id: 'PolicyDecision' });

export const ProposalParamsSchema = z.object({ proposalId: ProposalIdSchema });
export const VersionParamsSchema = z.object({ version: z.string().regex(/^[1-9][0-9]{0,5}$/, 'a version number').transform(Number) });

/** A word of the policy vocabulary (resource, action): lower-case letters and underscores. */
const policyWord = z.string().regex(/^[a-z][a-z_]{0,31}$/, 'a word of the policy vocabulary');

/**
 * Fact names and their booleans. Checked here rather than as a zod record, whose errors would
 * put the submitted key in the error's path: a key is input too, and is never repeated.
 */
const RelationFactsSchema = z
  .record(z.string(), z.unknown())
  .superRefine((facts, ctx) => {
    const entries = Object.entries(facts);
    if (entries.length > 32) ctx.addIssue({ code: 'custom', message: 'at most 32 facts' });
    else if (!entries.every(([name]) => /^[a-z][a-z_]{0,31}$/.test(name))) ctx.addIssue({ code: 'custom', message: 'fact names are lower-case words joined by _' });
    else if (!entries.every(([, value]) => typeof value === 'boolean')) ctx.addIssue({ code: 'custom', message: 'every fact is true or false' });
  })
  .transform((facts) => facts as Record<string, boolean>);

/**
 * Who asks, about whom, for what. The relationship facts are either given as booleans (a
 * hypothetical question: no stored data is read) or looked up fresh for a real account and
 * patient (which is audited).
 */
export const ExplainBodySchema = z
  .strictObject({
    subject: z.strictObject({
      /** the roles to decide for; with accountId and no roles, the account's current roles */
      roles: z.array(RoleSchema).max(13).optional(),
      /** look the relationship facts up for this account and `patientId` */
      accountId: AccountIdSchema.optional(),
    }),
    /** the relationship facts, when not looked up: care_team, break_glass, self, clinical_use, proxy_view_record... */
    relations: RelationFactsSchema.optional(),
    /** the patient the request is about; null for a request about no patient */
    patientId: PatientIdSchema.nullable(),
    resource: policyWord,
    action: policyWord,
    purpose: PurposeSchema,
    /** also answer under this proposal */
    proposalId: ProposalIdSchema.optional(),
    /** an insurer's or outside recipient's release purpose, which their rules need (with an account to look up) */
    releasePurpose: z.enum(RELEASE_PURPOSES).optional(),
  })
  .superRefine((body, ctx) => {
    const lookUp = body.subject.accountId !== undefined;
    if (lookUp && body.relations !== undefined) ctx.addIssue({ code: 'custom', path: ['relations'], message: 'give the facts or an account to look them up for, not both' });
    if (lookUp && body.patientId === null) ctx.addIssue({ code: 'custom', path: ['patientId'], message: 'looking facts up needs the patient' });
    if (!lookUp && body.subject.roles === undefined) ctx.addIssue({ code: 'custom', path: ['subject', 'roles'], message: 'give the roles, or an account' });
  })
  .meta({ id: 'PolicyExplainRequest' });

// Answers

export const RuleViewSchema = z.object({ id: z.string(), line: z.number(), text: z.string(), sentence: z.string(), effect: z.enum(['allow', 'deny']) }).meta({ id: 'PolicyRule' });

/** An account as the board sees it in the policy history; `host` for the vault itself. */
export const ActorViewSchema = z.object({ accountId: z.string(), username: z.string().nullable() });

export const PolicyVersionViewSchema = z
  .object({
    version: PolicyVersionSchema,
    active: z.boolean(),
    activatedAt: z.string(),
    /** `shipped`: the policy file of the release that created the vault; `proposal`: approved by the board */
    source: z.enum(['shipped', 'proposal']),
    proposalId: z.string().nullable(),
    rationale: z.string().nullable(),
    approvedBy: ActorViewSchema.nullable(),
    approvedAt: z.string().nullable(),
    approvalReason: z.string().nullable(),
    /** SHA-256 of the policy text, to compare with a copy */
    sha256: z.string(),
    rules: z.array(RuleViewSchema),
  })
  .meta({ id: 'PolicyVersion' });

export const PolicyDiffSchema = z
  .object({
    added: z.array(RuleViewSchema),
    removed: z.array(RuleViewSchema),
    changed: z.array(z.object({ id: z.string(), before: RuleViewSchema, after: RuleViewSchema })),
    unchanged: z.number(),
  })
  .meta({ id: 'PolicyDiff' });

export const ProposalSummarySchema = z
  .object({
    proposalId: z.string(),
    status: z.enum(['pending', 'approved', 'rejected', 'superseded']),
    /** the version it was proposed against */
    basedOn: z.number(),
    proposedBy: ActorViewSchema,
    proposedAt: z.string(),
    rationale: z.string(),
    decision: z.object({ decision: z.enum(['approved', 'rejected']), reason: z.string(), decidedBy: ActorViewSchema, decidedAt: z.string() }).nullable(),
    /** the version it became, once approved */
    version: z.number().nullable(),
  })
  .meta({ id: 'PolicyProposalSummary' });

export const ProposalViewSchema = ProposalSummarySchema.extend({ text: z.string(), diff: PolicyDiffSchema }).meta({ id: 'PolicyProposalView' });

const OutcomeSchema = z.enum(['permit', 'permit_break_glass', 'deny']);
const TallySchema = { permitToDeny: z.number(), denyToPermit: z.number(), breakGlassChanged: z.number() };

export const WhatIfReportSchema = z
  .object({
    proposalId: z.string(),
    activeVersion: z.number(),
    window: z.object({ from: z.string(), to: z.string() }),
    examined: z.number(),
    replayed: z.number(),
    notReplayable: z.number(),
    recordedUnderOtherVersions: z.number(),
    unchanged: z.number(),
    changed: z.number(),
    otherRuleOnly: z.number(),
    changes: z.object(TallySchema),
    byRule: z.array(z.object({ before: z.string().nullable(), after: z.string().nullable(), from: OutcomeSchema, to: OutcomeSchema, count: z.number() })),
    byRole: z.array(z.object({ role: z.string(), ...TallySchema })),
    byResource: z.array(z.object({ resource: z.string(), ...TallySchema })),
    examples: z.array(
      z.object({
        auditSeq: z.number(),
        requestId: z.string().nullable(),
        at: z.string(),
        actorId: z.string().nullable(),
        roles: z.array(z.string()),
        resource: z.string(),
        action: z.string(),
        purpose: z.string(),
        before: z.object({ outcome: OutcomeSchema, rule: z.string().nullable() }),
        after: z.object({ outcome: OutcomeSchema, rule: z.string().nullable() }),
      }),
    ),
  })
  .meta({ id: 'PolicyWhatIf' });

const ExplainedSchema = z.object({
  decision: z.enum(['permit', 'deny']),
  breakGlass: z.boolean(),
  rule: RuleViewSchema.nullable(),
  explanation: z.string(),
  /** what a permit rested on in the patient's consents (looked-up facts only): a directive and its version, or the hospital default */
  consentBasis: z.array(z.union([z.object({ fact: z.string(), directiveId: z.string(), version: z.number() }), z.object({ fact: z.string(), hospitalDefault: z.literal(true) })])),
  /** for a refusal on looked-up facts: the directives (with their defect codes), or the hospital default, that kept a rule for the request from applying */
  consentBars: z.array(z.union([z.object({ fact: z.string(), directiveId: z.string(), version: z.number(), defects: z.array(z.string()) }), z.object({ fact: z.string(), hospitalDefault: z.literal(true) })])),
});

export const ExplainAnswerSchema = z
  .object({
    policyVersion: z.number(),
    ...ExplainedSchema.shape,
    /** the facts decided on, and whether they were given or looked up */
    relations: z.record(z.string(), z.boolean()),
    factsFrom: z.enum(['request', 'lookup']),
    underProposal: ExplainedSchema.extend({ proposalId: z.string() }).optional(),
  })
  .meta({ id: 'PolicyExplanation' });
