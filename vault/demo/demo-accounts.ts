// The demo's people on the service side: each patient's clinical record, one account per role,
// an EHR service account with an API token, and the relationships (care team, proxy, relative,
// patient link) that make the policy say yes. Every person is enrolled the real way: the host
// makes the first admin and the first privacy officer (whole codes, as on a fresh vault); every
// other staff account is created by the demo admin (first half) and approved by the demo privacy
// officer (second half); patient, proxy and relative codes are issued by the demo registrar after
// "identity proofing" and confirmed by the privacy officer. The demo plays both halves' holders and
// then redeems each code itself, in the person's place, choosing a deterministic password, and says
// so when it prints the logins.
import { createHash } from 'node:crypto';
import { HOST_ACTOR, type Principal } from '../identity/principal.ts';
import type { Role } from '../identity/roles.ts';
import type { PatientEnrolmentBody } from '../../schemas/enrolment.ts';
import type { VaultService } from '../service/open-service.ts';
import { approveEnrolment, issuePatientEnrolment, redeemEnrolment } from '../service/enrolments.ts';
import type { IssuedEnrolment } from '../identity/enrolment-service.ts';
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
  'external_recipient',
  'auditor',
] as const satisfies readonly Role[];
type DemoRole = (typeof DEMO_HUMAN_ROLES)[number];
/** The roles whose accounts are linked to a patient: enrolled through the registrar. */
const PATIENT_LINKED = ['patient', 'proxy', 'relative'] as const;
/** Made on the host, as on a fresh vault: the admin who creates staff, the privacy officer who approves them. */
const MADE_ON_HOST = ['admin', 'privacy_officer'] as const;
const DEMO_REQUEST = 'demo-setup';
const DEMO_EVIDENCE = 'demo: synthetic person, no document';

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
  admin: 'creates staff accounts (the first half of their code); never reads records or variants, nor enrols anyone alone',
  registrar: 'registers patients, assigns care teams, enrols patients, proxies and relatives',
  clinician: 'on the care team of the focus patient and three others',
  genetic_counselor: 'on the same care teams as the clinician',
  patient: 'is the focus patient: sees their own record, variants and access log',
  proxy: "legal proxy of another patient (a proxy directive): sees that patient's record and results, never what the patient declined to learn",
  relative: "the focus patient's sibling: sees exactly the BRCA1 result the patient shares, never the record",
  researcher: 'member of the approved demo research project: de-identified cohort answers only, never a patient',
  ethics_board: 'approved the demo research project; reads its query report; reviews audit events and break-glass grants; approves or rejects policy changes (GET /v1/policy)',
  privacy_officer: 'approves staff enrolments and confirms patient ones (the second half); reviews flagged audit events; proposes policy changes',
  insurer: 'a life insurer: receives the focus patient\u2019s BRCA1 result for underwriting under a valid authorization; refused everything else',
  external_recipient: 'another hospital: receives what a patient\u2019s authorization releases to it (the focus patient\u2019s, for continuing care), never the record',
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
  await recordOutcome(service.audit, { requestId: DEMO_REQUEST, actor: HOST_ACTOR, action: 'user.create', resource: 'account', decision: 'success', reason: account.accountId, flagged: true });
  const { tokenId, token } = await service.identity.issueApiToken(account.accountId, 'demo', HOST_ACTOR);
  await recordOutcome(service.audit, { requestId: DEMO_REQUEST, actor: HOST_ACTOR, action: 'token.issue', resource: 'account', decision: 'success', reason: `${account.accountId}/${tokenId}`, flagged: true });
  return { role: 'ehr_service', username, accountId: account.accountId, apiToken: token, note: 'the EHR integration: records patients, manages care teams (API token or client certificate)' };
}

/** The demo redeems the code (both halves, when it has two) in the person's place, as they would at POST /v1/enrolments. */
async function redeemAsThePerson(service: VaultService, role: DemoRole, first: IssuedEnrolment, second?: IssuedEnrolment): Promise<DemoAccount> {
  const username = demoUsername(role);
  const password = demoPassword(role);
  const codes = { code: first.code, ...(second && { secondCode: second.code }) };
  const result = await redeemEnrolment(service, { username, ...codes, newPassword: password }, { requestId: DEMO_REQUEST });
  if (!result.ok || !result.totp) throw new Error(`demo enrolment of ${role} failed`);
  return { role, username, accountId: result.principal.accountId, password, totpSecret: result.totp.secret, note: NOTES[role] };
}

