// The two outward views of an account: the principal (who is calling) and the summary (what an
// admin may list). Neither carries a hash or a secret.
import type { AccountState, AccountStore } from './account-store.ts';
import type { Principal } from './principal.ts';
import type { AccountKind, Role } from './roles.ts';

/** What may be shown about an account: no hashes, no secrets. */
export interface AccountSummary {
  accountId: string;
  username: string;
  kind: AccountKind;
  roles: Role[];
  patientId?: string;
  disabled: boolean;
  locked: boolean;
  totp: 'none' | 'pending' | 'confirmed';
  /** an enrolment code (new account or reset) waits to be redeemed */
  enrolmentPending: boolean;
  createdAt: string;
  createdBy: string;
  apiTokens: { tokenId: string; label: string; issuedAt: string; revoked: boolean }[];
}

export function principalOf(account: AccountState): Principal {
  return {
    accountId: account.accountId,
    username: account.username,
    kind: account.kind,
    roles: [...account.roles],
    ...(account.patientId !== undefined && { patientId: account.patientId }),
  };
}

export function summarizeAccount(store: AccountStore, nowMs: number, account: AccountState): AccountSummary {
  return {
    ...principalOf(account),
    disabled: account.disabled,
    locked: account.lockedUntil !== undefined && account.lockedUntil > nowMs,
    totp: account.totpSecret ? 'confirmed' : account.pendingTotpSecret ? 'pending' : 'none',
    enrolmentPending: store.enrolments.unspent().some((e) => e.accountId === account.accountId && e.expiresAtMs > nowMs),
    createdAt: account.createdAt,
    createdBy: account.createdBy,
    apiTokens: store.apiTokensOf(account.accountId).map(({ tokenId, label, issuedAt, revoked }) => ({ tokenId, label, issuedAt, revoked })),
  };
}
