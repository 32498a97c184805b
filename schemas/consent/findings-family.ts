// What the patient wishes to learn, and what may be shared with which relative.
import { z } from 'zod';
import { AccountIdSchema, boundedText } from './text.ts';
import { ResultScopeSchema } from './result-scope.ts';

const wish = z.enum(['wish', 'decline']);

/** Every category answered: a form that leaves one blank is refused, never defaulted. */
export const FindingsPreferencesSchema = z.strictObject({
  kind: z.literal('findings_preferences'),
  categories: z.strictObject({
    acmg_secondary: wish,
    carrier_status: wish,
    pharmacogenomic: wish,
    adult_onset: wish,
  }),
});
export type FindingsPreferences = z.infer<typeof FindingsPreferencesSchema>;

/** Family relationships, named as HL7 v3 RoleCode names them (mapped in consent/fhir/). */
export const RELATIONSHIPS = [
  'parent', 'child', 'sibling', 'half_sibling', 'spouse', 'domestic_partner', 'grandparent', 'grandchild',
  'aunt', 'uncle', 'niece', 'nephew', 'cousin', 'other_family',
] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

/** A relative with an account (role `relative`), or a named person the counselor may contact. */
export const RelativeSchema = z.union([
  z.strictObject({ accountId: AccountIdSchema, relationship: z.enum(RELATIONSHIPS) }),
  z.strictObject({ name: boundedText(200), relationship: z.enum(RELATIONSHIPS) }),
]);
export type Relative = z.infer<typeof RelativeSchema>;

export const FamilySharingSchema = z.strictObject({
  kind: z.literal('family_sharing'),
  relative: RelativeSchema,
  share: ResultScopeSchema,
});
export type FamilySharing = z.infer<typeof FamilySharingSchema>;
