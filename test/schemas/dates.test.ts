// Dates: a calendar day that exists, judged against an independent Gregorian rule; birth dates
// from 1900 up to today.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { birthDate, EARLIEST_BIRTH_DATE, isoDate, isoDateTime } from '../../schemas/dates.ts';

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** The oracle: written from the calendar's rule, not from Date. */
const dayExists = (y: number, m: number, d: number) => m >= 1 && m <= 12 && d >= 1 && d <= (m === 2 && isLeap(y) ? 29 : DAYS[m - 1]!);
const text = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const ymd = fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }));

describe('dates (schemas/dates.ts)', () => {
  it('accepts exactly the days that exist (property)', () => {
    fc.assert(
      fc.property(ymd, ([y, m, d]) => assert.equal(isoDate().safeParse(text(y, m, d)).success, dayExists(y, m, d), text(y, m, d))),
      { numRuns: 2000 },
    );
  });

  it('refuses 30 February, 29 February outside leap years, and other shapes', () => {
    for (const bad of ['2999-02-30', '2023-02-29', '1900-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '2024-1-01', '20240101', '2024-01-01T00:00:00Z', ' 2024-01-01']) {
      assert.equal(isoDate().safeParse(bad).success, false, bad);
    }
    for (const good of ['2024-02-29', '2000-02-29', '2023-12-31']) assert.equal(isoDate().safeParse(good).success, true, good);
  });

  it('takes a birth date from 1900 to today, and says why it refuses one', () => {
    const now = () => Date.parse('2026-06-01T12:00:00Z');
    const schema = birthDate(now);
    assert.equal(schema.parse(EARLIEST_BIRTH_DATE), EARLIEST_BIRTH_DATE);
    assert.equal(schema.parse('2026-06-01'), '2026-06-01');
    assert.equal(schema.parse('2026-06-02'), '2026-06-02', 'already today where the calendar is ahead of UTC');
    const why = (day: string) => schema.safeParse(day).error?.issues.map((i) => i.message).join('; ') ?? '';
    assert.match(why('2999-02-30'), /calendar date/);
    assert.doesNotMatch(why('2999-02-30'), /future/, 'one reason, the first that applies');
    assert.match(why('2026-06-03'), /future/);
    assert.match(why('1899-12-31'), /from 1900-01-01/);
  });

  it('accepts a birth date exactly when it exists and lies in the range (property)', () => {
    const now = Date.parse('2026-06-01T12:00:00Z');
    fc.assert(
      fc.property(fc.tuple(fc.integer({ min: 1850, max: 2100 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 })), ([y, m, d]) => {
        const day = text(y, m, d);
        const expected = dayExists(y, m, d) && day >= '1900-01-01' && day <= '2026-06-02';
        assert.equal(birthDate(() => now).safeParse(day).success, expected, day);
      }),
      { numRuns: 1000 },
    );
  });

  it('checks the calendar in date-times too', () => {
    assert.equal(isoDateTime().safeParse('2026-02-28T10:00:00Z').success, true);
    assert.equal(isoDateTime().safeParse('2026-02-30T10:00:00Z').success, false);
  });
});
