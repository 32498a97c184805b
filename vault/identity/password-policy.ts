// The password policy (ASVS 2.1, NIST SP 800-63B 5.1.1.2): long enough, not built on the username,
// not a well-known, repeated or sequential password. No composition rules: a long passphrase of
// lower-case words is as good as any. Each violation has a stable code so clients can explain it.
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

/** 'aaaaaaaaaaaa', 'abababababab', 'abcdabcdabcd': one short unit over and over. */
function isRepeated(characters: string[]): boolean {
  for (let unit = 1; unit <= 4; unit++) {
    if (characters.every((c, i) => c === characters[i % unit])) return true;
  }
  return false;
}

/** 'abcdefghijklm', '987654321098...': every character one code point after (or before) the last. */
function isSequential(characters: string[]): boolean {
  const steps = characters.slice(1).map((c, i) => c.codePointAt(0)! - characters[i]!.codePointAt(0)!);
  return steps.every((d) => d === 1) || steps.every((d) => d === -1);
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
  if (username.length > 0 && password.normalize('NFKC').toLowerCase().includes(username.toLowerCase())) {
    violations.push({ code: 'password_contains_username', message: 'password must not contain the username' });
  }
  if (isCommon(password)) {
    violations.push({ code: 'password_too_common', message: 'password is too common; choose another' });
  } else if (isRepeated([...password]) || isSequential([...password])) {
    violations.push({ code: 'password_too_common', message: 'password is a repeated or sequential run of characters; choose another' });
  }
  return violations;
}

/** Throws an IdentityError for the first rule `password` breaks. */
export function assertPasswordPolicy(password: string, username: string): void {
  const [first] = checkPasswordPolicy(password, username);
  if (first) throw invalid(first.code, 'password', first.message);
}