/** The principal a demo account acts as. */
const actorOf = (account: DemoAccount): Principal => ({ accountId: account.accountId, username: account.username, kind: 'human', roles: [account.role] });

/** The first admin and the first privacy officer: made on the host, which needs no second person (audited, flagged). */
async function enrolOnHost(service: VaultService, role: DemoRole): Promise<DemoAccount> {
  const { account, enrolment } = await service.identity.createAccount({ username: demoUsername(role), roles: [role], kind: 'human' }, HOST_ACTOR);
  await recordOutcome(service.audit, { requestId: DEMO_REQUEST, actor: HOST_ACTOR, action: 'user.create', resource: 'account', decision: 'success', reason: account.accountId, flagged: true });
  return redeemAsThePerson(service, role, enrolment!);
}

/** Every other staff member: the admin creates the account (first half), the privacy officer approves (second half). */
async function enrolStaff(service: VaultService, role: DemoRole, admin: Principal, privacyOfficer: Principal): Promise<DemoAccount> {
  // the demo insurer is a life insurer (an insurer's type is fixed when its account is made)
  const insurer = role === 'insurer' ? { insurerType: 'life' as const } : {};
  const { account, enrolment } = await service.identity.createAccount({ username: demoUsername(role), roles: [role], kind: 'human', ...insurer }, admin);
  await recordOutcome(service.audit, { requestId: DEMO_REQUEST, actor: admin, action: 'user.create', resource: 'account', decision: 'success', reason: account.accountId, flagged: true });
  const second = await approveEnrolment(service, privacyOfficer, enrolment!.enrolmentId, DEMO_EVIDENCE, internalRequest(DEMO_REQUEST));
  return redeemAsThePerson(service, role, enrolment!, second);
}

/** A patient, proxy or relative: the registrar proofs their identity and issues the first half, the privacy officer confirms and issues the second. */
async function enrolPatientLinked(service: VaultService, registrar: Principal, privacyOfficer: Principal, role: (typeof PATIENT_LINKED)[number], patientId: string): Promise<DemoAccount> {
  const body: PatientEnrolmentBody = role === 'relative' ? { role, evidence: DEMO_EVIDENCE, relationship: 'sibling' } : { role, evidence: DEMO_EVIDENCE };
  const first = await issuePatientEnrolment(service, registrar, patientId, body, internalRequest(DEMO_REQUEST));
  const second = await approveEnrolment(service, privacyOfficer, first.enrolmentId, DEMO_EVIDENCE, internalRequest(DEMO_REQUEST));
  return redeemAsThePerson(service, role, first, second);
}

/** Records every patient and enrols the demo accounts and relationships. */
export async function createDemoPeople(service: VaultService, patients: readonly DemoPatient[], focus: DemoFocus): Promise<DemoPeople> {
  const patientIds = patientIdsOf(service, patients);
  const ehr = await createEhrService(service);
  await recordAll(service, patients, patientIds, ehr.accountId);
  const people: DemoAccount[] = [];
  for (const role of MADE_ON_HOST) people.push(await enrolOnHost(service, role));
  const [admin, privacyOfficer] = people.map(actorOf) as [Principal, Principal];
  for (const role of DEMO_HUMAN_ROLES) {
    if (!(PATIENT_LINKED as readonly string[]).includes(role) && !(MADE_ON_HOST as readonly string[]).includes(role)) people.push(await enrolStaff(service, role, admin, privacyOfficer));
  }
  const registrar = actorOf(people.find((a) => a.role === 'registrar')!);
  people.push(await enrolPatientLinked(service, registrar, privacyOfficer, 'patient', focus.focusPatientId));
  people.push(await enrolPatientLinked(service, registrar, privacyOfficer, 'proxy', focus.proxyPatientId));
  people.push(await enrolPatientLinked(service, registrar, privacyOfficer, 'relative', focus.focusPatientId));
  const byRole = (role: Role) => people.find((a) => a.role === role)!.accountId;
  for (const patientId of new Set([focus.focusPatientId, ...focus.careTeamPatientIds])) {
    await service.clinical.setCareTeam(patientId, byRole('clinician'), true, ehr.accountId);
    await service.clinical.setCareTeam(patientId, byRole('genetic_counselor'), true, ehr.accountId);
  }
  const ordered = DEMO_HUMAN_ROLES.map((role) => people.find((a) => a.role === role)!);
  return { accounts: [...ordered, ehr], patientIds };
}
