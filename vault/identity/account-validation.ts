// Checks on account input that do not need the store: username shape, role sets, patient link.
import { IdentityError, invalid } from './identity-errors.ts';
import type { AccountKind, Role } from './roles.ts';
import { INSURER_TYPES, type InsurerType } from '../../schemas/consent/release-authorization.ts';
import { ACCOUNT_KINDS, PERSONAL_ROLES, SERVICE_ROLES, isRole, isServiceRole } from './roles.ts';

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,63}$/;
const PATIENT_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/** Whether an account belongs to a patient's circle, by its roles or its patient link. */
export function isPatientLinked(account: { roles: readonly Role[]; patientId?: string | undefined }): boolean {
  return account.patientId !== undefined || account.roles.some((role) => PERSONAL_ROLES.includes(role));
}

/** Admins and the host manage staff and service accounts only. */
export function refusePersonalRoles(roles: readonly Role[]): void {
  const personal = roles.find((role) => PERSONAL_ROLES.includes(role));
  if (personal) {
    throw new IdentityError('patient_link_requires_enrolment', 'forbidden', `an account with the role ${personal} is made only by a patient enrolment`, 'roles');
  }
}

/** Usernames are compared in lower case; 3–64 of a-z, 0-9, '.', '_', '-', starting alphanumeric. */
export function normalizeUsername(username: string): string {
  const normalized = username.trim().toLowerCase();
  if (!USERNAME.test(normalized)) {
    throw invalid('invalid_username', 'username', "username must be 3-64 characters of a-z, 0-9, '.', '_', '-' and start with a letter or digit");
  }
  return normalized;
}

export function checkKind(kind: string): AccountKind {
  if (!(ACCOUNT_KINDS as readonly string[]).includes(kind)) throw invalid('wrong_account_kind', 'kind', "kind must be 'human' or 'service'");
  return kind as AccountKind;
}

/**
 * A non-empty set of known roles that fits the account's kind (service roles for services only).
 * Admin stands alone: separation of duties means whoever manages
 * accounts and keys never also reads patient data or reviews the audit of their own actions.
 */
export function checkRoles(roles: readonly string[], kind: AccountKind): Role[] {
  if (roles.length === 0) throw invalid('invalid_roles', 'roles', 'an account needs at least one role');
  const seen = new Set<Role>();
  roles.forEach((role, i) => {
    if (!isRole(role)) throw invalid('invalid_roles', `roles[${i}]`, 'unknown role');
    if (seen.has(role)) throw invalid('invalid_roles', `roles[${i}]`, 'role listed twice');
    seen.add(role);
  });
  if (seen.has('admin') && seen.size > 1) throw invalid('role_conflict', 'roles', 'admin cannot be combined with other roles');
  // a service authenticates by token alone, so it never holds a person's role (nor a person a service's)
  const misfit = [...seen].find((role) => isServiceRole(role) !== (kind === 'service'));
  if (misfit !== undefined) {
    const detail = kind === 'service' ? `a service account holds only the roles ${SERVICE_ROLES.join(', ')}` : `the role ${misfit} is for service accounts`;
    throw invalid('role_not_for_kind', 'roles', detail);
  }
  return [...seen];
}

/**
 * An insurer's account records what kind of insurer it is (health plan, life, disability,
 * long-term care), set by whoever creates it: a release decision reads it from here, never from
 * the request, so a health plan cannot pass itself off as another kind to underwrite.
 */
export function checkInsurerType(roles: readonly Role[], insurerType: string | undefined): InsurerType | undefined {
  if (roles.includes('insurer')) {
    if (insurerType === undefined) throw invalid('insurer_type_required', 'insurerType', 'an insurer account records its insurer type');
    if (!(INSURER_TYPES as readonly string[]).includes(insurerType)) throw invalid('insurer_type_required', 'insurerType', `insurerType must be one of ${INSURER_TYPES.join(', ')}`);
    return insurerType as InsurerType;
  }
  if (insurerType !== undefined) throw invalid('insurer_type_not_allowed', 'insurerType', 'only an insurer account has an insurer type');
  return undefined;
}

/** A patient account names the patient it is; no other account may. */
export function checkPatientLink(roles: readonly Role[], patientId: string | undefined): string | undefined {
  if (roles.includes('patient')) {
    if (patientId === undefined) throw invalid('patient_id_required', 'patientId', 'an account with role patient must name its patient');
    if (!PATIENT_ID.test(patientId)) throw invalid('patient_id_required', 'patientId', 'patientId must be 1-128 characters of A-Z, a-z, 0-9, _ . : -');
    return patientId;
  }
  if (patientId !== undefined) throw invalid('patient_id_not_allowed', 'patientId', 'only an account with role patient links to a patient');
  return undefined;
}
