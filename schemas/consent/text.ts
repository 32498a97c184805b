// Bounded building blocks for consent directives: every free-text field has a length limit and
// refuses control characters, and identifiers and references have a fixed alphabet.
import { z } from 'zod';

// C0 and C1 controls, DEL, line and paragraph separators, and the bidirectional marks and
// overrides (which can make a recipient's name read differently on screen than in the record).
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Single-line text of 1 to `max` characters: no controls, no bidi overrides, no lone surrogates, not blank. */
export function boundedText(max: number) {
  return z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !FORBIDDEN_CHARACTERS.test(s), 'must not contain control or bidirectional-override characters')
    .refine((s) => !LONE_SURROGATE.test(s), 'must be well-formed Unicode')
    .refine((s) => s.trim() === s && s.length > 0, 'must not start or end with spaces');
}

/** A reference to a document held elsewhere (a signed form's id, a court order's number, a scan). */
export const DocumentReferenceSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,127}$/, 'a reference is 1 to 128 letters, digits or . _ : / # -');

/** An account id as the vault issues them. */
export const AccountIdSchema = z.string().regex(/^acc_[0-9a-f]{16}$/, 'an account id looks like acc_ followed by 16 hex digits');

/** A directive id as the ledger issues them. */
export const DirectiveIdSchema = z.string().regex(/^cd_[0-9a-f]{16}$/, 'a directive id looks like cd_ followed by 16 hex digits');

/** A calendar date (YYYY-MM-DD) that exists, in years 1900 to 2199. */
export const CalendarDateSchema = z
  .iso.date('a date as YYYY-MM-DD that exists')
  .refine((s) => s >= '1900-01-01' && s <= '2199-12-31', 'a date between 1900 and 2199');
