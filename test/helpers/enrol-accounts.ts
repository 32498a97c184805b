// Accounts made the way the service makes them, in-process: a staff account created by the host
// (a whole code) or by an admin (its first half, approved by a privacy officer who gets the
// second) and enrolled by redeeming the code; a patient's, proxy's or relative's through a
// registrar's patient enrolment, confirmed by a second person. The test plays the person
// redeeming the code, holding both halves.
import type { Role } from '../../vault/identity/roles.ts';
import { HOST_ACTOR, type Principal } from '../../vault/identity/principal.ts';
import type { VaultService } from '../../vault/service/open-service.ts';
import { approveEnrolment, issuePatientEnrolment, redeemEnrolment } from '../../vault/service/enrolments.ts';
import { internalRequest } from '../../vault/service/patient-access.ts';
import type { PatientEnrolmentBody } from '../../schemas/enrolment.ts';
import type { InsurerType } from '../../schemas/consent/release-authorization.ts';
import type { IssuedEnrolment } from '../../vault/identity/enrolment-service.ts';

export interface EnrolledAccount {
  accountId: string;
  username: string;
  /** the TOTP secret the person received; pending until their first login */
  secret: string;
}

/** The two people of a dual-controlled enrolment: who issues the first half, who approves the second. */
export interface TwoPeople {
  issuer: Principal;
  approver: Principal;
}

const SETUP = internalRequest('test-setup');

/** The person redeems their code: the whole code, or the first half with the second. */
export async function redeemAs(service: VaultService, username: string, first: IssuedEnrolment, password: string, second?: IssuedEnrolment): Promise<EnrolledAccount> {
  const result = await redeemEnrolment(service, { username, code: first.code, ...(second && { secondCode: second.code }), newPassword: password }, { requestId: 'test-setup' });
  if (!result.ok || !result.totp) throw new Error(`enrolment of ${username} refused${result.ok ? '' : `: ${result.reason}`}`);
  return { accountId: result.principal.accountId, username: result.principal.username, secret: result.totp.secret };
}

/** The second person approves `first`; the second half comes back. */
export function approveAs(service: VaultService, approver: Principal, first: IssuedEnrolment, evidence = 'checked in person for the test'): Promise<IssuedEnrolment> {
  return approveEnrolment(service, approver, first.enrolmentId, evidence, SETUP);
}

/** A staff member: created by the host (as the first admin is), then enrolled with `password`. An insurer is a life insurer unless `insurerType` says otherwise. */
export async function enrolStaff(service: VaultService, username: string, roles: Role[], password: string, insurerType?: InsurerType): Promise<EnrolledAccount> {
  const type = roles.includes('insurer') ? { insurerType: insurerType ?? 'life' } : {};
  const { enrolment } = await service.identity.createAccount({ username, roles, kind: 'human', ...type }, HOST_ACTOR);
  return redeemAs(service, username, enrolment!, password);
}

/** A patient, proxy or relative of `patientId`: `issuer` (registration staff) issues, `approver` confirms (both must be allowed by the policy). */
export async function enrolPatientLinked(service: VaultService, people: TwoPeople, patientId: string, body: PatientEnrolmentBody, username: string, password: string): Promise<EnrolledAccount> {
  const first = await issuePatientEnrolment(service, people.issuer, patientId, body, SETUP);
  return redeemAs(service, username, first, password, await approveAs(service, people.approver, first));
}

/** The principal an enrolled account acts as once signed in. */
export function principalOfAccount(service: VaultService, accountId: string): Principal {
  const account = service.identity.getAccount(accountId);
  if (!account) throw new Error(`no account ${accountId}`);
  return { accountId, username: account.username, kind: account.kind, roles: account.roles, ...(account.patientId !== undefined && { patientId: account.patientId }) };
}
