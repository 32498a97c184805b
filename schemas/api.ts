// Request and response bodies of the vault API (beyond the clinical record in clinical.ts).
import { z } from 'zod';
import { RoleSchema } from './roles.ts';

export const PurposeSchema = z.enum(['treatment', 'research', 'insurance', 'family', 'self', 'operations']);
export const AccountIdSchema = z.string().regex(/^acc_[0-9a-f]{16}$/, 'an account id looks like acc_ followed by 16 hex digits');
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

export const NewAccountBodySchema = z.object({
  username: z.string().min(3).max(64),
  roles: z.array(RoleSchema).min(1).max(4),
  kind: z.enum(['human', 'service']).default('human'),
  password: z.string().min(1).max(256).optional(),
  patientId: z.string().optional(),
});

export const AccountSummarySchema = z.object({
  accountId: z.string(),
  username: z.string(),
  kind: z.enum(['human', 'service']),
  roles: z.array(z.string()),
  patientId: z.string().optional(),
  disabled: z.boolean(),
  locked: z.boolean(),
  totp: z.enum(['none', 'pending', 'confirmed']),
  createdAt: z.string(),
});

export const ApiTokenIdSchema = z.string().regex(/^tok_[0-9a-f]{16}$/, 'a token id looks like tok_ followed by 16 hex digits');
const ExpiresInDaysSchema = z.number().int('whole days').min(1).max(3650).optional();

export const IssueApiTokenBodySchema = z.object({
  label: z.string().min(1).max(64),
  /** the token's lifetime in days; the configured default (90) when absent, at most the configured maximum (365) */
  expiresInDays: ExpiresInDaysSchema,
});

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
  gene: z.string().regex(/^[A-Za-z0-9-]{1,30}$/, 'a gene symbol such as BRCA1').optional(),
  region: z.string().max(64).optional(),
  significance: z.string().max(200).optional(),
  purpose: PurposeSchema.optional(),
});

export const PurposeQuerySchema = z.object({ purpose: PurposeSchema.optional() });

export const BreakGlassBodySchema = z.object({
  reason: z.string().trim().min(10, 'say why, in at least 10 characters').max(500),
});

export const AuditQuerySchema = z.object({
  patientId: z.string().max(64).optional(),
  actorId: z.string().max(64).optional(),
  decision: z.enum(['permit', 'deny', 'success', 'failure']).optional(),
  resource: z.string().max(32).optional(),
  flagged: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
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
  qual: z.number().nullable(),
  filter: z.string().nullable(),
  gene: z.string().nullable(),
  consequence: z.string().nullable(),
  clnsig: z.string().nullable(),
  sampleId: z.string(),
});
