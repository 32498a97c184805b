// Who may change an account. Checked against the account store as it is now, not against the
// principal the caller carries, so a demoted or disabled admin loses the power at once.
import type { AccountStore } from './account-store.ts';
import { IdentityError } from './identity-errors.ts';
import type { Actor } from './principal.ts';
import { HOST_ACTOR } from './principal.ts';
import { IDENTITY_PROOFING_ROLES } from './roles.ts';

/** The actor must be the host CLI or an enabled admin. */
export function requireAdmin(store: AccountStore, actor: Actor): void {
  if (actor === HOST_ACTOR) return;
  const current = store.get(actor.accountId);
  if (!current || current.disabled || !current.roles.includes('admin')) {
    throw new IdentityError('not_permitted', 'forbidden', 'only an admin may do this');
  }
}

/** The actor must be the account's own, enabled holder: nobody else sets a person's credentials. */
export function requireSelf(store: AccountStore, actor: Actor, accountId: string): void {
  if (actor !== HOST_ACTOR && actor.accountId === accountId && store.get(accountId)?.disabled === false) return;
  throw new IdentityError('not_permitted', 'forbidden', 'only the account holder may do this');
}

/**
 * The actor must be an enabled account of registration staff or a genetic counselor: never an
 * admin and never the host, so whoever manages accounts cannot also link one to a patient.
 * (Which patients they may act for is the access policy's decision, taken before this.)
 */
export function requireIdentityProofer(store: AccountStore, actor: Actor): void {
  const current = actor === HOST_ACTOR ? undefined : store.get(actor.accountId);
  if (!current || current.disabled || !current.roles.some((role) => IDENTITY_PROOFING_ROLES.includes(role))) {
    throw new IdentityError('not_permitted', 'forbidden', 'only registration staff or a genetic counselor may do this');
  }
}

/** Admins may not lock themselves out or raise their own powers. */
export function refuseSelf(actor: Actor, accountId: string, what: string): void {
  if (actor !== HOST_ACTOR && actor.accountId === accountId) throw new IdentityError('not_permitted', 'forbidden', `an admin cannot ${what}`);
}
