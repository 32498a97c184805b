// Accounts as the replay of their event log. The store applies events; deciding whether an
// event is allowed is the identity service's job, done before the event is appended.
import type { LogEntry, SealedAppendLog } from '../log/sealed-append-log.ts';
import type { AccountEvent, EnrolmentEvent } from './account-events.ts';
import { EnrolmentBook } from './enrolment-book.ts';
import { IdentityError } from './identity-errors.ts';
import type { AccountKind, Role } from './roles.ts';
import type { InsurerType } from '../../schemas/consent/release-authorization.ts';
import { Secret } from './secret.ts';

/** The log id the account log is opened with (it is bound into every sealed entry). */
export const ACCOUNT_LOG_ID = 'accounts';

export interface AccountState {
  accountId: string;
  username: string;
  kind: AccountKind;
  roles: Role[];
  patientId?: string;
  /** an insurer's kind (health plan, life...), fixed at creation */
  insurerType?: InsurerType;
  passwordHash?: Secret;
  /** the confirmed TOTP secret (base32) */
  totpSecret?: Secret;
  /** a newly enrolled secret, waiting for its first valid code */
  pendingTotpSecret?: Secret;
  /** the last TOTP step accepted; codes of this step or earlier are refused */
  lastTotpStep: number;
  disabled: boolean;
  createdAt: string;
  createdBy: string;
}

export interface ApiTokenState {
  tokenId: string;
  accountId: string;
  tokenHash: Secret;
  label: string;
  issuedAt: string;
  /** epoch ms; the token is refused from then on */
  expiresAt: number;
  revoked: boolean;
  revokedAt?: string;
  /** the token that replaced this one at a rotation */
  replacedBy?: string;
  /** the token this one replaced */
  rotatedFrom?: string;
}

export interface AccountStoreOptions {
  /**
   * The lifetime of a token issued before tokens carried an expiry: it expires this long after
   * it was issued, as a token issued today without an explicit lifetime would.
   */
  legacyTokenLifetimeMs: number;
}

/** The account, or the not-found error every account operation answers with. */
export function requireAccount(store: AccountStore, accountId: string): AccountState {
  const account = store.get(accountId);
  if (!account) throw new IdentityError('unknown_account', 'not_found', 'no such account', 'accountId');
  return account;
}

function isEnrolmentEvent(e: AccountEvent): e is EnrolmentEvent {
  return e.type.startsWith('enrolment.');
}

export class AccountStore {
  private readonly accounts = new Map<string, AccountState>();
  private readonly idByUsername = new Map<string, string>();
  private readonly tokens = new Map<string, ApiTokenState>();
  private readonly tokenIdByHash = new Map<string, string>();
  readonly enrolments = new EnrolmentBook();

  private constructor(
    private readonly log: SealedAppendLog<AccountEvent>,
    private readonly options: AccountStoreOptions,
  ) {}

  static async open(log: SealedAppendLog<AccountEvent>, options: AccountStoreOptions): Promise<AccountStore> {
    const store = new AccountStore(log, options);
    for await (const entry of log.entries()) store.apply(entry);
    return store;
  }

  /** Appends durably, then applies; returns once the event is both stored and visible. */
  async append(event: AccountEvent): Promise<void> {
    this.apply(await this.log.append(event));
  }

  get(accountId: string): AccountState | undefined {
    return this.accounts.get(accountId);
  }

  findByUsername(username: string): AccountState | undefined {
    const id = this.idByUsername.get(username);
    return id === undefined ? undefined : this.accounts.get(id);
  }

  list(): AccountState[] {
    return [...this.accounts.values()];
  }

  apiToken(tokenId: string): ApiTokenState | undefined {
    return this.tokens.get(tokenId);
  }

  apiTokenByHash(tokenHash: string): ApiTokenState | undefined {
    const id = this.tokenIdByHash.get(tokenHash);
    return id === undefined ? undefined : this.tokens.get(id);
  }

  apiTokensOf(accountId: string): ApiTokenState[] {
    return [...this.tokens.values()].filter((token) => token.accountId === accountId);
  }

  private addAccount(fields: Pick<AccountState, 'accountId' | 'username' | 'kind' | 'roles' | 'patientId' | 'insurerType' | 'createdAt' | 'createdBy'>): AccountState {
    const account: AccountState = {
      accountId: fields.accountId,
      username: fields.username,
      kind: fields.kind,
      roles: [...fields.roles],
      ...(fields.patientId !== undefined && { patientId: fields.patientId }),
      ...(fields.insurerType !== undefined && { insurerType: fields.insurerType }),
      lastTotpStep: -1,
      disabled: false,
      createdAt: fields.createdAt,
      createdBy: fields.createdBy,
    };
    this.accounts.set(account.accountId, account);
    this.idByUsername.set(account.username, account.accountId);
    return account;
  }

