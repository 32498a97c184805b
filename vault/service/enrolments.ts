// Enrolment as the service does it, for the routes, the host CLI and the demo alike: issuing a
// patient enrolment (after the policy allows it for that patient), approving any enrolment as the
// second person (likewise), redeeming any code (and recording a new proxy's or relative's link
// beside the patient), each step audited. Issues, approvals and everything that concerns a
// patient-linked account are flagged for the privacy officer and ethics board.
import type { PatientEnrolmentBody } from '../../schemas/enrolment.ts';
import type { EnrolmentFailure, EnrolmentSuccess, IssuedEnrolment, RedeemInput } from '../identity/enrolment-service.ts';
import type { PatientLink } from '../identity/account-events.ts';
import { isLoginRefusal, type LoginRefusal } from '../identity/throttled-login.ts';
import type { Principal } from '../identity/principal.ts';
import { EnrolmentService } from '../identity/enrolment-service.ts';
import { IdentityError } from '../identity/identity-errors.ts';
import { auditedStep, recordOutcome, type AuditOrigin } from './audit-outcome.ts';
import { mapIdentityErrors } from './identity-errors-http.ts';
import { forbidden, mayAccess, requestOrigin, requireAccess, requireRoleLevelAccess, withPatientAccess, type AuditedRequest } from './patient-access.ts';
import type { VaultService } from './open-service.ts';

/**
 * What redemption needs: it runs on the host too, where no query engine is open. With the consent
 * ledger, a new proxy's authority is recorded as a proxy directive; without it (an older host
 * command) the link alone stands, read as a legacy link (view only, no end).
 */
export type EnrolmentParts = Pick<VaultService, 'identity' | 'clinical' | 'audit'> & Partial<Pick<VaultService, 'consents'>>;

/** Registration staff or a genetic counselor (the policy decides, for this patient) issue a one-time code. */
export async function issuePatientEnrolment(service: VaultService, principal: Principal, patientId: string, body: PatientEnrolmentBody, request: AuditedRequest): Promise<IssuedEnrolment> {
  const intent = { patientId, resource: 'patient_account' as const, action: 'create' as const, purpose: 'operations' };
  return withPatientAccess(service, principal, intent, request, () =>
    mapIdentityErrors(() =>
      auditedStep(
        service.audit,
        { ...requestOrigin(request), actor: principal, action: 'enrolment.issue', resource: 'patient_account', patientId, flagged: true },
        () => service.identity.enrolments.issuePatientEnrolment({ patientId, ...body }, principal),
        (issued) => `${issued.enrolmentId} ${body.role}`,
      ),
    ),
  );
}

/**
 * The second person approves an enrolment and receives its second half. The policy decides
 * first, for the caller's roles alone: one whose roles may approve no enrolment at all is refused
 * (403) before the id is looked up, so the answer says nothing about which enrolments exist; the
 * attempt is audited (flagged) with the enrolment and its patient. Then for a patient's circle,
 * for that patient (registration staff, a counsellor on the care team, the privacy officer); for
 * a staff account, with no patient (the identity service then insists on a privacy officer). An
 * unknown enrolment is refused as a decision without a patient. Every refusal answers the same
 * 403, so a caller who may approve some enrolments cannot tell others' ids from unknown ones.
 */
export async function approveEnrolment(service: VaultService, principal: Principal, enrolmentId: string, evidence: string, request: AuditedRequest): Promise<IssuedEnrolment> {
  const roleLevel = { resource: 'enrolment_approval' as const, action: 'create' as const, purpose: 'operations' };
  await requireRoleLevelAccess(service, principal, roleLevel, request, async () => {
    // looked up only for the audit entry, once the answer is settled
    const about = service.identity.enrolments.outline(enrolmentId)?.patientId ?? null;
    await recordOutcome(service.audit, { ...requestOrigin(request), actor: principal, action: 'enrolment.approve', resource: about === null ? 'account' : 'patient_account', patientId: about, decision: 'failure', reason: `${enrolmentId} not_an_approver`, flagged: true });
  });
  const outline = service.identity.enrolments.outline(enrolmentId);
  const patientId = outline?.patientId ?? null;
  const intent = { patientId, ...roleLevel };
  const approve = () =>
    mapIdentityErrors(() =>
      auditedStep(
        service.audit,
        { ...requestOrigin(request), actor: principal, action: 'enrolment.approve', resource: patientId === null ? 'account' : 'patient_account', patientId, flagged: true, target: enrolmentId },
        () => service.identity.enrolments.approve(enrolmentId, evidence, principal),
        () => enrolmentId,
      ),
    );
  if (patientId === null) {
    await requireAccess(service, principal, intent, request);
    return approve();
  }
  // refused for this patient: the same 403 as for an unknown id or a staff enrolment, so a caller
  // who may approve some enrolments (a counsellor on other care teams) cannot tell them apart
  if (!(await mayAccess(service, principal, { ...intent, patientId }, request)).allowed) throw forbidden();
  return approve();
}

