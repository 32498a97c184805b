// A proxy: someone who may act for the patient, on documented authority, within a scope.
import { z } from 'zod';
import { AccountIdSchema, CalendarDateSchema, DocumentReferenceSchema } from './text.ts';

export const PROXY_KINDS = ['legal_representative', 'parent_of_minor', 'guardian'] as const;
export type ProxyKind = (typeof PROXY_KINDS)[number];

/** What a proxy may do for the patient. */
export const PROXY_PERMISSIONS = ['view_record', 'view_results', 'view_access_log', 'manage_consents', 'authorize_releases'] as const;
export type ProxyPermission = (typeof PROXY_PERMISSIONS)[number];

export const ProxySchema = z
  .strictObject({
    kind: z.literal('proxy'),
    proxyKind: z.enum(PROXY_KINDS),
    proxyAccountId: AccountIdSchema,
    /** the power of attorney, birth certificate, court order... that gives the authority */
    documentation: DocumentReferenceSchema,
    permissions: z.array(z.enum(PROXY_PERMISSIONS)).min(1).max(PROXY_PERMISSIONS.length),
    expiresOn: CalendarDateSchema.optional(),
    /** a parent's access ends when the patient turns 18; the caller may also supply it at evaluation */
    patientBirthDate: CalendarDateSchema.optional(),
  })
  .refine((p) => new Set(p.permissions).size === p.permissions.length, { message: 'a permission is named twice', path: ['permissions'] })
  .refine((p) => p.patientBirthDate === undefined || p.proxyKind === 'parent_of_minor', {
    message: "only a parent's proxy records the patient's birth date",
    path: ['patientBirthDate'],
  });
export type Proxy = z.infer<typeof ProxySchema>;
