// Who is making a request, as the rest of the vault sees it. Built fresh from the account store
// on every authentication, so a role change or a disabled account takes effect at once.
import type { AccountKind, Role } from './roles.ts';
import type { InsurerType } from '../../schemas/consent/release-authorization.ts';

export interface Principal {
  accountId: string;
  username: string;
  kind: AccountKind;
  roles: Role[];
  /** set for accounts of role patient: the patient they are */
  patientId?: string;
  /** set for insurer accounts: the kind of insurer, recorded when the account was made */
  insurerType?: InsurerType;
}

/** The CLI on the vault host (it holds the master key already), e.g. to create the first admin. */
export const HOST_ACTOR = 'host';
export type Actor = Principal | typeof HOST_ACTOR;

export function actorIdOf(actor: Actor): string {
  return actor === HOST_ACTOR ? HOST_ACTOR : actor.accountId;
}
