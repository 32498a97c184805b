// Request and response bodies of the vault API (beyond the clinical record in clinical.ts).
import { z } from 'zod';
import { RoleSchema } from './roles.ts';
import { INSURER_TYPES } from './consent/release-authorization.ts';
import { isoDateTime } from './dates.ts';
import { freeText, identifierText } from './text.ts';
import { MrnSchema } from './clinical.ts';

export const PurposeSchema = z.enum(['treatment', 'research', 'insurance', 'family', 'self', 'operations', 'disclosure']);
export { AccountIdSchema } from './ids.ts';
export { RoleSchema };

export const LoginBodySchema = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
  totp: z.string().regex(/^\d{6}$/, 'six digits').optional(),
});

export const SessionSchema = z.object({
  token: z.string(),
  expiresAt: z.string(),
  account: z.object({ accountId: z.string(), username: z.string(), roles: z.array(z.string()) }),
});

/**
 * A staff or service account. No password and no patient link: the person sets their own
 * password by redeeming the enrolment code, and patient-linked accounts come only from a
 * patient enrolment. Strict, so a client still sending `password` is told, not ignored.
 */
export const NewAccountBodySchema = z.strictObject({
  username: z.string().min(3).max(64),
  roles: z.array(RoleSchema).min(1).max(4),
  kind: z.enum(['human', 'service']).default('human'),
  /** an insurer's kind, required with the role insurer and fixed for the account's life */
  insurerType: z.enum(INSURER_TYPES).optional(),
});

export const AccountSummarySchema = z.object({
  accountId: z.string(),
  username: z.string(),
  kind: z.enum(['human', 'service']),
  roles: z.array(z.string()),
  /** the account belongs to a patient's circle (patient, proxy, relative); which patient is not shown */
  patientLinked: z.boolean(),
  insurerType: z.enum(INSURER_TYPES).optional(),
  disabled: z.boolean(),
  locked: z.boolean(),
  totp: z.enum(['none', 'pending', 'confirmed']),
  /** an enrolment code (new account or reset) waits to be redeemed */
  enrolmentPending: z.boolean(),
  /** its roles do not fit its kind (a service account holding a person's role, from an older version): it cannot authenticate */
  rolesRefused: z.boolean(),
  createdAt: z.string(),
});

/** Which patients an account is linked to: shown to the privacy officer only, never in an admin's views. */
export const PatientLinksSchema = z.object({
  accountId: z.string(),
  roles: z.array(z.string()),
  /** the patient's own account, a legal proxy, a recorded relative; empty for staff and services */
  links: z.array(z.object({ patientId: z.string(), as: z.enum(['patient', 'proxy', 'relative']) })),
});

export const ApiTokenIdSchema = z.string().regex(/^tok_[0-9a-f]{16}$/, 'a token id looks like tok_ followed by 16 hex digits');
const ExpiresInDaysSchema = z.number().int('whole days').min(1).max(3650).optional();

export const RotateApiTokenBodySchema = z.object({ expiresInDays: ExpiresInDaysSchema });

export const IssuedApiTokenSchema = z.object({ tokenId: z.string(), token: z.string(), expiresAt: z.string() });

export const ApiTokenSummarySchema = z.object({
  tokenId: z.string(),
  label: z.string(),
  issuedAt: z.string(),
  expiresAt: z.string(),
  state: z.enum(['active', 'expired', 'revoked']),
  revokedAt: z.string().optional(),
  replacedBy: z.string().optional(),
  rotatedFrom: z.string().optional(),
});

export const VariantsQuerySchema = z.object({
  gene: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, 'a gene symbol such as BRCA1 (HGNC approved, previous or alias)').optional(),
  region: z.string().max(64).regex(/^[A-Za-z0-9_.*:, -]+$/, 'a region such as 17:43044295-43125483 or chr17').optional(),
  significance: z.string().max(400).regex(/^[A-Za-z0-9_ ,/|-]+$/, 'ClinVar significance terms separated by commas').optional(),
  build: z.string().regex(/^[A-Za-z0-9._-]{1,20}$/, 'a reference build: GRCh37 or GRCh38 (hg19, hg38)').optional(),
  purpose: PurposeSchema.optional(),
  /** show findings the patient declined to learn unmasked: clinicians only, by break-the-glass (flagged) */
  unmask: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});

export const PurposeQuerySchema = z.object({ purpose: PurposeSchema.optional() });

