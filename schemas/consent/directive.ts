// One directive: the body of a grant or an amendment, one schema per kind.
import { z } from 'zod';
import { ClinicalUseSchema, ResearchUseSchema } from './clinical-research.ts';
import { FamilySharingSchema, FindingsPreferencesSchema } from './findings-family.ts';
import { InsurerReleaseSchema, ThirdPartyReleaseSchema } from './release-authorization.ts';
import { ProxySchema } from './proxy.ts';

export const DIRECTIVE_KINDS = [
  'clinical_use',
  'research_use',
  'findings_preferences',
  'family_sharing',
  'insurer_release',
  'third_party_release',
  'proxy',
] as const;
export type DirectiveKind = (typeof DIRECTIVE_KINDS)[number];

export const DirectiveSchema = z
  .discriminatedUnion('kind', [
    ClinicalUseSchema,
    ResearchUseSchema,
    FindingsPreferencesSchema,
    FamilySharingSchema,
    InsurerReleaseSchema,
    ThirdPartyReleaseSchema,
    ProxySchema,
  ])
  .meta({ id: 'ConsentDirective' });
export type Directive = z.infer<typeof DirectiveSchema>;

/** The directive of one kind. */
export type DirectiveOf<K extends DirectiveKind> = Extract<Directive, { kind: K }>;
