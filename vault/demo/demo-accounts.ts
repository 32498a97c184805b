// The demo's people on the service side: each patient's clinical record, one account per role,
// an EHR service account with an API token, and the relationships (care team, proxy, relative,
// patient link) that make the policy say yes. Every person is enrolled the real way, by a
// one-time code (staff codes from the host, patient, proxy and relative codes issued by the demo
// registrar after "identity proofing"); the demo then redeems each code itself, in the person's
// place, choosing a deterministic password, and says so when it prints the logins.
import { createHash } from 'node:crypto';
import { HOST_ACTOR, type Principal } from '../identity/principal.ts';
import type { Role } from '../identity/roles.ts';
import type { PatientEnrolmentBody } from '../../schemas/enrolment.ts';
import type { VaultService } from '../service/open-service.ts';
import { issuePatientEnrolment, redeemEnrolment } from '../service/enrolments.ts';
import { internalRequest } from '../service/patient-access.ts';
import { recordOutcome } from '../service/audit-outcome.ts';
import type { DemoPatient } from './demo-population.ts';

/** The human roles that get a demo login, in the order they are printed. */
export const DEMO_HUMAN_ROLES = [
  'admin',
  'registrar',
  'clinician',
  'genetic_counselor',
  'patient',
  'proxy',
  'relative',
  'researcher',
  'ethics_board',
  'privacy_officer',
  'insurer',
  'auditor',
] as const satisfies readonly Role[];
type DemoRole = (typeof DEMO_HUMAN_ROLES)[number];
/** The roles whose accounts are linked to a patient: enrolled through the registrar. */
const PATIENT_LINKED = ['patient', 'proxy', 'relative'] as const;
const DEMO_REQUEST = 'demo-setup';

export interface DemoAccount {
  role: Role;
  username: string;
  accountId: string;
  password?: string;
  totpSecret?: string;
  apiToken?: string;
  /** what this login can see in the demo */
  note: string;
}

export interface DemoPeople {
  accounts: DemoAccount[];
  /** patient id of each demo patient, in population order */
  patientIds: string[];
}

export interface DemoFocus {
  /** the patient the examples are about (the clinician treats them; the patient account is them) */
  focusPatientId: string;
  /** whom the proxy acts for */
  proxyPatientId: string;
  /** the clinician's and counsellor's other patients */
  careTeamPatientIds: string[];
  /** a patient nobody treats yet (the EHR example adds the counsellor to their care team) */
  untreatedPatientId: string;
}

/** Demo-only: derived from the role so every run prints the same logins. Never do this for real accounts. */
export function demoPassword(role: Role): string {
  const pascal = role.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return `${pascal}#Demo-${createHash('sha256').update(`genovault demo ${role}`).digest('hex').slice(0, 8)}`;
}

export const demoUsername = (role: Role) => `demo.${role}`;

const NOTES: Record<DemoRole, string> = {
  admin: 'manages staff accounts; can never read records or variants, nor enrol a patient',
  registrar: 'registers patients, assigns care teams, enrols patients, proxies and relatives',
  clinician: 'on the care team of the focus patient and three others',
  genetic_counselor: 'on the same care teams as the clinician',
  patient: 'is the focus patient: sees their own record, variants and access log',
  proxy: "legal proxy of another patient: sees that patient's record",
  relative: "the focus patient's sibling; refused everything until the patient shares a result",
  researcher: 'no patient-level access (cohorts come through the research gateway)',
  ethics_board: 'reviews audit events and break-glass grants; approves or rejects policy changes (GET /v1/policy)',
  privacy_officer: 'reviews flagged audit events (break-glass, patient-linked accounts); proposes policy changes',
  insurer: 'refused everything until a patient approves a release',
  auditor: 'reads audit events and the access policy; asks for explanations (POST /v1/policy/explain)',
};

/** Patient ids as the catalog assigned them at ingest (MRN → id). */
export function patientIdsOf(service: VaultService, patients: readonly DemoPatient[]): string[] {
  return patients.map(({ person }) => {
    const id = service.vault.catalog.patientByMrn(person.mrn)?.patientId;
    if (!id) throw new Error(`demo patient ${person.sampleName} was not ingested`);
    return id;
  });
}

async function recordAll(service: VaultService, patients: readonly DemoPatient[], patientIds: readonly string[], actorId: string): Promise<void> {
  for (const [i, { person }] of patients.entries()) {
    const { mrn, givenName, familyName, birthDate, sex, zip } = person;
    const conditions = person.conditions.map((c) => ({ system: 'icd10' as const, code: c.code, display: c.display }));
    await service.clinical.recordPatient(patientIds[i]!, { mrn, givenName, familyName, birthDate, sex, zip, conditions }, actorId);
  }
}

