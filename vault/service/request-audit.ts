// The audit entry for a request to a patient route whose outcome no authorization decision
// already records: refused before authorize() (401, 400, 413, 415, 429...), or permitted and then
// failed. It names the route, the status and problem code, the patient (only a well-formed id),
// the caller if known and the source address.
import type { AuditLog } from '../audit/audit-log.ts';
import type { PatientRequestAuditor } from '../http/patient-request-audit.ts';
import type { Principal } from '../identity/principal.ts';

export const REQUEST_OUTCOME_ACTION = 'request';
export const REQUEST_OUTCOME_RESOURCE = 'http';

export function patientRequestAuditor(audit: Pick<AuditLog, 'record'>): PatientRequestAuditor {
  return async (outcome) => {
    const principal = outcome.principal as Principal | undefined;
    const answered = outcome.status < 400;
    await audit.record({
      requestId: outcome.requestId,
      clientRequestId: outcome.clientRequestId,
      sourceAddress: outcome.sourceAddress,
      route: outcome.route,
      status: outcome.status,
      outcome: outcome.code,
      actorId: principal?.accountId ?? null,
      actorRoles: principal?.roles ?? [],
      action: REQUEST_OUTCOME_ACTION,
      resource: REQUEST_OUTCOME_RESOURCE,
      patientId: outcome.patientId,
      purpose: null,
      decision: answered ? 'success' : 'failure',
      rule: null,
      reason: outcome.patientIdProblem,
      // a patient route answered without asking authorize() is a defect to review
      flagged: answered && outcome.decided === undefined,
    });
  };
}
