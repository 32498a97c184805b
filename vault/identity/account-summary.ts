// The two outward views of an account: the principal (who is calling) and the summary (what an
// admin may list). Neither carries a hash or a secret.
import type { AccountState, AccountStore } from './account-store.ts';
import { summarizeApiToken, type ApiTokenSummary } from './api-tokens.ts';
import type { Principal } from './principal.ts';
import { rolesFitKind, type AccountKind, type Role } from './roles.ts';
import type { InsurerType } from '../../schemas/consent/release-authorization.ts';

/** What may be shown about an account: no hashes, no secrets. */
export interface AccountSummary {
  accountId: string;
  username: string;
  kind: AccountKind;
  roles: Role[];
  patientId?: string;
  insurerType?: InsurerType;
  disabled: boolean;
  /** some client is locked out of it, or it is at its hourly failure limit (login-throttle.ts) */
  locked: boolean;
  totp: 'none' | 'pending' | 'confirmed';
  /** an enrolment code (new account or reset) waits to be redeemed */
  enrolmentPending: boolean;
  /** its roles do not fit its kind (an older log): it cannot authenticate */
  rolesRefused: boolean;
  createdAt: string;
  createdBy: string;
  apiTokens: ApiTokenSummary[];
}

export function principalOf(account: AccountState): Principal {
  return {
    accountId: account.accountId,
    username: account.username,
    kind: account.kind,
    roles: [...account.roles],
    ...(account.patientId !== undefined && { patientId: account.patientId }),
    ...(account.insurerType !== undefined && { insurerType: account.insurerType }),
  };
}

export function summarizeAccount(store: AccountStore, nowMs: number, account: AccountState, locked: boolean): AccountSummary {
  return {
    ...principalOf(account),
    disabled: account.disabled,
    locked,
    totp: account.totpSecret ? 'confirmed' : account.pendingTotpSecret ? 'pending' : 'none',
    enrolmentPending: store.enrolments.unspent().some((e) => e.accountId === account.accountId && e.expiresAtMs > nowMs),
    rolesRefused: !rolesFitKind(account.kind, account.roles),
    createdAt: account.createdAt,
    createdBy: account.createdBy,
    apiTokens: store.apiTokensOf(account.accountId).map((token) => summarizeApiToken(token, nowMs)),
  };
}
