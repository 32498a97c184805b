// Path, query and response schemas of the consent routes, the findings views that follow
// consents (shared with a relative, released to an insurer or named recipient), the accounting of
// disclosures and the oversight reports. Request bodies of the directive routes are in events.ts.
import { z } from 'zod';
import { PatientIdSchema } from '../clinical.ts';
import { DirectiveIdSchema } from './text.ts';
import { DIRECTIVE_KINDS, DirectiveSchema } from './directive.ts';
import { RECORDER_ROLES, REVOCATION_REASONS } from './events.ts';
import { RELEASE_PURPOSES } from './release-authorization.ts';
import { FINDINGS_CATEGORIES } from './result-scope.ts';
import { isoDateTime } from '../dates.ts';

export const ConsentPathSchema = z.object({ id: PatientIdSchema });
export const DirectivePathSchema = z.object({ id: PatientIdSchema, directiveId: DirectiveIdSchema });

/** A directive as the consent routes show it: its latest version and who recorded it. */
export const DirectiveRecordSchema = z
  .object({
    directiveId: z.string(),
    kind: z.enum(DIRECTIVE_KINDS),
    version: z.number(),
    status: z.enum(['in_force', 'revoked']),
    directive: DirectiveSchema,
    grantedAt: z.string(),
    updatedAt: z.string(),
    revokedAt: z.string().optional(),
    /** absent for a proxy link from before the ledger */
    recordedBy: z.object({ accountId: z.string(), role: z.enum(RECORDER_ROLES) }).optional(),
    evidence: z.object({ reference: z.string() }).optional(),
    /** `legacy_proxy_link`: a proxy link from before the ledger, in force until a proxy directive supersedes it */
    source: z.enum(['ledger', 'legacy_proxy_link']),
  })
  .meta({ id: 'ConsentDirectiveRecord' });

export const CurrentConsentsSchema = z.object({
  patientId: z.string(),
  directives: z.array(DirectiveRecordSchema),
  /** what clinical use follows now: the directive, or the hospital default when there is none */
  clinicalUse: z.object({ permitted: z.boolean(), basis: z.enum(['directive', 'hospital_default']) }),
});

export const ConsentHistoryEntrySchema = z.object({
  at: z.string(),
  type: z.enum(['granted', 'amended', 'revoked']),
  directiveId: z.string(),
  version: z.number(),
  kind: z.enum(DIRECTIVE_KINDS),
  recordedBy: z.object({ accountId: z.string(), role: z.enum(RECORDER_ROLES) }),
  evidence: z.object({ reference: z.string() }).optional(),
  replaces: z.number().optional(),
  reason: z.enum(REVOCATION_REASONS).optional(),
  /** the content of a grant or amendment */
  directive: DirectiveSchema.optional(),
});

/** What became of the samples when research consent was withdrawn with `erase_samples`. */
export const ErasureOutcomeSchema = z.object({
  /** `erased`: every sample destroyed; `pending_operator`: the vault cannot rotate its master key itself (it comes from the environment), so the operator runs `genovault erase-sample` */
  status: z.enum(['erased', 'pending_operator', 'no_samples']),
  samplesErased: z.number(),
  samplesPending: z.number(),
});

export const DirectiveChangeSchema = DirectiveRecordSchema.extend({ erasure: ErasureOutcomeSchema.optional() });

/** Why an insurer or named recipient asks (HIPAA 164.508(c)(1)(iv)); the authorization must name it. */
export const ReleaseQuerySchema = z.object({ releasePurpose: z.enum(RELEASE_PURPOSES) });

/** A finding as a relative, an insurer or a named recipient receives it: the variant and its gene, nothing of the record. */
export const ReleasedFindingSchema = z.object({
  build: z.string().nullable(),
  chrom: z.string(),
  pos: z.number(),
  ref: z.string(),
  alt: z.string(),
  gene: z.string().nullable(),
  zygosity: z.string(),
  clnsig: z.string().nullable(),
  /** the findings categories the gene belongs to */
  categories: z.array(z.enum(FINDINGS_CATEGORIES)),
});

export const ReleasedFindingsSchema = z.object({
  patientId: z.string(),
  findings: z.array(ReleasedFindingSchema),
  /** the directive the answer rests on, at the version in force */
  basis: z.object({ directiveId: z.string(), version: z.number() }),
});

export const DisclosuresQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

/** One entry of the accounting of disclosures (45 CFR 164.528). */
export const DisclosureSchema = z.object({
  at: z.string(),
  recipient: z.object({ accountId: z.string().nullable(), name: z.string(), kind: z.enum(['insurer', 'third_party', 'relative']) }),
  /** what was disclosed: the findings categories and variants the directive names, and how many findings went out */
  what: z.object({ categories: z.array(z.enum(FINDINGS_CATEGORIES)), variants: z.number(), findingsDisclosed: z.number() }),
  purpose: z.string(),
  /** the authorization or sharing directive it relied on */
  basis: z.object({ directiveId: z.string(), version: z.number() }),
  /** exempt from the accounting the patient may request (164.528(a)(1)), and why; listed anyway */
  exempt: z.boolean(),
  exemption: z.string().nullable(),
});

export const DisclosuresSchema = z.object({ from: z.string(), items: z.array(DisclosureSchema) });

/** Counts of directives by kind and state, over every patient: what oversight sees of consents. */
export const ConsentReportSchema = z.object({
  patients: z.number(),
  byKind: z.array(z.object({ kind: z.enum(DIRECTIVE_KINDS), inForce: z.number(), revoked: z.number() })),
  /** research consents in force by DUO permission (GRU, HMB, DS, POA, NRES), and withdrawals by mode */
  research: z.object({ byPermission: z.record(z.string(), z.number()), withdrawn: z.record(z.string(), z.number()) }),
  clinicalUse: z.object({ permit: z.number(), deny: z.number(), hospitalDefault: z.enum(['permit', 'deny']) }),
});

export const InsurerAttemptsQuerySchema = z.object({
  from: isoDateTime().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const InsurerAttemptSchema = z.object({
  at: z.string(),
  insurer: z.string(),
  patientId: z.string().nullable(),
  route: z.string().nullable(),
  decision: z.string(),
  rule: z.string().nullable(),
  /** why a release was refused (`no_authorization`, `defective:<defects>`), or what a permit rested on */
  reason: z.string().nullable(),
});
