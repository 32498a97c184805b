// Accounts made the way the service makes them, in-process: a staff account created by the host
// and enrolled by redeeming its code; a patient's, proxy's or relative's through a registrar's
// patient enrolment. The test plays the person redeeming the code.
import type { Role } from '../../vault/identity/roles.ts';
import { HOST_ACTOR, type Principal } from '../../vault/identity/principal.ts';
import type { VaultService } from '../../vault/service/open-service.ts';
import { issuePatientEnrolment, redeemEnrolment } from '../../vault/service/enrolments.ts';
import { internalRequest } from '../../vault/service/patient-access.ts';
import type { PatientEnrolmentBody } from '../../schemas/enrolment.ts';
import type { InsurerType } from '../../schemas/consent/release-authorization.ts';

export interface EnrolledAccount {
  accountId: string;
  username: string;
  /** the TOTP secret the person received; pending until their first login */
  secret: string;
}

async function redeemAs(service: VaultService, username: string, code: string, password: string): Promise<EnrolledAccount> {
  const result = await redeemEnrolment(service, { username, code, newPassword: password }, { requestId: 'test-setup' });
  if (!result.ok || !result.totp) throw new Error(`enrolment of ${username} refused${result.ok ? '' : `: ${result.reason}`}`);
  return { accountId: result.principal.accountId, username: result.principal.username, secret: result.totp.secret };
}

/** A staff member: created by the host (as the first admin is), then enrolled with `password`. An insurer is a life insurer unless `insurerType` says otherwise. */
export async function enrolStaff(service: VaultService, username: string, roles: Role[], password: string, insurerType?: InsurerType): Promise<EnrolledAccount> {
  const type = roles.includes('insurer') ? { insurerType: insurerType ?? 'life' } : {};
  const { enrolment } = await service.identity.createAccount({ username, roles, kind: 'human', ...type }, HOST_ACTOR);
  return redeemAs(service, username, enrolment!.code, password);
}

/** A patient, proxy or relative of `patientId`, enrolled through `registrar` (who must be allowed by the policy). */
export async function enrolPatientLinked(service: VaultService, registrar: Principal, patientId: string, body: PatientEnrolmentBody, username: string, password: string): Promise<EnrolledAccount> {
  const issued = await issuePatientEnrolment(service, registrar, patientId, body, internalRequest('test-setup'));
  return redeemAs(service, username, issued.code, password);
}

/** The principal an enrolled account acts as once signed in. */
export function principalOfAccount(service: VaultService, accountId: string): Principal {
  const account = service.identity.getAccount(accountId);
  if (!account) throw new Error(`no account ${accountId}`);
  return { accountId, username: account.username, kind: account.kind, roles: account.roles, ...(account.patientId !== undefined && { patientId: account.patientId }) };
}
