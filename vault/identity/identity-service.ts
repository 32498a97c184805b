// Accounts, logins and tokens composed into the one service the HTTP layer and the CLI use.
// Every change is an event in the sealed account log; secrets live only there (and in memory,
// wrapped in Secret) and never leave through a list or a result, except a new API token, an
// enrolment code (for the issuer to hand over) or a TOTP secret (to its owner at enrolment),
// each exactly once. Nobody sets another person's password or receives their TOTP secret.
import { SealedAppendLog } from '../log/sealed-append-log.ts';
import type { AccountEvent } from './account-events.ts';
import type { AccountState } from './account-store.ts';
import { ACCOUNT_LOG_ID, AccountStore, requireAccount } from './account-store.ts';
import { checkInsurerType, checkKind, checkPatientLink, checkRoles, isPatientLinked, normalizeUsername, refusePersonalRoles } from './account-validation.ts';
import { IdentityError, invalid } from './identity-errors.ts';
import { KeyedMutex } from './keyed-mutex.ts';
import type { LoginCredentials, LoginFailure } from './login-attempt.ts';
import { isApiToken } from './opaque-token.ts';
import type { ScryptParams } from './password-hash.ts';
import { DEFAULT_SCRYPT_PARAMS, DummyPasswordCheck, hashPassword, verifyPassword } from './password-hash.ts';
import { assertPasswordPolicy } from './password-policy.ts';
import type { Actor, Principal } from './principal.ts';
import { actorIdOf } from './principal.ts';
import { refuseSelf, requireAdmin, requireSelf } from './actor-checks.ts';
import type { AccountSummary } from './account-summary.ts';
import { principalOf, summarizeAccount } from './account-summary.ts';
import type { IssuedEnrolment } from './enrolment-service.ts';
import { DEFAULT_ENROLMENT_TTL_MS, DEFAULT_MAX_ENROLMENT_ATTEMPTS, EnrolmentService } from './enrolment-service.ts';
import { rolesFitKind, type AccountKind } from './roles.ts';
import { SessionStore } from './session-store.ts';
import { matchTotpStep } from './totp.ts';
import { randomId } from '../store/ids.ts';
import { LoginThrottle, type LoginThrottleLimits } from './login-throttle.ts';
import { HashingQueue, type HashingQueueLimits } from './hashing-queue.ts';
import { LOCAL_CLIENT, throttledLogin, type LoginGate, type LoginRefusal } from './throttled-login.ts';
import { ApiTokens, DEFAULT_API_TOKEN_POLICY, type ApiTokenPolicy, type ApiTokenSummary, type IssuedApiToken, type TokenRequest } from './api-tokens.ts';

export interface IdentityOptions {
  /** the clock, epoch ms; tests inject one to move time */
  now?: () => number;
  /** consecutive failures from one client that lock it out of an account (default 5) */
  maxFailedLogins?: number;
  /** how long such a lock lasts (default 15 min) */
  lockoutMs?: number;
  /** the other login limits (login-throttle.ts); maxFailedLogins and lockoutMs win over theirs */
  throttle?: Partial<LoginThrottleLimits>;
  /** password hashes logins may run at once, and how many may wait (hashing-queue.ts) */
  hashing?: Partial<HashingQueueLimits>;
  /** API token lifetimes and rotation overlap (api-tokens.ts) */
  apiTokens?: Partial<ApiTokenPolicy>;
  /** cost for new password hashes; older, weaker hashes are upgraded at the next login */
  scrypt?: ScryptParams;
  idleTimeoutMs?: number;
  absoluteLifetimeMs?: number;
  /** how long an enrolment code stays redeemable (default 72 h) */
  enrolmentTtlMs?: number;
  /** wrong attempts that void an enrolment code (default 5) */
  maxEnrolmentAttempts?: number;
}

/** A staff or service account; accounts linked to a patient come only from a patient enrolment. */
export interface NewAccount {
  username: string;
  roles: readonly string[];
  kind: AccountKind;
  /** required for an insurer: health_plan, life, disability or long_term_care */
  insurerType?: string | undefined;
}

