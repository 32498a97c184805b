// Byte-level checks of comma-separated INFO/FORMAT values against their declared Type.
import type { LineCursor } from './line-cursor.ts';
import type { FieldDef } from './vcf-header.ts';

export const TypeCode = { Integer: 0, Float: 1, Flag: 2, Character: 3, String: 4 } as const;
export type TypeCodeValue = (typeof TypeCode)[keyof typeof TypeCode];

export function typeCode(type: FieldDef['type']): TypeCodeValue {
  return TypeCode[type];
}

const COMMA = 44;
const DOT = 46;
const MIN_INT = -2147483648 + 8; // the lowest values are reserved by BCF, so the spec forbids them
const MAX_INT = 2147483647;

/** True when bytes [s, e) are a decimal integer within the VCF range. */
function isInteger(b: Uint8Array, s: number, e: number, nonNegative: boolean): 'ok' | 'syntax' | 'range' | 'negative' {
  let i = s;
  let negative = false;
  if (b[i] === 43 || b[i] === 45) {
    negative = b[i] === 45;
    i++;
  }
  if (i >= e) return 'syntax';
  let value = 0;
  for (; i < e; i++) {
    const c = (b[i] ?? 0) - 48;
    if (c < 0 || c > 9) return 'syntax';
    value = value * 10 + c;
    if (value > 4294967296) return 'range';
  }
  const signed = negative ? -value : value;
  if (signed < MIN_INT || signed > MAX_INT) return 'range';
  if (nonNegative && signed < 0) return 'negative';
  return 'ok';
}

function isSpecialFloat(b: Uint8Array, s: number, e: number): boolean {
  let word = '';
  for (let i = s; i < e && word.length < 10; i++) word += String.fromCharCode(b[i] ?? 0);
  return /^[+-]?(?:inf|infinity|nan)$/i.test(word);
}

/** True when bytes [s, e) are a decimal floating-point number. */
function isFloat(b: Uint8Array, s: number, e: number): boolean {
  let i = s;
  if (b[i] === 43 || b[i] === 45) i++;
  let digits = 0;
  while (i < e && (b[i] ?? 0) >= 48 && (b[i] ?? 0) <= 57) {
    i++;
    digits++;
  }
  if (i < e && b[i] === DOT) {
    i++;
    while (i < e && (b[i] ?? 0) >= 48 && (b[i] ?? 0) <= 57) {
      i++;
      digits++;
    }
  }
  if (digits === 0) return isSpecialFloat(b, s, e);
  if (i < e && (b[i] === 101 || b[i] === 69)) {
    i++;
    if (b[i] === 43 || b[i] === 45) i++;
    let expDigits = 0;
    while (i < e && (b[i] ?? 0) >= 48 && (b[i] ?? 0) <= 57) {
      i++;
      expDigits++;
    }
    if (expDigits === 0) return false;
  }
  return i === e;
}

function isNegativeFloat(b: Uint8Array, s: number): boolean {
  return b[s] === 45;
}

/** One UTF-8 encoded character. */
function isCharacter(b: Uint8Array, s: number, e: number): boolean {
  const lead = b[s] ?? 0;
  const width = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
  return width > 0 && e - s === width;
}

/**
 * Checks every comma-separated value in [s, e) and returns how many there are.
 * A lone '.' (missing) is always accepted and counts as one value.
 */
export function checkTypedList(cursor: LineCursor, s: number, e: number, type: TypeCodeValue, nonNegative: boolean, what: string): number {
  if (type === TypeCode.Integer) {
    const count = scanIntegers(cursor.buf, s, e);
    if (count > 0 && !(nonNegative && hasMinus(cursor.buf, s, e))) return count;
  } else if (type === TypeCode.String) {
    return scanStrings(cursor.buf, s, e, cursor, what);
  }
  const b = cursor.buf;
  let count = 0;
  let start = s;
  for (let i = s; i <= e; i++) {
    if (i < e && b[i] !== COMMA) continue;
    count++;
    if (i === start) cursor.failAt(start, `${what} has an empty value`);
    if (!(i - start === 1 && b[start] === DOT)) checkOne(cursor, start, i, type, nonNegative, what);
    start = i + 1;
  }
  return count;
}

/** Fast path: short unsigned/signed decimal integers or '.', comma-separated; -1 means "check slowly". */
function scanIntegers(b: Uint8Array, s: number, e: number): number {
  let count = 1;
  let digits = 0;
  let i = s;
  let valueStart = s;
  for (; i < e; i++) {
    const c = b[i] ?? 0;
    if (c >= 48 && c <= 57) {
      digits++;
    } else if (c === COMMA) {
      if (digits === 0 && !(i - valueStart === 1 && b[valueStart] === DOT)) return -1;
      if (digits > 9) return -1;
      count++;
      digits = 0;
      valueStart = i + 1;
    } else if (!((c === 45 || c === 43) && i === valueStart) && !(c === DOT && i === valueStart)) {
      return -1;
    }
  }
  if (digits === 0 && !(e - valueStart === 1 && b[valueStart] === DOT)) return -1;
  if (digits > 9) return -1;
  // a '.' beside digits ('1.') was let through above; refuse it to the slow path
  for (let j = s; j < e; j++) if (b[j] === DOT && !((j === s || b[j - 1] === COMMA) && (j + 1 === e || b[j + 1] === COMMA))) return -1;
  return count;
}

