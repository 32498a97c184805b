// Who may change an account. Checked against the account store as it is now, not against the
// principal the caller carries, so a demoted or disabled admin loses the power at once.
import type { AccountStore } from './account-store.ts';
import { IdentityError } from './identity-errors.ts';
import type { Actor } from './principal.ts';
import { HOST_ACTOR } from './principal.ts';
import { IDENTITY_PROOFING_ROLES, PATIENT_ENROLMENT_CONFIRMING_ROLES } from './roles.ts';
import type { EnrolmentState } from './enrolment-book.ts';

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

/**
 * The second person of a dual-controlled enrolment: an enabled account, neither the one who
 * issued the first half nor the account being enrolled, holding the privacy officer's role (a
 * staff account) or a confirming role (a patient's circle; the policy has decided which patient
 * they may confirm for). The host needs no second person, so it never approves.
 */
export function requireApprover(store: AccountStore, actor: Actor, enrolment: EnrolmentState): void {
  const current = actor === HOST_ACTOR ? undefined : store.get(actor.accountId);
  const roles = enrolment.approval === 'privacy_officer' ? ['privacy_officer'] : PATIENT_ENROLMENT_CONFIRMING_ROLES;
  if (!current || current.disabled || !current.roles.some((role) => roles.includes(role))) {
    throw new IdentityError('not_permitted', 'forbidden', `only ${enrolment.approval === 'privacy_officer' ? 'a privacy officer' : 'registration staff, a counsellor on the care team or a privacy officer'} may approve this enrolment`);
  }
  if (current.accountId === enrolment.issuedBy) throw new IdentityError('approver_is_issuer', 'forbidden', 'the second half comes from someone other than the issuer');
  if (current.accountId === enrolment.accountId) throw new IdentityError('approver_is_subject', 'forbidden', 'nobody approves their own enrolment');
}
