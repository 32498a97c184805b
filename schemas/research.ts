// Research projects and cohort queries as the API takes them: a project proposal, the ethics
// board's decision, and a cohort query. The research gateway stores and answers these forms;
// its answers are described in research-answers.ts, the Beacon v2 query in beacon.ts.
import { z } from 'zod';
import { COMMITMENTS, CountryCodeSchema, DiseaseIdSchema, DuoPurposeTermIdSchema, IsoDateSchema, SENSITIVE_ASPECTS } from './duo.ts';
import { AccountIdSchema } from './consent/text.ts';
import { ConditionSchema } from './clinical.ts';
import { lineText } from './text.ts';
import { CLINVAR_SIGNIFICANCE_TERMS } from './clinvar-significance.ts';

/** What a project may ask for, from least to most revealing. */
export const RESEARCH_LEVELS = ['count', 'aggregate', 'records'] as const;
export type ResearchLevel = (typeof RESEARCH_LEVELS)[number];

export const ProjectIdSchema = z.string().regex(/^rp_[0-9a-f]{16}$/, 'a project id looks like rp_ followed by 16 hex digits');

/** A group of consents the DUO matcher sent to review for a project (a keyed hash of their scope). */
export const ReviewGroupIdSchema = z.string().regex(/^rg_[0-9a-f]{16}$/, 'a review group id looks like rg_ followed by 16 hex digits');

const isPurposeTerm = (term: string) => DuoPurposeTermIdSchema.safeParse(term).success;
const isDisease = (term: string) => DiseaseIdSchema.safeParse(term).success;
const PurposeTermSchema = z
  .string()
  .max(20)
  .refine((t) => isPurposeTerm(t) || isDisease(t), 'a DUO purpose term (DUO:0000031 to DUO:0000040, or GRU, HMB, DS, POA by id) or a disease id (DOID, MONDO)');

const noRepeats = (items: readonly string[]) => new Set(items).size === items.length;

export const ProjectProposalSchema = z
  .strictObject({
    title: lineText(200),
    /** DUO purpose terms and the disease ids they are about: ["DUO:0000007", "DOID:162"] */
    purpose: z.array(PurposeTermSchema).min(1).max(40),
    /** the requesting organisation is for-profit (DUO NPU, NPUNCU) */
    forProfit: z.boolean(),
    /** the use is commercial (DUO NCU, NPUNCU) */
    commercial: z.boolean(),
    sensitive: z.array(z.enum(SENSITIVE_ASPECTS)).max(SENSITIVE_ASPECTS.length).default([]),
    /** what the project undertakes (DUO COL, PUB, RTN) */
    commitments: z.array(z.enum(COMMITMENTS)).max(COMMITMENTS.length).default([]),
    /** the ethics approval reference (DUO IRB) */
    irb: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/, 'a reference of 1 to 64 letters, digits or . _ / -').optional(),
    /** where the data will be used (DUO GS) */
    country: CountryCodeSchema,
    /** the accounts that may query (researchers); the proposer is always one */
    members: z.array(AccountIdSchema).max(50).default([]),
    level: z.enum(RESEARCH_LEVELS),
    start: IsoDateSchema,
    end: IsoDateSchema,
    /** the earliest day results will be published (DUO MOR) */
    publishAfter: IsoDateSchema.optional(),
  })
  .superRefine((p, ctx) => {
    if (p.end < p.start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'the end date is before the start date' });
    if (!p.purpose.some(isPurposeTerm)) ctx.addIssue({ code: 'custom', path: ['purpose'], message: 'name at least one DUO purpose term' });
    if (!noRepeats(p.purpose)) ctx.addIssue({ code: 'custom', path: ['purpose'], message: 'a term appears twice' });
    if (!noRepeats(p.members)) ctx.addIssue({ code: 'custom', path: ['members'], message: 'a member appears twice' });
    if (!noRepeats(p.sensitive)) ctx.addIssue({ code: 'custom', path: ['sensitive'], message: 'an aspect appears twice' });
  })
  .meta({ id: 'ProjectProposal' });
export type ProjectProposal = z.infer<typeof ProjectProposalSchema>;

/** `review_groups`: include or exclude groups of review consents for an approved project, leaving its budget and dates as they are. */
export const PROJECT_DECISIONS = ['approve', 'reject', 'suspend', 'reinstate', 'review_groups'] as const;
export type ProjectDecisionKind = (typeof PROJECT_DECISIONS)[number];

