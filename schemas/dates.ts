// Dates as the API takes them: real calendar days (no 30 February), and birth dates that a
// living patient can have. Messages say what is wrong, never the value.
import { z } from 'zod';

/** Before this, a birth date is a typing error (1899 for 1999): nobody alive was born earlier. */
export const EARLIEST_BIRTH_DATE = '1900-01-01';

const noEarlierIssue = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };

/** YYYY-MM-DD naming a day that exists in the Gregorian calendar. */
export function isoDate() {
  return z.iso.date({ error: 'a calendar date as YYYY-MM-DD (a day that exists)' });
}

/** Today in the time zone furthest ahead of UTC (UTC+14), so a birth today is never "future". */
function latestToday(nowMs: number): string {
  return new Date(nowMs + 14 * 3_600_000).toISOString().slice(0, 10);
}

/** A birth date: a calendar day from EARLIEST_BIRTH_DATE up to today. */
export function birthDate(now: () => number = Date.now) {
  return isoDate()
    .refine((day) => day >= EARLIEST_BIRTH_DATE, { message: `a birth date from ${EARLIEST_BIRTH_DATE} on`, ...noEarlierIssue })
    .refine((day) => day <= latestToday(now()), { message: 'a birth date cannot be in the future', ...noEarlierIssue });
}

/** An instant as ISO 8601 in UTC (`2026-03-01T12:00:00Z`); zod checks the calendar day too. */
export function isoDateTime() {
  return z.iso.datetime({ error: 'a UTC date and time such as 2026-03-01T12:00:00Z (a day that exists)' });
}
