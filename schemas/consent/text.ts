// Bounded building blocks for consent directives, on the shared ones (../text.ts, ../dates.ts):
// every free-text field has a length limit and refuses control characters, bidirectional marks
// and unpaired surrogates; identifiers and references have a fixed alphabet.
import { z } from 'zod';
import { lineText } from '../text.ts';
import { isoDate } from '../dates.ts';

export { AccountIdSchema } from '../ids.ts';

/** Single-line text of 1 to `max` characters, as every typed line of the vault (trimmed, NFC). */
export function boundedText(max: number) {
  return lineText(max);
}

/** A reference to a document held elsewhere (a signed form's id, a court order's number, a scan). */
export const DocumentReferenceSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,127}$/, 'a reference is 1 to 128 letters, digits or . _ : / # -');

/** A directive id as the ledger issues them. */
export const DirectiveIdSchema = z.string().regex(/^cd_[0-9a-f]{16}$/, 'a directive id looks like cd_ followed by 16 hex digits');

/** A calendar date (YYYY-MM-DD) that exists, in years 1900 to 2199. */
export const CalendarDateSchema = isoDate().refine((s) => s >= '1900-01-01' && s <= '2199-12-31', 'a date between 1900 and 2199');