export interface CreatedAccount {
  account: AccountSummary;
  /** for a person: the one-time code they redeem to set their password and TOTP */
  enrolment?: IssuedEnrolment;
}

export type LoginResult = { ok: true; token: string; expiresAt: string; principal: Principal } | LoginFailure | LoginRefusal;

/** Opens the account log at `path` with its data key. */
export function openAccountLog(path: string, key: Uint8Array): Promise<SealedAppendLog<AccountEvent>> {
  return SealedAppendLog.open<AccountEvent>(path, { key, logId: ACCOUNT_LOG_ID });
}

export class IdentityService {
  readonly sessions: SessionStore;
  /** issuing and redeeming enrolment codes, and credential resets */
  readonly enrolments: EnrolmentService;
  private readonly now: () => number;
  private readonly scrypt: ScryptParams;
  private readonly locks = new KeyedMutex();
  private readonly throttle: LoginThrottle;
  private readonly gate: LoginGate;
  private readonly apiTokens: ApiTokens;

  private constructor(
    private readonly store: AccountStore,
    options: IdentityOptions,
    tokenPolicy: ApiTokenPolicy,
  ) {
    this.now = options.now ?? Date.now;
    this.scrypt = options.scrypt ?? DEFAULT_SCRYPT_PARAMS;
    this.sessions = new SessionStore({ now: this.now, ...pick(options, 'idleTimeoutMs', 'absoluteLifetimeMs') });
    const lockout = { ...pick(options, 'lockoutMs'), ...(options.maxFailedLogins !== undefined && { lockoutThreshold: options.maxFailedLogins }) };
    this.throttle = new LoginThrottle({ ...options.throttle, ...lockout }, this.now);
    const context = { store, policy: { scrypt: this.scrypt }, now: this.now, dummy: new DummyPasswordCheck(this.scrypt) };
    this.gate = { throttle: this.throttle, hashing: new HashingQueue(options.hashing), context, locks: this.locks };
    this.apiTokens = new ApiTokens(store, this.locks, this.now, tokenPolicy);
    const maxAttempts = options.maxEnrolmentAttempts ?? DEFAULT_MAX_ENROLMENT_ATTEMPTS;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError('maxEnrolmentAttempts must be a positive integer');
    const ttlMs = options.enrolmentTtlMs ?? DEFAULT_ENROLMENT_TTL_MS;
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError('enrolmentTtlMs must be a positive number of milliseconds');
    this.enrolments = new EnrolmentService({ store, sessions: this.sessions, locks: this.locks, throttle: this.throttle, now: this.now, scrypt: this.scrypt, ttlMs, maxAttempts });
  }

  /** Replays `log` into the account state. The service does not own the log: the caller closes it. */
  static async open(log: SealedAppendLog<AccountEvent>, options: IdentityOptions = {}): Promise<IdentityService> {
    const tokenPolicy = { ...DEFAULT_API_TOKEN_POLICY, ...options.apiTokens };
    return new IdentityService(await AccountStore.open(log, { legacyTokenLifetimeMs: tokenPolicy.lifetimeMs }), options, tokenPolicy);
  }

  /**
   * A staff or service account, by an admin or the host. A person's account has no password and no
   * TOTP until they redeem the enrolment code returned here (to be handed to them).
   */
  async createAccount(input: NewAccount, actor: Actor): Promise<CreatedAccount> {
    requireAdmin(this.store, actor);
    const username = normalizeUsername(input.username);
    const kind = checkKind(input.kind);
    const roles = checkRoles(input.roles, kind);
    refusePersonalRoles(roles);
    const insurerType = checkInsurerType(roles, input.insurerType);
    return this.locks.run(`username:${username}`, async () => {
      if (this.store.findByUsername(username)) throw new IdentityError('username_taken', 'conflict', 'that username is taken', 'username');
      const accountId = randomId('acc');
      await this.store.append({ type: 'account.created', accountId, actorId: actorIdOf(actor), at: this.isoNow(), username, kind, roles, ...(insurerType ? { insurerType } : {}) });
      const enrolment = kind === 'human' ? await this.enrolments.issueForNewAccount(accountId, actor) : undefined;
      return { account: this.summary(this.account(accountId)), ...(enrolment && { enrolment }) };
    });
  }

