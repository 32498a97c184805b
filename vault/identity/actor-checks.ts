// Who may change an account. Checked against the account store as it is now, not against the
// principal the caller carries, so a demoted or disabled admin loses the power at once.
import type { AccountStore } from './account-store.ts';
import { IdentityError } from './identity-errors.ts';
import type { Actor } from './principal.ts';
import { HOST_ACTOR } from './principal.ts';

/** The actor must be the host CLI or an enabled admin. */
export function requireAdmin(store: AccountStore, actor: Actor): void {
  if (actor === HOST_ACTOR) return;
  const current = store.get(actor.accountId);
  if (!current || current.disabled || !current.roles.includes('admin')) {
    throw new IdentityError('not_permitted', 'forbidden', 'only an admin may do this');
  }
}

/** Passes the account's own (enabled) holder or an admin; true when it is the holder acting on themselves. */
export function requireSelfOrAdmin(store: AccountStore, actor: Actor, accountId: string): boolean {
  if (actor !== HOST_ACTOR && actor.accountId === accountId && store.get(accountId)?.disabled === false) return true;
  requireAdmin(store, actor);
  return false;
}

/** Admins may not lock themselves out or raise their own powers. */
export function refuseSelf(actor: Actor, accountId: string, what: string): void {
  if (actor !== HOST_ACTOR && actor.accountId === accountId) throw new IdentityError('not_permitted', 'forbidden', `an admin cannot ${what}`);
}
