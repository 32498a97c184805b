// The demo's people on the service side: each patient's clinical record, one account per role
// with a deterministic password and a TOTP secret, an EHR service account with an API token,
// and the relationships (care team, proxy, patient link) that make the policy say yes.
import { createHash } from 'node:crypto';
import { HOST_ACTOR } from '../identity/principal.ts';
import type { Role } from '../identity/roles.ts';
import type { VaultService } from '../service/open-service.ts';
import type { DemoPatient } from './demo-population.ts';

/** The human roles that get a demo login, in the order they are printed. */
export const DEMO_HUMAN_ROLES = ['admin', 'clinician', 'genetic_counselor', 'patient', 'proxy', 'researcher', 'ethics_board', 'insurer', 'relative', 'auditor'] as const satisfies readonly Role[];

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

const NOTES: Record<(typeof DEMO_HUMAN_ROLES)[number], string> = {
  admin: 'manages accounts; can never read records or variants',
  clinician: 'on the care team of the focus patient and three others',
  genetic_counselor: 'on the same care teams as the clinician',
  patient: 'is the focus patient: sees their own record, variants and access log',
  proxy: "legal proxy of another patient: sees that patient's record",
  researcher: 'no patient-level access (cohorts come through the research gateway)',
  ethics_board: 'reviews audit events and break-glass grants',
  insurer: 'refused everything until a patient approves a release',
  relative: 'refused everything until a patient shares a result',
  auditor: 'reads audit events',
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

async function auditCreation(service: VaultService, accountId: string): Promise<void> {
  await service.audit.record({ requestId: null, actorId: HOST_ACTOR, actorRoles: [], action: 'user.create', resource: 'account', patientId: null, purpose: 'operations', decision: 'success', rule: null, reason: accountId });
}

async function createEhrService(service: VaultService): Promise<DemoAccount> {
  const username = 'demo.ehr';
  const created = await service.identity.createAccount({ username, roles: ['ehr_service'], kind: 'service' }, HOST_ACTOR);
  await auditCreation(service, created.accountId);
  const { token } = await service.identity.issueApiToken(created.accountId, 'demo', HOST_ACTOR);
  return { role: 'ehr_service', username, accountId: created.accountId, apiToken: token, note: 'the EHR integration: records patients, manages care teams (API token or client certificate)' };
}

async function createPerson(service: VaultService, role: (typeof DEMO_HUMAN_ROLES)[number], focus: DemoFocus): Promise<DemoAccount> {
  const username = demoUsername(role);
  const password = demoPassword(role);
  const patientLink = role === 'patient' ? { patientId: focus.focusPatientId } : {};
  const created = await service.identity.createAccount({ username, roles: [role], kind: 'human', password, ...patientLink }, HOST_ACTOR);
  await auditCreation(service, created.accountId);
  // Pending until the first login with a current code, which confirms it.
  const { secret } = await service.identity.enrollTotp(created.accountId, HOST_ACTOR);
  return { role, username, accountId: created.accountId, password, totpSecret: secret, note: NOTES[role] };
}

/** Records every patient and creates the demo accounts and relationships. */
export async function createDemoPeople(service: VaultService, patients: readonly DemoPatient[], focus: DemoFocus): Promise<DemoPeople> {
  const patientIds = patientIdsOf(service, patients);
  const ehr = await createEhrService(service);
  await recordAll(service, patients, patientIds, ehr.accountId);
  const people: DemoAccount[] = [];
  for (const role of DEMO_HUMAN_ROLES) people.push(await createPerson(service, role, focus));
  const byRole = (role: Role) => people.find((a) => a.role === role)!.accountId;
  for (const patientId of new Set([focus.focusPatientId, ...focus.careTeamPatientIds])) {
    await service.clinical.setCareTeam(patientId, byRole('clinician'), true, ehr.accountId);
    await service.clinical.setCareTeam(patientId, byRole('genetic_counselor'), true, ehr.accountId);
  }
  await service.clinical.setProxy(focus.proxyPatientId, byRole('proxy'), true, ehr.accountId);
  return { accounts: [...people, ehr], patientIds };
}
