// Dates as the directives write them (YYYY-MM-DD), compared with the moment of a request.
// Days are UTC days: a directive that expires "on" a date permits nothing from that date on.

/** The UTC calendar date of a moment, as YYYY-MM-DD. */
export function dateOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The day a person born on `birthDate` turns `years` (a 29 February birthday counts from 28 February). */
export function anniversary(birthDate: string, years: number): string {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const year = y + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const day = m === 2 && d === 29 && !leap ? 28 : d;
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Has the day `date` begun at `at`? */
export function reached(date: string, at: Date): boolean {
  return dateOf(at) >= date;
}
