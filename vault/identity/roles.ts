// The roles an account can hold: which need a second factor, which belong to services only, and
// who is the second person when an account is enrolled.

import { ROLES, SERVICE_ROLES, type Role } from '../../schemas/roles.ts';

export { ROLES, SERVICE_ROLES, type Role };

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
 * Who confirms a patient-linked enrolment (patient, proxy, relative, or its reset) as the second
 * person: registration staff, a counsellor on the care team (the policy decides), or the privacy
 * officer; never the one who issued it.
 */
export const PATIENT_ENROLMENT_CONFIRMING_ROLES: readonly Role[] = ['registrar', 'genetic_counselor', 'privacy_officer'];

/**
 * Human staff roles. Every one of them reads patient data or grants access to it, so an admin
 * never enrols one alone (the privacy officer approves, see enrolment-service.ts): clinicians
 * and counsellors read records and variants; registration staff assign care teams and enrol a
 * patient's circle; the privacy officer approves enrolments; auditors and the ethics board read
 * audit entries naming patients and break-glass reasons; researchers receive record-level
 * cohorts; insurers receive what a patient releases; admins hold accounts and keys.
 */
export const STAFF_ROLES: readonly Role[] = ROLES.filter((role) => !PERSONAL_ROLES.includes(role) && !SERVICE_ROLES.includes(role));

export function isServiceRole(role: Role): boolean {
  return SERVICE_ROLES.includes(role);
}

/**
 * Service accounts hold service roles only; people hold none. An account whose roles break this
 * (written by an older version) is refused at authentication, not silently kept working.
 */
export function rolesFitKind(kind: AccountKind, roles: readonly Role[]): boolean {
  return kind === 'service' ? roles.length > 0 && roles.every(isServiceRole) : !roles.some(isServiceRole);
}