async function createEhrService(service: VaultService): Promise<DemoAccount> {
  const username = 'demo.ehr';
  const { account } = await service.identity.createAccount({ username, roles: ['ehr_service'], kind: 'service' }, HOST_ACTOR);
  await recordOutcome(service.audit, { requestId: DEMO_REQUEST, actor: HOST_ACTOR, action: 'user.create', resource: 'account', decision: 'success', reason: account.accountId });
  const { token } = await service.identity.issueApiToken(account.accountId, 'demo', HOST_ACTOR);
  return { role: 'ehr_service', username, accountId: account.accountId, apiToken: token, note: 'the EHR integration: records patients, manages care teams (API token or client certificate)' };
}

/** The demo redeems the code in the person's place, as they would at POST /v1/enrolments. */
async function redeemAsThePerson(service: VaultService, role: DemoRole, code: string): Promise<DemoAccount> {
  const username = demoUsername(role);
  const password = demoPassword(role);
  const result = await redeemEnrolment(service, { username, code, newPassword: password }, { requestId: DEMO_REQUEST });
  if (!result.ok || !result.totp) throw new Error(`demo enrolment of ${role} failed`);
  return { role, username, accountId: result.principal.accountId, password, totpSecret: result.totp.secret, note: NOTES[role] };
}

/** A staff member: the host creates the account, which yields only an enrolment code. */
async function enrolStaff(service: VaultService, role: DemoRole): Promise<DemoAccount> {
  // the demo insurer is a life insurer (an insurer's type is fixed when its account is made)
  const { account, enrolment } = await service.identity.createAccount({ username: demoUsername(role), roles: [role], kind: 'human', ...(role === 'insurer' ? { insurerType: 'life' } : {}) }, HOST_ACTOR);
  await recordOutcome(service.audit, { requestId: DEMO_REQUEST, actor: HOST_ACTOR, action: 'user.create', resource: 'account', decision: 'success', reason: account.accountId });
  return redeemAsThePerson(service, role, enrolment!.code);
}

/** A patient, proxy or relative: the registrar proofs their identity and issues their code. */
async function enrolPatientLinked(service: VaultService, registrar: Principal, role: (typeof PATIENT_LINKED)[number], patientId: string): Promise<DemoAccount> {
  const body: PatientEnrolmentBody =
    role === 'relative'
      ? { role, evidence: 'demo: synthetic person, no document', relationship: 'sibling' }
      : { role, evidence: 'demo: synthetic person, no document' };
  const issued = await issuePatientEnrolment(service, registrar, patientId, body, internalRequest(DEMO_REQUEST));
  return redeemAsThePerson(service, role, issued.code);
}

/** Records every patient and enrols the demo accounts and relationships. */
export async function createDemoPeople(service: VaultService, patients: readonly DemoPatient[], focus: DemoFocus): Promise<DemoPeople> {
  const patientIds = patientIdsOf(service, patients);
  const ehr = await createEhrService(service);
  await recordAll(service, patients, patientIds, ehr.accountId);
  const people: DemoAccount[] = [];
  for (const role of DEMO_HUMAN_ROLES) if (!(PATIENT_LINKED as readonly string[]).includes(role)) people.push(await enrolStaff(service, role));
  const registrarId = people.find((a) => a.role === 'registrar')!.accountId;
  const registrar: Principal = { accountId: registrarId, username: demoUsername('registrar'), kind: 'human', roles: ['registrar'] };
  people.push(await enrolPatientLinked(service, registrar, 'patient', focus.focusPatientId));
  people.push(await enrolPatientLinked(service, registrar, 'proxy', focus.proxyPatientId));
  people.push(await enrolPatientLinked(service, registrar, 'relative', focus.focusPatientId));
  const byRole = (role: Role) => people.find((a) => a.role === role)!.accountId;
  for (const patientId of new Set([focus.focusPatientId, ...focus.careTeamPatientIds])) {
    await service.clinical.setCareTeam(patientId, byRole('clinician'), true, ehr.accountId);
    await service.clinical.setCareTeam(patientId, byRole('genetic_counselor'), true, ehr.accountId);
  }
  const ordered = DEMO_HUMAN_ROLES.map((role) => people.find((a) => a.role === role)!);
  return { accounts: [...ordered, ehr], patientIds };
}