  /** People change their own password, giving the current one; nobody sets another's. Ends all sessions. */
  async changePassword(accountId: string, change: { newPassword: string; currentPassword?: string }, actor: Actor): Promise<void> {
    requireSelf(this.store, actor, accountId);
    await this.locks.run(accountId, async () => {
      const account = this.account(accountId);
      if (account.kind !== 'human') throw invalid('wrong_account_kind', 'accountId', 'service accounts have no password');
      if (!(await this.currentPasswordMatches(account, change.currentPassword))) {
        throw invalid('current_password_wrong', 'currentPassword', 'the current password is not correct');
      }
      assertPasswordPolicy(change.newPassword, account.username);
      const passwordHash = await hashPassword(change.newPassword, this.scrypt);
      await this.store.append({ type: 'account.password_changed', accountId, actorId: actorIdOf(actor), at: this.isoNow(), passwordHash, reason: 'set' });
      this.sessions.revokeAll(accountId);
      this.throttle.unlock(account.username);
    });
  }

  async setRoles(accountId: string, roles: readonly string[], actor: Actor): Promise<AccountSummary> {
    requireAdmin(this.store, actor);
    refuseSelf(actor, accountId, 'change their own roles');
    return this.locks.run(accountId, async () => {
      const account = this.account(accountId);
      const checked = checkRoles(roles, account.kind);
      // a patient's circle is fixed by enrolment: no role change makes or unmakes a patient link
      if (isPatientLinked(account)) throw new IdentityError('patient_linked_account', 'forbidden', 'the roles of an account linked to a patient do not change');
      refusePersonalRoles(checked);
      checkPatientLink(checked, account.patientId);
      // the insurer type is fixed at creation: an account made without one never becomes an insurer
      if (checked.includes('insurer') && account.insurerType === undefined) throw invalid('insurer_type_required', 'roles', 'an insurer account is created with its insurer type');
      await this.store.append({ type: 'account.roles_changed', accountId, actorId: actorIdOf(actor), at: this.isoNow(), roles: checked });
      return this.summary(account);
    });
  }

  /** Disables the account and ends its sessions; its API tokens stop working too. */
  async disableAccount(accountId: string, actor: Actor): Promise<void> {
    requireAdmin(this.store, actor);
    refuseSelf(actor, accountId, 'disable their own account');
    await this.locks.run(accountId, async () => {
      this.account(accountId);
      await this.store.append({ type: 'account.disabled', accountId, actorId: actorIdOf(actor), at: this.isoNow() });
      this.sessions.revokeAll(accountId);
    });
  }

  /** Re-enables an account (its unexpired, unrevoked API tokens work again); also clears its login throttling. */
  async enableAccount(accountId: string, actor: Actor): Promise<void> {
    requireAdmin(this.store, actor);
    await this.locks.run(accountId, async () => {
      const account = this.account(accountId);
      await this.store.append({ type: 'account.enabled', accountId, actorId: actorIdOf(actor), at: this.isoNow() });
      this.throttle.unlock(account.username);
    });
  }

  /** Forgets every failed login and lock against the account, from every client (they live in memory only). */
  unlockAccount(accountId: string, actor: Actor): void {
    requireAdmin(this.store, actor);
    this.throttle.unlock(this.account(accountId).username);
  }

  /** Confirms a pending secret with a current code (a login with it confirms it as well). */
  async confirmTotp(accountId: string, code: string, actor: Actor): Promise<void> {
    requireSelf(this.store, actor, accountId);
    await this.locks.run(accountId, async () => {
      const account = this.account(accountId);
      if (!account.pendingTotpSecret) throw new IdentityError('totp_not_pending', 'conflict', 'there is no TOTP enrollment waiting for confirmation');
      const step = matchTotpStep(account.pendingTotpSecret.reveal(), code, this.now());
      if (step === undefined || step <= account.lastTotpStep) throw invalid('totp_code_invalid', 'code', 'the code does not match');
      await this.store.append({ type: 'totp.confirmed', accountId, actorId: actorIdOf(actor), at: this.isoNow(), step });
    });
  }

