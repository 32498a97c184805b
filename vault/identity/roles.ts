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

/**
 * Roles that belong to a patient's data: the patient, a legal proxy, a relative. A service account
 * never holds them, and an account holding them is made only by a patient enrolment (identity
 * proofing by registration staff or a genetic counselor), never by an admin.
 */
export const PERSONAL_ROLES: readonly Role[] = ['patient', 'proxy', 'relative'];

/** Roles that proof a person's identity in person before an account is linked to a patient. */
export const IDENTITY_PROOFING_ROLES: readonly Role[] = ['registrar', 'genetic_counselor'];

/**
 * Whether creating or resetting an account with these roles is flagged for the privacy officer:
 * a patient's circle, and those who can link accounts to patients (whoever controls such an
 * account could enrol themselves into a patient's circle).
 */
export function underReview(roles: readonly Role[]): boolean {
  return roles.some((role) => PERSONAL_ROLES.includes(role) || IDENTITY_PROOFING_ROLES.includes(role));
}
