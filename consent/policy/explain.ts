// Plain-language sentences for the ethics board: what a rule says, and why a request got the
// answer it got. They name roles, resources and purposes, never a user or patient id, so an
// explanation is safe to show and to log; a value outside the vocabulary is not echoed either.
import type { PolicyRule } from './policy-file.ts';
import { ACTIONS, PURPOSES, RESOURCES, ROLES, WILDCARD, isOneOf, type Relation } from './vocabulary.ts';

const ROLE_NAMES: Readonly<Record<string, string>> = {
  clinician: 'a clinician',
  genetic_counselor: 'a genetic counselor',
  patient: 'a patient',
  proxy: "a patient's legal proxy",
  researcher: 'a researcher',
  ethics_board: 'an ethics board member',
  insurer: 'an insurer',
  relative: 'a relative',
  admin: 'an administrator',
  auditor: 'an auditor',
  ehr_service: 'the EHR service account',
  lab_service: "the laboratory's service account",
  registrar: 'registration staff',
  privacy_officer: 'the privacy officer',
  external_recipient: 'a named outside recipient (another hospital, a physician)',
};

const RESOURCE_NAMES: Readonly<Record<string, string>> = {
  record: 'the clinical record',
  variants: 'the variants',
  consent: 'the consents',
  audit: 'the audit events',
  policy: 'the access policy',
  account: 'user accounts',
  access_log: 'the access log (who accessed the data)',
  care_team: 'care-team membership',
  break_glass: 'break-glass grants',
  key: 'encryption keys',
  patient_account: "accounts linked to the patient (their own, a proxy's, a relative's)",
  release_authorization: 'the release authorizations (to insurers and third parties)',
  proxy_authority: 'the proxy directives',
  declined_findings: 'unmasked findings the patient declined to learn',
  shared_findings: 'the findings the patient shares with them',
  released_findings: 'the findings the patient authorized to be released to them',
  research_data: "the patient's data for a research project (de-identified, through the research gateway)",
  consent_report: 'counts of consent directives by kind and state (no patient\'s directives)',
  api_token: 'their own API token (the one the service presents)',
  decision_facts: "how a person relates to the patient (looked up to explain a decision)",
  [WILDCARD]: 'anything',
};

const RELATION_CONDITIONS: Readonly<Record<Relation, string>> = {
  any: '',
  care_team: " while on the patient's care team",
  break_glass: ' while holding an active break-glass grant for the patient (flagged for review)',
  self: ' when the data is their own',
  care_team_clinical_use: " while on the patient's care team, if the patient permits clinical use of their genomic data (or has not decided and the hospital default permits it)",
  break_glass_clinical_use:
    ' while holding an active break-glass grant for the patient (flagged for review), if the patient permits clinical use of their genomic data (or has not decided and the hospital default permits it)',
  proxy_view_record: ' for the patient whose valid proxy directive lets them view the record',
  proxy_view_results: ' for the patient whose valid proxy directive lets them view results',
  proxy_view_access_log: ' for the patient whose valid proxy directive lets them view the access log',
  proxy_manage_consents: ' for the patient whose valid proxy directive lets them manage consents',
  proxy_authorize_releases: ' for the patient whose valid proxy directive lets them authorize releases',
  family_share: ' when the patient has chosen to share results with them',
  insurer_authorization: ' under a valid HIPAA authorization from the patient naming them, for the purpose they give (never a health plan for underwriting)',
  recipient_authorization: ' under a valid HIPAA authorization from the patient naming them, for the purpose they give',
  research_consent: " when the patient's research consent matches the purpose of their approved project",
};

const ACTION_PHRASES: Readonly<Record<string, string>> = {
  [WILDCARD]: 'do anything with',
  propose: 'propose changes to',
  replay: 'replay recent decisions under proposed changes to',
  decide: 'approve or reject proposed changes to',
  explain: 'have decisions explained under',
};

function actionPhrase(action: string): string {
  return ACTION_PHRASES[action] ?? action;
}

function purposePhrase(purpose: string): string {
  return purpose === WILDCARD ? 'for any purpose' : `for ${purpose}`;
}

/** One sentence saying what a policy rule means. */
export function describeRule(rule: PolicyRule): string {
  const who = ROLE_NAMES[rule.role] ?? rule.role;
  const what = `${actionPhrase(rule.action)} ${RESOURCE_NAMES[rule.resource] ?? rule.resource}`;
  const when = `${purposePhrase(rule.purpose)}${RELATION_CONDITIONS[rule.relation]}`;
  return rule.effect === 'allow' ? `${who} may ${what} ${when}` : `${who} may never ${what} ${when}`;
}

export interface ExplainableRequest {
  subject: { roles: readonly string[] };
  resource: string;
  action: string;
  purpose: string;
}

export interface Verdict {
  allowed: boolean;
  rule: PolicyRule | null;
  breakGlass: boolean;
}

/** Known words as they are; anything else as a neutral placeholder (it may be client-typed). */
function known(list: readonly string[], value: string, placeholder: string): string {
  return isOneOf(list, value) ? value : placeholder;
}

/** One line explaining a decision, e.g. for the ethics board's review of denials. */
export function explain(request: ExplainableRequest, verdict: Verdict): string {
  if (verdict.rule !== null) {
    const because = `rule ${verdict.rule.id} (line ${verdict.rule.line}): ${describeRule(verdict.rule)}`;
    if (!verdict.allowed) return `Refused by ${because}.`;
    return verdict.breakGlass ? `Permitted by break-glass, ${because}.` : `Permitted by ${because}.`;
  }
  const roles = request.subject.roles.map((role) => known(ROLES, role, 'an unrecognised role'));
  const who = roles.length === 0 ? 'a user with no role' : `role ${roles.join(' + ')}`;
  const asked =
    `${who} to ${known(ACTIONS, request.action, 'an unrecognised action')} ` +
    `${known(RESOURCES, request.resource, 'an unrecognised resource')} ` +
    `for ${known(PURPOSES, request.purpose, 'an unrecognised purpose')}`;
  return `Refused: no rule allows ${asked} with the relationships this user has to the patient (deny by default).`;
}
