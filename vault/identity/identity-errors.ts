// The one error type the identity part throws on purpose. `code` is stable and safe to show;
// `kind` lets the HTTP layer pick a status without knowing every code
// (invalid → 400, conflict → 409, not_found → 404, forbidden → 403).
export type IdentityErrorKind = 'invalid' | 'conflict' | 'not_found' | 'forbidden';

export type IdentityErrorCode =
  | 'invalid_username'
  | 'username_taken'
  | 'invalid_roles'
  | 'role_conflict'
  | 'patient_id_required'
  | 'patient_id_not_allowed'
  | 'password_required'
  | 'password_not_allowed'
  | 'password_too_short'
  | 'password_too_long'
  | 'password_single_class'
  | 'password_contains_username'
  | 'password_too_common'
  | 'current_password_wrong'
  | 'unknown_account'
  | 'unknown_api_token'
  | 'api_token_inactive'
  | 'invalid_token_lifetime'
  | 'invalid_label'
  | 'wrong_account_kind'
  | 'totp_not_pending'
  | 'totp_code_invalid'
  | 'patient_link_requires_enrolment'
  | 'patient_linked_account'
  | 'patient_account_exists'
  | 'invalid_enrolment'
  /** a service role on a person's account, or a person's role on a service account */
  | 'role_not_for_kind'
  | 'unknown_enrolment'
  | 'invalid_evidence'
  | 'approval_not_needed'
  | 'enrolment_not_awaiting_approval'
  | 'approver_is_issuer'
  | 'approver_is_subject'
  /** API tokens are issued on the vault host; a service rotates its own */
  | 'token_issued_on_host'
  | 'not_permitted'
  | 'insurer_type_required'
  | 'insurer_type_not_allowed';

export class IdentityError extends Error {
  constructor(
    readonly code: IdentityErrorCode,
    readonly kind: IdentityErrorKind,
    message: string,
    /** the input field at fault, e.g. `password` or `roles[1]` */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'IdentityError';
  }
}

export const invalid = (code: IdentityErrorCode, field: string, message: string) => new IdentityError(code, 'invalid', message, field);
