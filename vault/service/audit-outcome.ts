// The outcome of an account step (create, enrol, reset, link, disable, token changes) as one
// audit entry: who, what, about which patient, from where, success or the refusal's code. The
// policy decision before it is audited by authorize(); this records what the step then did or
// why it was refused.
import type { AuditLog } from '../audit/audit-log.ts';
import { IdentityError } from '../identity/identity-errors.ts';
import { HOST_ACTOR, type Actor } from '../identity/principal.ts';

/**
 * Where the step was asked from: the request id and, for an HTTP request, its origin
 * (`requestOrigin(ctx.state)` gives all four). Steps on the host or inside the vault have only
 * an id, or none.
 */
export interface AuditOrigin {
  requestId: string | null;
  clientRequestId?: string | null;
  sourceAddress?: string | null;
  route?: string | null;
}

export interface Outcome extends AuditOrigin {
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
  /** an internal id the step was about besides the patient (an account, a policy proposal) */
  targetId?: string | null;
  /** numbers that say what the step did, e.g. { version: 2 } */
  counts?: Record<string, number>;
}

/** The origin fields of an audit entry, those that are known. */
export function originFields(origin: AuditOrigin): AuditOrigin {
  const { requestId, clientRequestId, sourceAddress, route } = origin;
  return {
    requestId,
    ...(clientRequestId !== undefined && { clientRequestId }),
    ...(sourceAddress !== undefined && { sourceAddress }),
    ...(route !== undefined && { route }),
  };
}

export async function recordOutcome(audit: Pick<AuditLog, 'record'>, outcome: Outcome): Promise<void> {
  const { actor } = outcome;
  await audit.record({
    ...originFields(outcome),
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
    ...(outcome.targetId !== undefined && { targetId: outcome.targetId }),
    ...(outcome.counts !== undefined && { counts: outcome.counts }),
  });
}

/**
 * Runs an identity step and audits it: success with `reasonOf(result)`, or an identity refusal
 * with its code, after `target` (the account or token id) when given, then rethrown. Other
 * faults propagate unaudited here, as a 500 would.
 */
export async function auditedStep<T>(
  audit: Pick<AuditLog, 'record'>,
  outcome: Omit<Outcome, 'decision' | 'reason'> & { target?: string },
  step: () => Promise<T> | T,
  reasonOf: (result: T) => string,
): Promise<T> {
  const { target, ...entry } = outcome;
  let result: T;
  try {
    result = await step();
  } catch (err) {
    if (err instanceof IdentityError) await recordOutcome(audit, { ...entry, decision: 'failure', reason: target === undefined ? err.code : `${target} ${err.code}` });
    throw err;
  }
  await recordOutcome(audit, { ...entry, decision: 'success', reason: reasonOf(result) });
  return result;
}
