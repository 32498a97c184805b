// One-time enrolment codes: 32 base32 characters handed to a person (on paper, in person), shown
// in groups of four. The first 8 name the enrolment (40 bits, so attempts can be counted against
// one code); the other 24 are the secret (120 bits, kept only as SHA-256: with that much entropy
// a fast hash is enough, as for API tokens). Under dual control an enrolment has two such codes,
// two halves with the same first 8 characters and secrets of their own, each shown once to a
// different person; the person enrolling types both.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { base32Encode } from './base32.ts';

const ID_BYTES = 5; // 8 base32 characters
const SECRET_BYTES = 15; // 24 base32 characters
const CODE = /^[A-Z2-7]{32}$/;

export interface NewEnrolmentCode {
  enrolmentId: string;
  /** e.g. `K7QM-2ZPA-4F7T-...`: shown once, never stored */
  code: string;
  secretHash: string;
}

export interface ParsedEnrolmentCode {
  enrolmentId: string;
  secret: string;
}

const enrolmentIdOf = (idPart: string) => `enr_${idPart.toLowerCase()}`;

export function hashEnrolmentSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function codeOf(idPart: string): NewEnrolmentCode {
  const secret = base32Encode(randomBytes(SECRET_BYTES));
  const code = (idPart + secret).match(/.{4}/g)!.join('-');
  return { enrolmentId: enrolmentIdOf(idPart), code, secretHash: hashEnrolmentSecret(secret) };
}

export function newEnrolmentCode(): NewEnrolmentCode {
  return codeOf(base32Encode(randomBytes(ID_BYTES)));
}

/** The second half of an enrolment: the same enrolment id, a secret of its own. */
export function newSecondHalf(enrolmentId: string): NewEnrolmentCode {
  return codeOf(enrolmentId.slice('enr_'.length).toUpperCase());
}

/** Reads a code as a person types it (any case, dashes and spaces anywhere); undefined if malformed. */
export function parseEnrolmentCode(text: string): ParsedEnrolmentCode | undefined {
  const raw = text.replace(/[\s-]/g, '').toUpperCase();
  if (!CODE.test(raw)) return undefined;
  return { enrolmentId: enrolmentIdOf(raw.slice(0, 8)), secret: raw.slice(8) };
}

/** Constant-time comparison of a typed secret with the stored hash. */
export function enrolmentSecretMatches(secret: string, secretHash: string): boolean {
  const given = Buffer.from(hashEnrolmentSecret(secret), 'hex');
  const stored = Buffer.from(secretHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