function hasMinus(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (b[i] === 45) return true;
  return false;
}

/** Strings only need non-empty comma-separated values. */
function scanStrings(b: Uint8Array, s: number, e: number, cursor: LineCursor, what: string): number {
  let count = 1;
  let start = s;
  for (let i = s; i < e; i++) {
    if (b[i] !== COMMA) continue;
    if (i === start) cursor.failAt(start, `${what} has an empty value`);
    count++;
    start = i + 1;
  }
  if (start === e) cursor.failAt(start, `${what} has an empty value`);
  return count;
}

function checkOne(cursor: LineCursor, s: number, e: number, type: TypeCodeValue, nonNegative: boolean, what: string): void {
  const b = cursor.buf;
  switch (type) {
    case TypeCode.Integer: {
      const verdict = isInteger(b, s, e, nonNegative);
      if (verdict === 'syntax') cursor.failAt(s, `${what} is not an integer: ${quote(cursor, s, e)}`);
      if (verdict === 'range') cursor.failAt(s, `${what} is outside the 32-bit integer range: ${quote(cursor, s, e)}`);
      if (verdict === 'negative') cursor.failAt(s, `${what} cannot be negative: ${quote(cursor, s, e)}`);
      return;
    }
    case TypeCode.Float:
      if (!isFloat(b, s, e)) cursor.failAt(s, `${what} is not a number: ${quote(cursor, s, e)}`);
      if (nonNegative && isNegativeFloat(b, s)) cursor.failAt(s, `${what} cannot be negative: ${quote(cursor, s, e)}`);
      return;
    case TypeCode.Character:
      if (!isCharacter(b, s, e)) cursor.failAt(s, `${what} is not a single character: ${quote(cursor, s, e)}`);
      return;
    default:
      return;
  }
}

function quote(cursor: LineCursor, s: number, e: number): string {
  const text = cursor.text(s, Math.min(e, s + 40));
  return `'${text}${e - s > 40 ? '...' : ''}'`;
}

/** QUAL: '.' or a non-negative number. */
export function checkQual(cursor: LineCursor, s: number, e: number): number {
  const b = cursor.buf;
  if (e - s === 1 && b[s] === DOT) return NaN;
  const plain = plainDecimal(b, s, e);
  if (plain >= 0) return plain;
  if (!isFloat(b, s, e)) cursor.failAt(s, `QUAL is not a number: ${quote(cursor, s, e)}`);
  const value = Number(cursor.ascii(s, e));
  if (value < 0) cursor.failAt(s, `QUAL cannot be negative: ${quote(cursor, s, e)}`);
  return value;
}

const POWERS_OF_TEN = [1];
for (let k = 1; k < 16; k++) POWERS_OF_TEN.push((POWERS_OF_TEN[k - 1] ?? 1) * 10);

/**
 * Digits with at most one '.' and at least one digit ('80.3', '5.', '.5'), at most 15 digits: m / 10^k is
 * then exactly what Number() gives, as both are exact doubles and one division rounds once. -1 otherwise.
 */
function plainDecimal(b: Uint8Array, s: number, e: number): number {
  if (e - s > 16) return -1;
  let m = 0;
  let digits = 0;
  let dot = -1;
  for (let i = s; i < e; i++) {
    const c = b[i] ?? 0;
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
    } else if (c === DOT && dot < 0) {
      dot = i;
    } else {
      return -1;
    }
  }
  if (digits === 0 || digits > 15) return -1;
  return dot < 0 ? m : m / (POWERS_OF_TEN[e - dot - 1] ?? 1);
}

/** Reads an integer already known to be valid, or MISSING for '.'. */
export function readInt(b: Uint8Array, s: number, e: number, missing: number): number {
  if (e <= s || (e - s === 1 && b[s] === DOT)) return missing;
  let i = s;
  let negative = false;
  if (b[i] === 45 || b[i] === 43) {
    negative = b[i] === 45;
    i++;
  }
  let value = 0;
  for (; i < e; i++) {
    const c = (b[i] ?? 0) - 48;
    if (c < 0 || c > 9) return readRounded(b, s, e, missing);
    value = value * 10 + c;
  }
  return negative ? -value : value;
}

/** A Float-declared GQ/DP (older callers): round the number. Kept apart so readInt stays small enough to inline. */
function readRounded(b: Uint8Array, s: number, e: number, missing: number): number {
  const parsed = Number(String.fromCharCode(...b.subarray(s, e)));
  return Number.isFinite(parsed) ? Math.round(parsed) : missing;
}
