// API tokens of service accounts: issued with an expiry, rotated with a short overlap, revoked,
// listed. A token is shown once, when issued; only its SHA-256 is kept, and a listing carries
// neither. A token is a whole credential for its service, so no one person may mint one: tokens
// are issued on the vault host only (which holds the master key, and the CA that signs client
// certificates, anyway); a service rotates the token it presents; admins list and revoke.
import type { AccountState, AccountStore, ApiTokenState } from './account-store.ts';
import { requireAdmin } from './actor-checks.ts';
import { HOST_ACTOR } from './principal.ts';
import { IdentityError, invalid } from './identity-errors.ts';
import type { KeyedMutex } from './keyed-mutex.ts';
import { hashToken, newApiToken } from './opaque-token.ts';
import type { Actor } from './principal.ts';
import { actorIdOf } from './principal.ts';
import { randomId } from '../store/ids.ts';

const DAY_MS = 86_400_000;

export interface ApiTokenPolicy {
  /** lifetime of a token issued without one */
  lifetimeMs: number;
  /** the longest lifetime an admin may ask for */
  maxLifetimeMs: number;
  /** how long a rotated-out token keeps working beside its replacement (0: it stops at once) */
  rotationOverlapMs: number;
}

export const DEFAULT_API_TOKEN_POLICY: Readonly<ApiTokenPolicy> = Object.freeze({
  lifetimeMs: 90 * DAY_MS,
  maxLifetimeMs: 365 * DAY_MS,
  rotationOverlapMs: 60 * 60_000,
});

/** What may be shown about a token: never the token or its hash. */
export interface ApiTokenSummary {
  tokenId: string;
  label: string;
  issuedAt: string;
  expiresAt: string;
  state: 'active' | 'expired' | 'revoked';
  revokedAt?: string;
  replacedBy?: string;
  rotatedFrom?: string;
}

export interface IssuedApiToken {
  tokenId: string;
  /** the token itself: shown this once */
  token: string;
  expiresAt: string;
}

export interface TokenRequest {
  label: string;
  /** whole days; the policy's lifetime when absent */
  lifetimeDays?: number;
}

export function isTokenUsable(token: ApiTokenState, nowMs: number): boolean {
  return !token.revoked && nowMs < token.expiresAt;
}

export function summarizeApiToken(token: ApiTokenState, nowMs: number): ApiTokenSummary {
  return {
    tokenId: token.tokenId,
    label: token.label,
    issuedAt: token.issuedAt,
    expiresAt: new Date(token.expiresAt).toISOString(),
    state: token.revoked ? 'revoked' : nowMs < token.expiresAt ? 'active' : 'expired',
    ...(token.revokedAt !== undefined && { revokedAt: token.revokedAt }),
    ...(token.replacedBy !== undefined && { replacedBy: token.replacedBy }),
    ...(token.rotatedFrom !== undefined && { rotatedFrom: token.rotatedFrom }),
  };
}

export function checkApiTokenPolicy(policy: ApiTokenPolicy): void {
  if (!(policy.lifetimeMs > 0) || !(policy.maxLifetimeMs >= policy.lifetimeMs)) throw new RangeError('an API token lifetime must be positive and at most the maximum lifetime');
  if (!(policy.rotationOverlapMs >= 0)) throw new RangeError('the rotation overlap must not be negative');
}

export class ApiTokens {
  constructor(
    private readonly store: AccountStore,
    private readonly locks: KeyedMutex,
    private readonly now: () => number,
    readonly policy: ApiTokenPolicy,
  ) {
    checkApiTokenPolicy(policy);
  }

  async issue(accountId: string, request: TokenRequest, actor: Actor): Promise<IssuedApiToken> {
    requireHost(actor);
    const label = checkLabel(request.label);
    const lifetimeMs = this.lifetimeOf(request.lifetimeDays);
    return this.locks.run(accountId, async () => {
      this.serviceAccount(accountId);
      const at = this.now();
      const fresh = newToken(at + lifetimeMs);
      await this.store.append({ type: 'api_token.issued', accountId, actorId: actorIdOf(actor), at: iso(at), tokenId: fresh.tokenId, tokenHash: fresh.hash, label, expiresAt: fresh.expiresAt });
      return fresh.issued;
    });
  }

  /**
   * A replacement with the same label; the old token keeps working for the policy's overlap
   * (never past its own expiry), so a deployed client can switch without an outage.
   */
  async rotate(accountId: string, tokenId: string, request: Omit<TokenRequest, 'label'>, actor: Actor): Promise<IssuedApiToken & { previousExpiresAt: string }> {
    requireHost(actor);
    return this.replace(accountId, tokenId, request, actor);
  }