/** POST /v1/ingests: whose VCF the body is (the patient by MRN), which of its samples, on which build. */
export const IngestQuerySchema = z.object({
  patient: MrnSchema,
  sample: z.string().regex(/^[\x21-\x7e]{1,128}$/, 'a sample column name of the VCF (printable, no spaces)').optional(),
  build: z.string().regex(/^[A-Za-z0-9._-]{1,20}$/, 'a reference build: GRCh37 or GRCh38 (hg19, hg38)').optional(),
  /** a target set the vault knows (`genovault targets add`): the regions the sample's assay covered */
  targets: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a target set name: letters, digits, . _ -').optional(),
});

/**
 * What an uploader gets back: what it needs to match its own records (sample ids and names, build,
 * counts), never the internal patient id or the MRN (the uploader reads no patient data).
 */
export const IngestReceiptSchema = z.strictObject({
  build: z.string(),
  records: z.number(),
  bytesRead: z.number(),
  samples: z.array(z.strictObject({
    sampleId: z.string(), name: z.string(), calls: z.number(), partitions: z.number(), coverage: z.string(),
  })),
  warnings: z.array(z.string()),
});

/** GET /v1/patients?mrn=: the patient with this MRN, when the caller may read their record. */
export const PatientLookupQuerySchema = z.object({
  mrn: MrnSchema,
  purpose: PurposeSchema.optional(),
});

export const BreakGlassBodySchema = z.object({
  reason: freeText(500, { min: 10, minMessage: 'say why, in at least 10 characters' }),
});

export const AuditQuerySchema = z.object({
  patientId: identifierText(64).optional(),
  actorId: identifierText(64).optional(),
  decision: z.enum(['permit', 'deny', 'success', 'failure']).optional(),
  resource: identifierText(32).optional(),
  flagged: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  from: isoDateTime().optional(),
  to: isoDateTime().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** A page of a patient's access log: `cursor` is the `nextCursor` of the page before. */
export const AccessLogQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(/^[1-9][0-9]{0,14}$/, 'the nextCursor of a previous page').optional(),
});

export const VariantSchema = z.object({
  chrom: z.string(),
  pos: z.number(),
  id: z.string().nullable(),
  ref: z.string(),
  alt: z.string(),
  altIndex: z.number(),
  genotype: z.string(),
  zygosity: z.string(),
  phased: z.boolean(),
  dp: z.number().nullable(),
  gq: z.number().nullable(),
  /** FORMAT AD: reads of the reference and of this allele; null when the VCF had no AD */
  adRef: z.number().int().nullable(),
  adAlt: z.number().int().nullable(),
  /** variant allele fraction (adAlt over the sum of AD), 0 to 1; null when AD is absent or sums to 0 */
  vaf: z.number().min(0).max(1).nullable(),
  qual: z.number().nullable(),
  filter: z.string().nullable(),
  gene: z.string().nullable(),
  geneSource: z.enum(['annotation', 'gene_table']).nullable(),
  consequence: z.string().nullable(),
  /** HGVS of this allele from ANN (SnpEff HGVS.c/HGVS.p) or CSQ (VEP HGVSc/HGVSp) */
  hgvsC: z.string().nullable(),
  hgvsP: z.string().nullable(),
  clnsig: z.string().nullable(),
  sampleId: z.string(),
  build: z.string().nullable(),
});

/** A variant in a category the patient declined to learn, as a clinician sees it: gene and category, the rest withheld. */
export const MaskedVariantSchema = z
  .object({
    masked: z.literal(true),
    note: z.literal('patient declined to learn'),
    declinedCategories: z.array(z.string()),
    gene: z.string().nullable(),
    chrom: z.string(),
    sampleId: z.string(),
    build: z.string().nullable(),
  })
  .meta({ id: 'MaskedVariant' });

/** A variant the patient declined to learn, shown to a clinician who broke the glass for it (flagged). */
export const UnmaskedVariantSchema = VariantSchema.extend({ declinedCategories: z.array(z.string()), unmaskedByBreakGlass: z.literal(true) });

/** What an answer says besides its rows: no samples, no annotation, samples left out, a region not covered, findings withheld. */
export const QueryNoteSchema = z.object({
  code: z.enum([
    'no_samples', 'no_significance_annotation', 'build_unverified', 'samples_left_out', 'samples_not_covering', 'gene_symbol_resolved', 'gene_not_in_table', 'region_not_covered',
    'declined_findings_left_out', 'declined_findings_masked', 'declined_findings_unmasked',
  ]),
  message: z.string(),
});
