// The roles an account can hold, and which of them need a second factor.

import { ROLES, type Role } from '../../schemas/roles.ts';

export { ROLES, type Role };

export const ACCOUNT_KINDS = ['human', 'service'] as const;
/** Humans log in with password + TOTP; services present an API token (or a client certificate). */
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/**
 * Every human role needs TOTP. Each one reaches patient data or what protects it: clinicians,
 * counsellors, patients, proxies, relatives and insurers read records or results; researchers read
 * de-identified cohorts; auditors and the ethics board read audit entries naming patients and
 * break-glass reasons; admins hold keys and accounts, so a stolen admin password must not suffice.
 */
export const ROLES_REQUIRING_TOTP: readonly Role[] = ROLES;

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Whether logging in to an account with these roles needs a TOTP code. */
export function requiresTotp(kind: AccountKind, roles: readonly Role[]): boolean {
  return kind === 'human' && roles.some((role) => ROLES_REQUIRING_TOTP.includes(role));
}