  /**
   * A service replaces the token it presents (`token`, which authenticated `actor`): the holder of
   * a working token gets a fresh one, nobody else gets anything.
   */
  async rotatePresented(token: string, request: Omit<TokenRequest, 'label'>, actor: Actor): Promise<IssuedApiToken & { tokenIdReplaced: string; previousExpiresAt: string }> {
    const record = this.find(token);
    if (actor === HOST_ACTOR || !record || record.accountId !== actor.accountId || this.store.get(actor.accountId)?.disabled !== false) {
      throw new IdentityError('not_permitted', 'forbidden', 'a service rotates the API token it presents; people and sessions have none');
    }
    const rotated = await this.replace(record.accountId, record.tokenId, request, actor);
    return { ...rotated, tokenIdReplaced: record.tokenId };
  }

  private async replace(accountId: string, tokenId: string, request: Omit<TokenRequest, 'label'>, actor: Actor): Promise<IssuedApiToken & { previousExpiresAt: string }> {
    const lifetimeMs = this.lifetimeOf(request.lifetimeDays);
    return this.locks.run(accountId, async () => {
      this.serviceAccount(accountId);
      const old = this.tokenOf(accountId, tokenId);
      const at = this.now();
      if (!isTokenUsable(old, at) || old.replacedBy !== undefined) {
        throw new IdentityError('api_token_inactive', 'conflict', 'only an active token that has not been rotated already can be rotated; issue a new one', 'tokenId');
      }
      const oldExpiresAt = iso(Math.min(old.expiresAt, at + this.policy.rotationOverlapMs));
      const fresh = newToken(at + lifetimeMs);
      await this.store.append({
        type: 'api_token.rotated',
        accountId,
        actorId: actorIdOf(actor),
        at: iso(at),
        tokenId,
        oldExpiresAt,
        newTokenId: fresh.tokenId,
        tokenHash: fresh.hash,
        label: old.label,
        expiresAt: fresh.expiresAt,
      });
      return { ...fresh.issued, previousExpiresAt: oldExpiresAt };
    });
  }

  /** Revokes at once; revoking a revoked token changes nothing. `accountId`, when given, must own it. */
  async revoke(tokenId: string, actor: Actor, accountId?: string): Promise<void> {
    requireAdmin(this.store, actor);
    const token = this.store.apiToken(tokenId);
    if (!token || (accountId !== undefined && token.accountId !== accountId)) throw unknownToken();
    await this.locks.run(token.accountId, async () => {
      if (token.revoked) return;
      await this.store.append({ type: 'api_token.revoked', accountId: token.accountId, actorId: actorIdOf(actor), at: iso(this.now()), tokenId });
    });
  }

  list(accountId: string, actor: Actor): ApiTokenSummary[] {
    requireAdmin(this.store, actor);
    this.serviceAccount(accountId);
    const now = this.now();
    return this.store.apiTokensOf(accountId).map((token) => summarizeApiToken(token, now));
  }

  /** The usable token record behind `token`, if any. */
  find(token: string): ApiTokenState | undefined {
    const record = this.store.apiTokenByHash(hashToken(token));
    return record && isTokenUsable(record, this.now()) ? record : undefined;
  }

  private lifetimeOf(days: number | undefined): number {
    if (days === undefined) return this.policy.lifetimeMs;
    const maxDays = Math.floor(this.policy.maxLifetimeMs / DAY_MS);
    if (!Number.isInteger(days) || days < 1 || days > maxDays) throw invalid('invalid_token_lifetime', 'expiresInDays', `a token lives 1 to ${maxDays} whole days`);
    return days * DAY_MS;
  }

  private serviceAccount(accountId: string): AccountState {
    const account = this.store.get(accountId);
    if (!account) throw new IdentityError('unknown_account', 'not_found', 'no such account', 'accountId');
    if (account.kind !== 'service') throw invalid('wrong_account_kind', 'accountId', 'API tokens are for service accounts');
    return account;
  }

  private tokenOf(accountId: string, tokenId: string): ApiTokenState {
    const token = this.store.apiToken(tokenId);
    if (!token || token.accountId !== accountId) throw unknownToken();
    return token;
  }
}

function requireHost(actor: Actor): void {
  if (actor !== HOST_ACTOR) throw new IdentityError('token_issued_on_host', 'forbidden', 'API tokens are issued on the vault host (genovault users issue-token); a service rotates its own');
}

function checkLabel(label: string): string {
  if (!/^[\w .:-]{1,64}$/.test(label)) throw invalid('invalid_label', 'label', 'label must be 1-64 letters, digits, spaces or _ . : -');
  return label;
}

function newToken(expiresAtMs: number) {
  const token = newApiToken();
  const tokenId = randomId('tok');
  const expiresAt = iso(expiresAtMs);
  return { tokenId, hash: hashToken(token), expiresAt, issued: { tokenId, token, expiresAt } };
}

function unknownToken(): IdentityError {
  return new IdentityError('unknown_api_token', 'not_found', 'no such API token', 'tokenId');
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