  private apply(entry: LogEntry<AccountEvent>): void {
    const e = entry.body;
    if (e.type === 'account.created') {
      const account = this.addAccount({ ...e, createdAt: e.at, createdBy: e.actorId });
      if (e.passwordHash !== undefined) account.passwordHash = new Secret(e.passwordHash);
      return;
    }
    if (isEnrolmentEvent(e)) {
      this.applyEnrolment(e);
      return;
    }
    if (e.type === 'api_token.issued') {
      const expiresAt = e.expiresAt === undefined ? Date.parse(e.at) + this.options.legacyTokenLifetimeMs : Date.parse(e.expiresAt);
      this.addToken({ tokenId: e.tokenId, accountId: e.accountId, tokenHash: new Secret(e.tokenHash), label: e.label, issuedAt: e.at, expiresAt, revoked: false });
      return;
    }
    if (e.type === 'api_token.rotated') {
      const old = this.tokens.get(e.tokenId);
      if (old) Object.assign(old, { expiresAt: Date.parse(e.oldExpiresAt), replacedBy: e.newTokenId });
      this.addToken({
        tokenId: e.newTokenId,
        accountId: e.accountId,
        tokenHash: new Secret(e.tokenHash),
        label: e.label,
        issuedAt: e.at,
        expiresAt: Date.parse(e.expiresAt),
        revoked: false,
        rotatedFrom: e.tokenId,
      });
      return;
    }
    const account = this.accounts.get(e.accountId);
    if (!account) return; // an event for an account this log never created: nothing to apply it to
    this.applyToAccount(account, e);
  }

  private addToken(token: ApiTokenState): void {
    this.tokens.set(token.tokenId, token);
    this.tokenIdByHash.set(token.tokenHash.reveal(), token.tokenId);
  }

  /** Issuing for an existing account clears what the redemption will set; redeeming sets it. */
  private applyEnrolment(e: EnrolmentEvent): void {
    this.enrolments.apply(e);
    if (e.type === 'enrolment.issued' && e.accountId !== undefined) {
      const account = this.accounts.get(e.accountId);
      if (account && e.sets.password) delete account.passwordHash;
      if (account && e.sets.totp) {
        delete account.totpSecret;
        delete account.pendingTotpSecret;
      }
    }
    if (e.type !== 'enrolment.redeemed') return;
    const enrolment = this.enrolments.get(e.enrolmentId);
    const account =
      e.newAccount !== undefined
        ? this.addAccount({ accountId: e.accountId, kind: 'human', ...e.newAccount, createdAt: e.at, createdBy: enrolment?.issuedBy ?? 'unknown' })
        : this.accounts.get(e.accountId);
    if (!account) return;
    if (e.passwordHash !== undefined) account.passwordHash = new Secret(e.passwordHash);
    if (e.totpSecret !== undefined) account.pendingTotpSecret = new Secret(e.totpSecret);
    // the login throttle forgets this name's failures and locks (IdentityService), in memory
  }

  private applyToAccount(account: AccountState, e: Exclude<AccountEvent, { type: 'account.created' | 'api_token.issued' | 'api_token.rotated' } | EnrolmentEvent>): void {
    switch (e.type) {
      case 'account.password_changed':
        account.passwordHash = new Secret(e.passwordHash);
        break;
      case 'account.roles_changed':
        account.roles = [...e.roles];
        break;
      case 'account.disabled':
        account.disabled = true;
        break;
      case 'account.enabled':
        account.disabled = false;
        break;
      case 'totp.enrolled':
        account.pendingTotpSecret = new Secret(e.secret);
        break;
      case 'totp.confirmed':
        if (account.pendingTotpSecret) account.totpSecret = account.pendingTotpSecret;
        delete account.pendingTotpSecret;
        account.lastTotpStep = Math.max(account.lastTotpStep, e.step);
        break;
      case 'login.failed':
        break; // failures and locks are the login throttle's, in memory; older logs' counts no longer apply
      case 'login.succeeded':
        if (e.totpStep !== undefined) account.lastTotpStep = Math.max(account.lastTotpStep, e.totpStep);
        break;
      case 'api_token.revoked': {
        const token = this.tokens.get(e.tokenId);
        if (token && !token.revoked) Object.assign(token, { revoked: true, revokedAt: e.at });
        break;
      }
    }
  }
}
