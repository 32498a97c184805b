// A login attempt as the service runs it: the throttle decides first (before any hashing), the
// attempt runs in a slot of the bounded hashing queue, and its outcome goes back to the throttle.
// The slot is taken before the account's lock, so attempts waiting for one account cannot pile
// up outside the queue's bound. Unknown usernames take the same path (throttled by the name as
// typed, a dummy hash in the same queue), so neither the answer nor its timing tells whether an
// account exists.
import type { AccountState } from './account-store.ts';
import { normalizeUsername } from './account-validation.ts';
import { HashingBusyError, type HashingQueue } from './hashing-queue.ts';
import type { KeyedMutex } from './keyed-mutex.ts';
import type { LoginContext, LoginCredentials, LoginFailure } from './login-attempt.ts';
import { attemptLogin, countsAsFailure, loginFailure } from './login-attempt.ts';
import type { LoginThrottle, ThrottleLimit, ThrottleRefusal } from './login-throttle.ts';

/** The client of an in-process login (tests, tools), which has no network address. */
export const LOCAL_CLIENT = 'local';
export const LOGIN_THROTTLED_MESSAGE = 'too many login attempts; try again after the time in Retry-After';
export const LOGIN_BUSY_MESSAGE = 'the service is busy; try again after the time in Retry-After';
/** what a client refused for a full hashing queue is told to wait */
const BUSY_RETRY_MS = 1_000;

/** A login refused before its credentials were looked at. */
export interface LoginRefusal {
  ok: false;
  /** `throttled`: a limit on attempts (429); `busy`: password hashing is at capacity (503) */
  reason: 'throttled' | 'busy';
  limit: ThrottleLimit | 'hashing';
  message: string;
  retryAfterMs: number;
  /** the first refusal by this limit since it last let an attempt through (audit it) */
  engagedNow: boolean;
  /** the account the username named, when it exists (for the audit log) */
  accountId?: string;
}

export function isLoginRefusal(result: { ok: boolean; reason?: string }): result is LoginRefusal {
  return result.reason === 'throttled' || result.reason === 'busy';
}

export interface LoginGate {
  throttle: LoginThrottle;
  hashing: HashingQueue;
  context: LoginContext;
  locks: KeyedMutex;
}

export async function throttledLogin(gate: LoginGate, credentials: LoginCredentials, client: string): Promise<{ ok: true; account: AccountState } | LoginFailure | LoginRefusal> {
  const username = usernameKey(credentials.username);
  const found = username ? gate.context.store.findByUsername(username) : undefined;
  const ticket = gate.throttle.admit(client, username);
  if (!ticket.admitted) return throttleRefusal(ticket, LOGIN_THROTTLED_MESSAGE, found?.accountId);
  let outcome: LoginFailure | { ok: true };
  try {
    outcome = await gate.hashing.run(() =>
      found
        ? gate.locks.run(found.accountId, () => attemptLogin(gate.context, found, credentials))
        : gate.context.dummy.run(credentials.password).then(() => loginFailure('unknown_user')),
    );
  } catch (err) {
    ticket.settle('not_evaluated');
    if (err instanceof HashingBusyError) return busyRefusal(err.engagedNow, found?.accountId);
    throw err;
  }
  if (outcome.ok) {
    ticket.settle('success');
    return { ok: true, account: found! };
  }
  return { ...outcome, ...ticket.settle(countsAsFailure(outcome.reason) ? 'failure' : 'not_evaluated') };
}

/** The name the throttle counts under: normalised, or '' for a name no account could have. */
export function usernameKey(username: string): string {
  try {
    return normalizeUsername(username);
  } catch {
    return '';
  }
}

/** The throttle's refusal as the answer of a login, or of another attempt it limits (enrolment). */
export function throttleRefusal(refused: ThrottleRefusal, message: string, accountId?: string): LoginRefusal {
  const { limit, retryAfterMs, engagedNow } = refused;
  return { ok: false, reason: 'throttled', limit, message, retryAfterMs, engagedNow, ...(accountId !== undefined && { accountId }) };
}

function busyRefusal(engagedNow: boolean, accountId: string | undefined): LoginRefusal {
  return { ok: false, reason: 'busy', limit: 'hashing', message: LOGIN_BUSY_MESSAGE, retryAfterMs: BUSY_RETRY_MS, engagedNow, ...(accountId !== undefined && { accountId }) };
}
