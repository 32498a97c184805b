// One password + TOTP login attempt against one account: the checks in a fixed order and TOTP
// replay protection. Failures are counted, and clients locked out, by the login throttle
// (login-throttle.ts), before and after this; the caller runs it in a slot of the bounded
// hashing queue (throttled-login.ts). Whatever fails, the caller shows one message; the
// structured reason is for the audit log only.
import type { AccountState, AccountStore } from './account-store.ts';
import type { DummyPasswordCheck, ScryptParams } from './password-hash.ts';
import { hashPassword, needsRehash, verifyPassword } from './password-hash.ts';
import { requiresTotp, rolesFitKind } from './roles.ts';
import { matchTotpStep } from './totp.ts';

/** The only thing a client is told about a failed login, whatever the reason. */
export const LOGIN_FAILED_MESSAGE = 'invalid credentials or account locked';

export type LoginFailureReason =
  | 'unknown_user'
  | 'bad_password'
  | 'disabled'
  | 'service_account' // services authenticate with API tokens, never passwords
  | 'roles_refused' // an older log's account whose roles do not fit its kind
  | 'totp_not_enrolled'
  | 'totp_missing'
  | 'bad_totp'
  | 'totp_replayed';

export interface LoginFailure {
  ok: false;
  /** for the audit log, never for the client */
  reason: LoginFailureReason;
  message: typeof LOGIN_FAILED_MESSAGE;
  /** the account the username named, when it exists (for the audit log) */
  accountId?: string;
  /** true when this very attempt locked its client out of the account (audit it as a lockout) */
  lockedNow: boolean;
  /** true when this very attempt brought the account to its hourly failure limit (audit it) */
  accountLimitReachedNow: boolean;
}

export interface LoginCredentials {
  username: string;
  password: string;
  totp?: string;
}

export interface LoginPolicy {
  scrypt: ScryptParams;
}

export interface LoginContext {
  store: AccountStore;
  dummy: DummyPasswordCheck;
  policy: LoginPolicy;
  now: () => number;
}

export function loginFailure(reason: LoginFailureReason, accountId?: string): LoginFailure {
  return { ok: false, reason, message: LOGIN_FAILED_MESSAGE, ...(accountId !== undefined && { accountId }), lockedNow: false, accountLimitReachedNow: false };
}

/** Whether a failure counts towards throttling: an account without TOTP is not the caller's doing. */
export function countsAsFailure(reason: LoginFailureReason): boolean {
  return reason !== 'totp_not_enrolled';
}

/** The refusals that come before the password is looked at; each still spends a dummy hash. */
function refusalBeforePassword(account: AccountState): LoginFailure | undefined {
  if (account.disabled) return loginFailure('disabled', account.accountId);
  if (account.kind === 'service') return loginFailure('service_account', account.accountId);
  if (!rolesFitKind(account.kind, account.roles)) return loginFailure('roles_refused', account.accountId);
  if (!account.passwordHash) return loginFailure('bad_password', account.accountId);
  return undefined;
}

type TotpCheck = { ok: true; step?: number; confirmsPending: boolean } | { ok: false; reason: LoginFailureReason };

function checkTotp(account: AccountState, code: string | undefined, now: number): TotpCheck {
  if (!requiresTotp(account.kind, account.roles)) return { ok: true, confirmsPending: false };
  const secret = account.totpSecret ?? account.pendingTotpSecret;
  // Not the caller's fault, so it does not count towards throttling (countsAsFailure); an admin must enrol a secret.
  if (!secret) return { ok: false, reason: 'totp_not_enrolled' };
  if (code === undefined || code === '') return { ok: false, reason: 'totp_missing' };
  const step = matchTotpStep(secret.reveal(), code, now);
  if (step === undefined) return { ok: false, reason: 'bad_totp' };
  if (step <= account.lastTotpStep) return { ok: false, reason: 'totp_replayed' };
  return { ok: true, step, confirmsPending: account.totpSecret === undefined };
}

/**
 * Checks `credentials` against `account` and records a success durably. The caller holds the
 * account's lock, so TOTP steps cannot race.
 */
export async function attemptLogin(ctx: LoginContext, account: AccountState, credentials: LoginCredentials): Promise<LoginFailure | { ok: true }> {
  const early = refusalBeforePassword(account);
  if (early) {
    await ctx.dummy.run(credentials.password);
    return early;
  }
  const passwordHash = account.passwordHash!.reveal();
  if (!(await verifyPassword(credentials.password, passwordHash))) return loginFailure('bad_password', account.accountId);

  const now = ctx.now();
  const totp = checkTotp(account, credentials.totp, now);
  if (!totp.ok) return loginFailure(totp.reason, account.accountId);

  const at = new Date(now).toISOString();
  if (totp.confirmsPending && totp.step !== undefined) {
    await ctx.store.append({ type: 'totp.confirmed', accountId: account.accountId, actorId: account.accountId, at, step: totp.step });
  }
  await ctx.store.append({ type: 'login.succeeded', accountId: account.accountId, at, ...(totp.step !== undefined && { totpStep: totp.step }) });
  if (needsRehash(passwordHash, ctx.policy.scrypt)) {
    const rehashed = await hashPassword(credentials.password, ctx.policy.scrypt);
    await ctx.store.append({ type: 'account.password_changed', accountId: account.accountId, actorId: account.accountId, at, passwordHash: rehashed, reason: 'rehash' });
  }
  return { ok: true };
}
