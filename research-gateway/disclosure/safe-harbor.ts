// HIPAA Safe Harbor (45 CFR 164.514(b)(2)) on the quasi-identifiers a record carries: the year of
// birth only, one "90+" group for anyone whose age could be over 89, and the first three digits of
// the ZIP code, with the prefixes whose areas held 20,000 people or fewer (2000 Census, as HHS
// lists them) replaced by 000.

/** HHS, "Guidance Regarding Methods for De-identification of PHI", section 2.3.1 (the 17 prefixes). */
export const LOW_POPULATION_ZIP3: ReadonlySet<string> = new Set([
  '036', '059', '063', '102', '203', '556', '692', '790', '821', '823', '830', '831', '878', '879', '884', '890', '893',
]);

export const NINETY_PLUS = '90+';

/** The year of birth, or "90+" when this year minus it reaches 90 (the person may be over 89). */
export function birthYearShown(birthYear: number | null, thisYear: number): number | typeof NINETY_PLUS | null {
  if (birthYear === null) return null;
  return thisYear - birthYear >= 90 ? NINETY_PLUS : birthYear;
}

/** Age in whole calendar years for filtering, with everyone 90 or older in one group (90). */
export function ageGroup(birthYear: number | null, thisYear: number): number | null {
  return birthYear === null ? null : Math.min(90, thisYear - birthYear);
}

export function zip3(zip: string | null): string | null {
  if (zip === null || !/^\d{5}$/.test(zip)) return null;
  const prefix = zip.slice(0, 3);
  return LOW_POPULATION_ZIP3.has(prefix) ? '000' : prefix;
}