/**
 * Someone left a patient's care team: the enrolments for that patient they issued or approved
 * and nobody has redeemed are withdrawn, each audited and flagged.
 */
export async function withdrawVouchedEnrolments(service: VaultService, principal: Principal, accountId: string, patientId: string, request: AuditedRequest): Promise<void> {
  for (const enrolmentId of await service.identity.enrolments.withdrawVouchedBy(accountId, patientId, principal)) {
    await recordOutcome(service.audit, { ...requestOrigin(request), actor: principal, action: 'enrolment.withdraw', resource: 'patient_account', patientId, decision: 'success', reason: `${enrolmentId} care_team_left ${accountId}`, flagged: true });
  }
}

/**
 * Redeems a code. A refusal is audited with its reason (and a code voided by this attempt as
 * well); the caller answers it with one message. Input the rules refuse (a weak password, a
 * taken username) throws an identity error naming the field and leaves the code unspent.
 * `client` (the network address, over HTTP) is throttled with its logins; a throttled attempt
 * is returned unaudited, for the caller to answer (refuseThrottled audits it).
 */
export async function redeemEnrolment(parts: EnrolmentParts, input: RedeemInput, origin: AuditOrigin, client?: string): Promise<EnrolmentSuccess | EnrolmentFailure | LoginRefusal> {
  const enrolmentId = EnrolmentService.enrolmentIdOf(input.code);
  let result: EnrolmentSuccess | EnrolmentFailure | LoginRefusal;
  try {
    result = await parts.identity.enrolments.redeem(input, client);
  } catch (err) {
    if (err instanceof IdentityError) {
      await recordOutcome(parts.audit, { ...origin, actor: null, action: 'enrolment.redeem', resource: 'account', decision: 'failure', reason: `${err.code} ${enrolmentId ?? ''}`.trim() });
    }
    throw err;
  }
  if (isLoginRefusal(result)) return result;
  if (!result.ok) {
    const about = { ...origin, actor: null, resource: result.patientId ? 'patient_account' : 'account', patientId: result.patientId ?? null, flagged: result.patientId !== undefined };
    await recordOutcome(parts.audit, { ...about, actor: result.accountId ? { accountId: result.accountId, roles: [] } : null, action: 'enrolment.redeem', decision: 'failure', reason: `${result.reason} ${result.enrolmentId ?? ''}`.trim() });
    if (result.voidedNow) await recordOutcome(parts.audit, { ...about, action: 'enrolment.void', decision: 'success', reason: `too_many_attempts ${result.enrolmentId ?? ''}`.trim() });
    return result;
  }
  const { principal, link } = result;
  if (link?.role === 'proxy') {
    await parts.clinical.linkProxy(link.patientId, principal.accountId, principal.accountId, { enrolmentId: result.enrolmentId, evidence: link.evidence });
    await recordEnrolledProxy(parts, link, principal.accountId, result);
  }
  if (link?.role === 'relative' && link.relationship) {
    await parts.clinical.linkRelative(link.patientId, principal.accountId, principal.accountId, link.relationship, { enrolmentId: result.enrolmentId, evidence: link.evidence });
  }
  await recordOutcome(parts.audit, {
    ...origin,
    actor: principal,
    action: 'enrolment.redeem',
    resource: result.patientId ? 'patient_account' : 'account',
    patientId: result.patientId ?? null,
    decision: 'success',
    reason: result.enrolmentId,
    flagged: result.patientId !== undefined,
  });
  return result;
}

/** Whether the account belongs to this patient's circle: their own, a proxy's or a relative's. */
export function isLinkedTo(service: Pick<VaultService, 'identity' | 'clinical'>, accountId: string, patientId: string): boolean {
  const account = service.identity.getAccount(accountId);
  if (!account) return false;
  return account.patientId === patientId || service.clinical.isProxyFor(accountId, patientId) || service.clinical.relativeOf(accountId, patientId) !== undefined;
}

/**
 * A new proxy's authority as a proxy directive, recorded for the person who proofed the proxy's
 * identity and documentation (the enrolment is its reference): the record, results and access
 * log to view, a minor's parent until the patient comes of age, and until the end the
 * documentation gives. Managing consents or authorizing releases needs a directive that says so.
 */
async function recordEnrolledProxy(parts: EnrolmentParts, link: PatientLink, proxyAccountId: string, result: EnrolmentSuccess): Promise<void> {
  if (!parts.consents) return;
  const issuer = parts.identity.getAccount(result.issuedBy);
  const role = issuer?.roles.includes('registrar') ? ('registrar' as const) : ('genetic_counselor' as const);
  await parts.consents.grant({
    patientId: link.patientId,
    directive: {
      kind: 'proxy',
      proxyKind: link.proxyKind ?? 'legal_representative',
      proxyAccountId,
      documentation: result.enrolmentId,
      permissions: ['view_record', 'view_results', 'view_access_log'],
      ...(link.proxyExpiresOn !== undefined && { expiresOn: link.proxyExpiresOn }),
    },
    recordedBy: { accountId: result.issuedBy, role },
    evidence: { reference: result.enrolmentId },
  });
}
