// The words the access policy may use. The policy file is checked against these lists when it
// loads, so a typo in a reviewed line (say `varaints` in a deny) fails loudly instead of
// silently never matching.

export { ROLES, type Role } from '../../schemas/roles.ts';

export const RESOURCES = [
  'record',
  'variants',
  'consent',
  'audit',
  'policy',
  'account',
  'access_log',
  'care_team',
  'break_glass',
  'key',
  /** accounts linked to the patient (their own, a proxy's, a relative's): enrolment, reset, removal */
  'patient_account',
  /** the second person's approval of an enrolment (a staff account's, or one of a patient's circle) */
  'enrolment_approval',
  /** which patient an account (a patient's, a proxy's, a relative's) is linked to */
  'patient_link',
] as const;
export type Resource = (typeof RESOURCES)[number];

export const ACTIONS = ['read', 'create', 'update', 'delete'] as const;
export type Action = (typeof ACTIONS)[number];

export const PURPOSES = ['treatment', 'research', 'insurance', 'family', 'self', 'operations'] as const;
export type Purpose = (typeof PURPOSES)[number];

/**
 * The relationship between the person asking and the patient that a rule requires.
 * `any` means the rule needs no relationship (account management, creating a new record).
 */
export const RELATIONS = ['any', 'care_team', 'break_glass', 'self', 'proxy_for'] as const;
export type Relation = (typeof RELATIONS)[number];
/** The relations that are facts about a (user, patient) pair, looked up per request. */
export type RelationFact = Exclude<Relation, 'any'>;

export const EFFECTS = ['allow', 'deny'] as const;
export type Effect = (typeof EFFECTS)[number];

/** In the policy file, `*` in the resource, action or purpose column matches every value. */
export const WILDCARD = '*';

export function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}
