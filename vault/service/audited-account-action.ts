// One audit wrapper for the changes an admin (over HTTP) or the host (the CLI) makes to an
// account: the action is recorded as a success, or as a failure with its error code, in the
// audit log, before the answer leaves. Entries name the account (and token) by id only.
import type { AuditLog } from '../audit/audit-log.ts';
import type { Actor } from '../identity/principal.ts';
import { HOST_ACTOR, actorIdOf } from '../identity/principal.ts';

/** e.g. `user.disable`, `token.rotate` */
export type AccountAction = `user.${string}` | `token.${string}`;

export async function auditedAccountAction<T>(
  audit: Pick<AuditLog, 'record'>,
  who: { actor: Actor; requestId: string | null },
  action: AccountAction,
  /** the account id, or `acc_…/tok_…` for a token */
  target: string,
  work: () => Promise<T> | T,
): Promise<T> {
  const entry = (decision: 'success' | 'failure', reason: string) =>
    audit.record({
      requestId: who.requestId,
      actorId: actorIdOf(who.actor),
      actorRoles: who.actor === HOST_ACTOR ? [] : who.actor.roles,
      action,
      resource: 'account',
      patientId: null,
      purpose: 'operations',
      decision,
      rule: null,
      reason,
    });
  let result: T;
  try {
    result = await work();
  } catch (err) {
    await entry('failure', `${target} ${errorCode(err)}`);
    throw err;
  }
  await entry('success', target);
  return result;
}

/** The stable code of our errors (IdentityError, ApiError); never a message, which might quote input. */
function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[a-z][a-z0-9_]{0,63}$/.test(code) ? code : 'error';
}
