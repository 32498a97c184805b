// Calendar days as YYYY-MM-DD strings (UTC), which compare correctly as text.

export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

function parts(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return [y, m, d];
}

const format = (utc: number) => new Date(utc).toISOString().slice(0, 10);

/** Date.UTC without its reading of years 0-99 as 1900-1999. */
function utc(year: number, monthIndex: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  return date.getTime();
}

function parseDuration(duration: string): { years: number; months: number; days: number } {
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/.exec(duration);
  if (!match) throw new Error('not a duration of years, months and days');
  const [, years = '0', months = '0', days = '0'] = match;
  return { years: Number(years), months: Number(months), days: Number(days) };
}

/**
 * The day `duration` after `date`. Months are calendar months; a day past the end of the target
 * month falls back to its last day (31 January + 1 month = 28 or 29 February), never spilling over.
 */
export function addDuration(date: string, duration: string): string {
  const { years, months, days } = parseDuration(duration);
  const [y, m, d] = parts(date);
  const monthIndex = (m - 1) + months + 12 * years;
  const lastDay = new Date(utc(y, monthIndex + 1, 0)).getUTCDate();
  return format(utc(y, monthIndex, Math.min(d, lastDay)) + days * 86_400_000);
}

export function dayBefore(date: string): string {
  const [y, m, d] = parts(date);
  return format(utc(y, m - 1, d - 1));
}

/** "2 years", "1 year and 6 months", "90 days". */
export function describeDuration(duration: string): string {
  const { years, months, days } = parseDuration(duration);
  const words = (
    [
      [years, 'year'],
      [months, 'month'],
      [days, 'day'],
    ] as const
  )
    .filter(([n]) => n > 0)
    .map(([n, unit]) => `${n} ${unit}${n === 1 ? '' : 's'}`);
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : (words[0] ?? '0 days');
}