export const ProjectDecisionSchema = z
  .strictObject({
    decision: z.enum(PROJECT_DECISIONS),
    reason: lineText(500),
    /**
     * approve or review_groups (required there): for each group of consents DUO matching sent to
     * review, whether its patients take part; groups not named keep the board's earlier choice
     */
    reviewGroups: z.record(ReviewGroupIdSchema, z.enum(['include', 'exclude'])).optional(),
    /** approve only: the privacy budget (total epsilon); by default the approval's own, or the configured default for a first approval or a renewal after expiry */
    budget: z.number().positive().max(1000).optional(),
    /** approve only: the last day of this approval (a renewal gives a later one); the approval's own end, else the proposal's, by default */
    end: IsoDateSchema.optional(),
  })
  .superRefine((d, ctx) => {
    const withGroups = d.decision === 'approve' || d.decision === 'review_groups';
    if (!withGroups && d.reviewGroups !== undefined) ctx.addIssue({ code: 'custom', path: ['reviewGroups'], message: 'review groups are decided with an approval or a review_groups decision' });
    if (d.decision === 'review_groups' && Object.keys(d.reviewGroups ?? {}).length === 0) ctx.addIssue({ code: 'custom', path: ['reviewGroups'], message: 'name at least one review group to include or exclude' });
    if (d.decision !== 'approve' && d.budget !== undefined) ctx.addIssue({ code: 'custom', path: ['budget'], message: 'a budget is set with an approval' });
    if (d.decision !== 'approve' && d.end !== undefined) ctx.addIssue({ code: 'custom', path: ['end'], message: 'an end date is set with an approval' });
  })
  .meta({ id: 'ProjectDecision' });
export type ProjectDecision = z.infer<typeof ProjectDecisionSchema>;

/** The widest region a cohort query may name: cohort questions are about a gene or a region, not a chromosome. */
export const MAX_REGION_BASES = 5_000_000;

const ChromSchema = z.string().regex(/^(chr)?([1-9]|1[0-9]|2[0-2]|X|Y|M|MT)$/i, 'a chromosome: 1-22, X, Y or M, with or without chr');
const RegionSchema = z
  .string()
  .regex(/^(chr)?([1-9]|1[0-9]|2[0-2]|X|Y|M|MT):[0-9]{1,10}-[0-9]{1,10}$/i, 'a region as chrom:start-end, 1-based and inclusive (17:43044295-43125483)')
  .refine((r) => {
    const [start, end] = r.slice(r.lastIndexOf(':') + 1).split('-').map(Number) as [number, number];
    return start >= 1 && end >= start && end - start < MAX_REGION_BASES;
  }, `start from 1, end not before start, at most ${MAX_REGION_BASES.toLocaleString('en-US')} bases`);

export const CohortVariantSchema = z.union(
  [
    z.strictObject({ gene: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, 'a gene symbol such as BRCA1') }),
    z.strictObject({ region: RegionSchema }),
    z.strictObject({
      chrom: ChromSchema,
      pos: z.number().int().min(1).max(2_147_483_647),
      ref: z.string().regex(/^[ACGTNacgtn]{1,200}$/, 'reference bases (A, C, G, T, N)'),
      alt: z.string().regex(/^[ACGTNacgtn]{1,200}$/, 'alternate bases (A, C, G, T, N)'),
    }),
  ],
  { error: 'one of {"gene"}, {"region"} or {"chrom", "pos", "ref", "alt"}' },
);
export type CohortVariant = z.infer<typeof CohortVariantSchema>;

const SignificanceTermSchema = z
  .string()
  .max(64)
  .transform((t) => t.trim().toLowerCase().replace(/ /g, '_'))
  .refine((t) => CLINVAR_SIGNIFICANCE_TERMS.includes(t), 'a ClinVar significance term (pathogenic, likely_pathogenic, uncertain_significance, likely_benign, benign...)');

/** Zygosities a count or records query may ask carriers to have. */
export const COHORT_ZYGOSITIES = ['het', 'hom_alt', 'hemizygous'] as const;

export const CohortQuerySchema = z
  .strictObject({
    level: z.enum(RESEARCH_LEVELS),
    variant: CohortVariantSchema.optional(),
    significance: z.array(SignificanceTermSchema).min(1).max(10).optional(),
    zygosity: z.array(z.enum(COHORT_ZYGOSITIES)).min(1).max(COHORT_ZYGOSITIES.length).optional(),
    /** ICD-10 codes or HPO terms; a patient matches when any recorded condition is one of them or lies under one (C50 covers C50.9) */
    conditions: z.array(ConditionSchema.shape.code).min(1).max(20).optional(),
    sex: z.enum(['female', 'male', 'other', 'unknown']).optional(),
    /** whole years: this year minus the year of birth */
    age: z
      .strictObject({ min: z.number().int().min(0).max(150).optional(), max: z.number().int().min(0).max(150).optional() })
      .refine((a) => a.min !== undefined || a.max !== undefined, 'give min, max or both')
      .refine((a) => a.min === undefined || a.max === undefined || a.min <= a.max, 'min is above max')
      .optional(),
    /** GRCh37 or GRCh38 (or hg19, hg38...); required when the consented samples are on several builds */
    assembly: z.string().regex(/^[A-Za-z0-9._-]{1,32}$/, 'a reference build name such as GRCh38').optional(),
  })
  .superRefine((q, ctx) => {
    if (q.level === 'aggregate' && q.zygosity) ctx.addIssue({ code: 'custom', path: ['zygosity'], message: 'aggregates count every genotype; zygosity applies to count and records queries' });
    if ((q.significance || q.zygosity) && !q.variant) ctx.addIssue({ code: 'custom', path: ['variant'], message: 'significance and zygosity filters need a gene, region or variant' });
    if (q.level === 'aggregate' && !q.variant) ctx.addIssue({ code: 'custom', path: ['variant'], message: 'aggregates are per variant: give a gene, region or variant' });
  })
  .meta({ id: 'CohortQuery' });
export type CohortQuery = z.infer<typeof CohortQuerySchema>;