  /** A new API token for a service account, with an expiry: the token is returned once, only its hash is kept. */
  issueApiToken(accountId: string, request: string | TokenRequest, actor: Actor): Promise<IssuedApiToken> {
    return this.apiTokens.issue(accountId, typeof request === 'string' ? { label: request } : request, actor);
  }

  /** A replacement for an active token; the old one works on for the rotation overlap. */
  rotateApiToken(accountId: string, tokenId: string, request: Omit<TokenRequest, 'label'>, actor: Actor): Promise<IssuedApiToken & { previousExpiresAt: string }> {
    return this.apiTokens.rotate(accountId, tokenId, request, actor);
  }

  /** A service replaces the API token it authenticated with (`token`); refused to anyone else. */
  rotatePresentedApiToken(token: string, request: Omit<TokenRequest, 'label'>, actor: Actor) {
    return this.apiTokens.rotatePresented(token, request, actor);
  }

  revokeApiToken(tokenId: string, actor: Actor, accountId?: string): Promise<void> {
    return this.apiTokens.revoke(tokenId, actor, accountId);
  }

  listApiTokens(accountId: string, actor: Actor): ApiTokenSummary[] {
    return this.apiTokens.list(accountId, actor);
  }

  /**
   * Password + TOTP login from `client` (its network address, for throttling). On failure the
   * client sees only `message`; `reason` is for the audit log.
   */
  async login(credentials: LoginCredentials, client: string = LOCAL_CLIENT): Promise<LoginResult> {
    const outcome = await throttledLogin(this.gate, credentials, client);
    if (!outcome.ok) return outcome;
    const principal = principalOf(outcome.account);
    const session = this.sessions.create(principal);
    return { ok: true, token: session.token, expiresAt: new Date(session.expiresAt).toISOString(), principal };
  }

  /** Ends the session; true if there was one. */
  logout(token: string): boolean {
    return this.sessions.revoke(token);
  }

  /**
   * The principal behind a session token or an API token, fresh from the account state; null if
   * none, if the account is disabled, or if its roles do not fit its kind (an older log's service
   * account holding a person's role is refused, not kept working).
   */
  authenticateToken(token: string): Principal | null {
    if (isApiToken(token)) {
      const record = this.apiTokens.find(token);
      const account = record ? this.store.get(record.accountId) : undefined;
      return account && usable(account) ? principalOf(account) : null;
    }
    const session = this.sessions.authenticate(token);
    if (!session) return null;
    const account = this.store.get(session.accountId);
    if (!account || !usable(account)) {
      this.sessions.revoke(token);
      return null;
    }
    return principalOf(account);
  }

  /** The service account a client certificate names (by username), if it may authenticate. */
  authenticateCertificate(commonName: string): Principal | null {
    const account = this.store.findByUsername(commonName.toLowerCase());
    return account && account.kind === 'service' && usable(account) ? principalOf(account) : null;
  }

  /** Accounts whose roles do not fit their kind (only older logs hold them): refused at authentication, to be reported. */
  accountsWithRefusedRoles(): AccountSummary[] {
    return this.store.list().filter((account) => !rolesFitKind(account.kind, account.roles)).map((account) => this.summary(account));
  }

  listAccounts(): AccountSummary[] {
    return this.store.list().map((account) => this.summary(account));
  }

  getAccount(accountId: string): AccountSummary | undefined {
    const account = this.store.get(accountId);
    return account && this.summary(account);
  }

  private summary(account: AccountState): AccountSummary {
    return summarizeAccount(this.store, this.now(), account, this.throttle.isLocked(account.username));
  }

  private account(accountId: string): AccountState {
    return requireAccount(this.store, accountId);
  }

  private async currentPasswordMatches(account: AccountState, password: string | undefined): Promise<boolean> {
    if (password === undefined || !account.passwordHash) return false;
    return verifyPassword(password, account.passwordHash.reveal());
  }

  private isoNow(): string {
    return new Date(this.now()).toISOString();
  }
}

/** Enabled, with roles that fit its kind. */
function usable(account: AccountState): boolean {
  return !account.disabled && rolesFitKind(account.kind, account.roles);
}

function pick<T extends object, K extends keyof T>(source: T, ...keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
