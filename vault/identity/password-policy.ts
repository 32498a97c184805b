// The password policy: long enough, not one character class, not built on the username, not a
// well-known password. Each violation has a stable code so clients can explain it.
import { COMMON_PASSWORDS } from './common-passwords.ts';
import type { IdentityErrorCode } from './identity-errors.ts';
import { invalid } from './identity-errors.ts';

export const MIN_PASSWORD_LENGTH = 12;
/** scrypt does not care, but a bound keeps request bodies and hashing time predictable */
export const MAX_PASSWORD_LENGTH = 256;

export interface PasswordViolation {
  code: IdentityErrorCode;
  message: string;
}

const CLASSES = [/\p{Ll}/u, /\p{Lu}/u, /\p{N}/u, /[^\p{Ll}\p{Lu}\p{N}]/u];

function characterClasses(password: string): number {
  return CLASSES.filter((pattern) => pattern.test(password)).length;
}

function isCommon(password: string): boolean {
  const folded = password.normalize('NFKC').toLowerCase();
  // Also strip what people bolt on to satisfy rules: trailing digits and symbols.
  const stem = folded.replace(/[\p{N}\p{P}\p{S}\s]+$/u, '');
  return COMMON_PASSWORDS.has(folded) || COMMON_PASSWORDS.has(stem);
}

/** All the rules `password` breaks for `username`; empty when it is acceptable. */
export function checkPasswordPolicy(password: string, username: string): PasswordViolation[] {
  const violations: PasswordViolation[] = [];
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    violations.push({ code: 'password_too_short', message: `password must have at least ${MIN_PASSWORD_LENGTH} characters` });
  }
  if (length > MAX_PASSWORD_LENGTH) {
    violations.push({ code: 'password_too_long', message: `password must have at most ${MAX_PASSWORD_LENGTH} characters` });
  }
  if (characterClasses(password) < 2) {
    violations.push({
      code: 'password_single_class',
      message: 'password must mix at least two of: lower case, upper case, digits, other characters',
    });
  }
  if (username.length > 0 && password.normalize('NFKC').toLowerCase().includes(username.toLowerCase())) {
    violations.push({ code: 'password_contains_username', message: 'password must not contain the username' });
  }
  if (isCommon(password)) {
    violations.push({ code: 'password_too_common', message: 'password is too common; choose another' });
  }
  return violations;
}

/** Throws an IdentityError for the first rule `password` breaks. */
export function assertPasswordPolicy(password: string, username: string): void {
  const [first] = checkPasswordPolicy(password, username);
  if (first) throw invalid(first.code, 'password', first.message);
}
