// Accounts as the replay of their event log. The store applies events; deciding whether an
// event is allowed is the identity service's job, done before the event is appended.
import type { LogEntry, SealedAppendLog } from '../log/sealed-append-log.ts';
import type { AccountEvent, EnrolmentEvent } from './account-events.ts';
import { EnrolmentBook } from './enrolment-book.ts';
import { IdentityError } from './identity-errors.ts';
import type { AccountKind, Role } from './roles.ts';
import { Secret } from './secret.ts';

/** The log id the account log is opened with (it is bound into every sealed entry). */
export const ACCOUNT_LOG_ID = 'accounts';

export interface AccountState {
  accountId: string;
  username: string;
  kind: AccountKind;
  roles: Role[];
  patientId?: string;
  passwordHash?: Secret;
  /** the confirmed TOTP secret (base32) */
  totpSecret?: Secret;
  /** a newly enrolled secret, waiting for its first valid code */
  pendingTotpSecret?: Secret;
  /** the last TOTP step accepted; codes of this step or earlier are refused */
  lastTotpStep: number;
  failedLogins: number;
  /** epoch ms until which logins are refused */
  lockedUntil?: number;
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
  revoked: boolean;
}

/** The account, or the not-found error every account operation answers with. */
export function requireAccount(store: AccountStore, accountId: string): AccountState {
  const account = store.get(accountId);
  if (!account) throw new IdentityError('unknown_account', 'not_found', 'no such account', 'accountId');
  return account;
}

function isEnrolmentEvent(e: AccountEvent): e is EnrolmentEvent {
  return e.type === 'enrolment.issued' || e.type === 'enrolment.failed' || e.type === 'enrolment.redeemed';
}

/** Failures that still count at `atMs`: a lock that has run out starts the count afresh. */
export function countingFailures(account: AccountState, atMs: number): number {
  return account.lockedUntil !== undefined && account.lockedUntil <= atMs ? 0 : account.failedLogins;
}

export class AccountStore {
  private readonly accounts = new Map<string, AccountState>();
  private readonly idByUsername = new Map<string, string>();
  private readonly tokens = new Map<string, ApiTokenState>();
  private readonly tokenIdByHash = new Map<string, string>();
  readonly enrolments = new EnrolmentBook();

  private constructor(private readonly log: SealedAppendLog<AccountEvent>) {}

  static async open(log: SealedAppendLog<AccountEvent>): Promise<AccountStore> {
    const store = new AccountStore(log);
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

  private addAccount(fields: Pick<AccountState, 'accountId' | 'username' | 'kind' | 'roles' | 'patientId' | 'createdAt' | 'createdBy'>): AccountState {
    const account: AccountState = {
      accountId: fields.accountId,
      username: fields.username,
      kind: fields.kind,
      roles: [...fields.roles],
      ...(fields.patientId !== undefined && { patientId: fields.patientId }),
      lastTotpStep: -1,
      failedLogins: 0,
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
      this.tokens.set(e.tokenId, {
        tokenId: e.tokenId,
        accountId: e.accountId,
        tokenHash: new Secret(e.tokenHash),
        label: e.label,
        issuedAt: e.at,
        revoked: false,
      });
      this.tokenIdByHash.set(e.tokenHash, e.tokenId);
      return;
    }
    const account = this.accounts.get(e.accountId);
    if (!account) return; // an event for an account this log never created: nothing to apply it to
    this.applyToAccount(account, e);
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
    account.failedLogins = 0; // the person has just proven themselves with the code
    delete account.lockedUntil;
  }

  private applyToAccount(account: AccountState, e: Exclude<AccountEvent, { type: 'account.created' | 'api_token.issued' } | EnrolmentEvent>): void {
    switch (e.type) {
      case 'account.password_changed':
        account.passwordHash = new Secret(e.passwordHash);
        if (e.reason === 'set') {
          account.failedLogins = 0; // a reset by an admin is also how a locked account is released
          delete account.lockedUntil;
        }
        break;
      case 'account.roles_changed':
        account.roles = [...e.roles];
        break;
      case 'account.disabled':
        account.disabled = true;
        break;
      case 'account.enabled':
        account.disabled = false;
        account.failedLogins = 0;
        delete account.lockedUntil;
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
        account.failedLogins = countingFailures(account, Date.parse(e.at)) + 1;
        if (e.lockedUntil !== undefined) account.lockedUntil = Date.parse(e.lockedUntil);
        else if (account.lockedUntil !== undefined && account.lockedUntil <= Date.parse(e.at)) delete account.lockedUntil;
        break;
      case 'login.succeeded':
        account.failedLogins = 0;
        delete account.lockedUntil;
        if (e.totpStep !== undefined) account.lastTotpStep = Math.max(account.lastTotpStep, e.totpStep);
        break;
      case 'api_token.revoked': {
        const token = this.tokens.get(e.tokenId);
        if (token) token.revoked = true;
        break;
      }
    }
  }
}
