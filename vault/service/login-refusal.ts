// How a refused login (or a throttled enrolment redemption) is answered and audited. A wrong
// credential is 401 with one message for every reason; a throttled attempt is 429 and a full
// hashing queue 503, both with Retry-After and checked before any credential, so neither tells
// whether the name or password was right. Every evaluated failure is audited with its reason; a
// throttle only when it starts refusing, so a flood cannot flood the audit log too.
//
// A 429 or 503 is held for up to a second before it is sent: a client that ignores Retry-After
// then gets one answer a second per connection instead of hundreds, and the event loop that
// serves everyone's reads is not spent answering it.
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError } from '../http/api-error.ts';
import type { LoginFailure } from '../identity/login-attempt.ts';
import { isLoginRefusal, type LoginRefusal } from '../identity/throttled-login.ts';
import type { AuditEvent } from '../audit/audit-event.ts';
import { originFields, type AuditOrigin } from './audit-outcome.ts';
import type { VaultService } from './open-service.ts';

/** The longest a throttled or busy answer is held back. */
export const REFUSAL_HOLD_MS = 1_000;

export async function refuseLogin(service: VaultService, origin: AuditOrigin, result: LoginFailure | LoginRefusal): Promise<never> {
  const base = { ...originFields(origin), actorId: result.accountId ?? null, actorRoles: [], resource: 'session', patientId: null, purpose: null, rule: null };
  if (isLoginRefusal(result)) return refuseThrottled(service, { ...base, action: 'login.throttle' }, 'login', result);
  await service.audit.record({ ...base, action: 'login', decision: 'failure', reason: result.reason });
  if (result.lockedNow) await service.audit.record({ ...base, action: 'lockout', decision: 'success', reason: 'too_many_failures' });
  if (result.accountLimitReachedNow) await service.audit.record({ ...base, action: 'lockout', decision: 'success', reason: 'account_failure_limit' });
  throw new ApiError({ code: 'login_failed', status: 401, title: 'Unauthorized', detail: result.message });
}

/**
 * Answers an attempt the throttle or the hashing queue refused (a login, or an enrolment code's
 * redemption: `kind` names the problem code), auditing the throttle as `entry` when it starts refusing.
 */
export async function refuseThrottled(service: VaultService, entry: Omit<AuditEvent, 'decision' | 'reason'>, kind: 'login' | 'enrolment', result: LoginRefusal): Promise<never> {
  if (result.engagedNow) await service.audit.record({ ...entry, decision: 'deny', reason: result.limit });
  const busy = result.reason === 'busy';
  await sleep(Math.min(result.retryAfterMs, REFUSAL_HOLD_MS));
  throw new ApiError({
    code: `${kind}_${busy ? 'busy' : 'throttled'}`,
    status: busy ? 503 : 429,
    title: busy ? 'Service Unavailable' : 'Too Many Requests',
    detail: result.message,
    headers: { 'Retry-After': String(Math.max(1, Math.ceil(result.retryAfterMs / 1000))) },
  });
}
