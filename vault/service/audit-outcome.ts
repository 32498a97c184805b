// The outcome of an account step (create, enrol, reset, link) as one audit entry: who, what,
// about which patient, success or the refusal's code. The policy decision before it is audited
// by authorize(); this records what the step then did or why it was refused.
import type { AuditLog } from '../audit/audit-log.ts';
import { IdentityError } from '../identity/identity-errors.ts';
import { HOST_ACTOR, type Actor } from '../identity/principal.ts';

export interface Outcome {
  requestId: string | null;
  /** who acted: a signed-in account, the host CLI, or nobody known (an anonymous enrolment attempt) */
  actor: Actor | { accountId: string; roles: readonly string[] } | null;
  action: string;
  resource: string;
  patientId?: string | null;
  decision: 'success' | 'failure';
  /** ids and codes only: never a code, password, name or evidence text */
  reason: string;
  /** for the privacy officer's and ethics board's review (patient-linked accounts) */
  flagged?: boolean;
}

export async function recordOutcome(audit: AuditLog, outcome: Outcome): Promise<void> {
  const { actor } = outcome;
  await audit.record({
    requestId: outcome.requestId,
    actorId: actor === null ? null : actor === HOST_ACTOR ? HOST_ACTOR : actor.accountId,
    actorRoles: actor === null || actor === HOST_ACTOR ? [] : [...actor.roles],
    action: outcome.action,
    resource: outcome.resource,
    patientId: outcome.patientId ?? null,
    purpose: 'operations',
    decision: outcome.decision,
    rule: null,
    reason: outcome.reason,
    ...(outcome.flagged && { flagged: true }),
  });
}

/**
 * Runs an identity step and audits it: success with `reasonOf(result)`, or an identity refusal
 * with its code (then rethrown). Other faults propagate unaudited here, as a 500 would.
 */
export async function auditedStep<T>(audit: AuditLog, outcome: Omit<Outcome, 'decision' | 'reason'>, step: () => Promise<T>, reasonOf: (result: T) => string): Promise<T> {
  let result: T;
  try {
    result = await step();
  } catch (err) {
    if (err instanceof IdentityError) await recordOutcome(audit, { ...outcome, decision: 'failure', reason: err.code });
    throw err;
  }
  await recordOutcome(audit, { ...outcome, decision: 'success', reason: reasonOf(result) });
  return result;
}
