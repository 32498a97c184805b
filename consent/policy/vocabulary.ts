// The words the access policy may use. The policy file is checked against these lists when it
// loads, so a typo in a reviewed line (say `varaints` in a deny) fails loudly instead of
// silently never matching.

export { ROLES, type Role } from '../../schemas/roles.ts';

export const RESOURCES = [
  'record',
  'variants',
  /** the patient's consent directives: clinical use, research use, findings preferences, family sharing */
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
  /** HIPAA authorizations of releases to an insurer or a named third party */
  'release_authorization',
  /** proxy directives: who may act for the patient, on what documented authority */
  'proxy_authority',
  /** variants in categories the patient declined to learn, shown unmasked */
  'declined_findings',
  /** the findings a patient shares with a relative's account */
  'shared_findings',
  /** the findings a HIPAA authorization releases to an insurer or a named third party */
  'released_findings',
  /** a patient's data as a research project uses it, de-identified, through the research gateway */
  'research_data',
  /** counts of directives by kind and state, without any patient's directives */
  'consent_report',
  /** research projects: proposals, the ethics board's decisions, reports */
  'research_project',
  /** de-identified answers about a project's consented cohort (counts, aggregates, records, Beacon) */
  'cohort',
  /** the second person's approval of an enrolment (a staff account's, or one of a patient's circle) */
  'enrolment_approval',
  /** which patient an account (a patient's, a proxy's, a relative's) is linked to */
  'patient_link',
  /** a service account's own API token, replaced by the service itself (the token it presents) */
  'api_token',
  /** how a person relates to a patient (people and consent facts), looked up to explain a decision */
  'decision_facts',
] as const;
export type Resource = (typeof RESOURCES)[number];

/**
 * The last four are steps on the policy itself: propose a new version, replay recent decisions
 * under a proposal (what-if), approve or reject a proposal, have a decision explained.
 */
export const ACTIONS = ['read', 'create', 'update', 'delete', 'propose', 'replay', 'decide', 'explain'] as const;
export type Action = (typeof ACTIONS)[number];

/** `disclosure`: release to a named third party (another hospital, a physician) under the patient's authorization. */
export const PURPOSES = ['treatment', 'research', 'insurance', 'family', 'self', 'operations', 'disclosure'] as const;
export type Purpose = (typeof PURPOSES)[number];

/**
 * The facts about a (user, patient) pair that rules may require, looked up fresh for every
 * request: three about people (care team, break-glass grant, own account), the rest from the
 * patient's consent directives in force at that moment (consent-facts.ts).
 */
export const FACTS = [
  'care_team',
  'break_glass',
  'self',
  /** the patient's clinical-use directive permits, or none and the hospital default does */
  'clinical_use',
  /** a valid proxy directive (or a proxy link from before the ledger) naming this account, granting the permission */
  'proxy_view_record',
  'proxy_view_results',
  'proxy_view_access_log',
  'proxy_manage_consents',
  'proxy_authorize_releases',
  /** a family-sharing directive in force naming this relative's account */
  'family_share',
  /** a valid HIPAA authorization naming this insurer, for the release purpose asked */
  'insurer_authorization',
  /** a valid HIPAA authorization naming this third-party recipient, for the release purpose asked */
  'recipient_authorization',
  /** the patient's research consent permits the purpose of the caller's research project (DUO match) */
  'research_consent',
] as const;
export type RelationFact = (typeof FACTS)[number];

/**
 * The condition a rule requires between the person asking and the patient, by name, and the
 * facts that make it up (all must hold). `any` needs nothing (account management, registering).
 */
export const RELATION_FACTS = {
  any: [],
  care_team: ['care_team'],
  break_glass: ['break_glass'],
  self: ['self'],
  care_team_clinical_use: ['care_team', 'clinical_use'],
  break_glass_clinical_use: ['break_glass', 'clinical_use'],
  proxy_view_record: ['proxy_view_record'],
  proxy_view_results: ['proxy_view_results'],
  proxy_view_access_log: ['proxy_view_access_log'],
  proxy_manage_consents: ['proxy_manage_consents'],
  proxy_authorize_releases: ['proxy_authorize_releases'],
  family_share: ['family_share'],
  insurer_authorization: ['insurer_authorization'],
  recipient_authorization: ['recipient_authorization'],
  research_consent: ['research_consent'],
} as const satisfies Record<string, readonly RelationFact[]>;
export type Relation = keyof typeof RELATION_FACTS;
export const RELATIONS = Object.keys(RELATION_FACTS) as Relation[];

export const EFFECTS = ['allow', 'deny'] as const;
export type Effect = (typeof EFFECTS)[number];

/** In the policy file, `*` in the resource, action or purpose column matches every value. */
export const WILDCARD = '*';

export function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}
