// Checks of the fixed columns CHROM, POS, ID, REF, ALT and FILTER of one record.
import { shown, type LineCursor } from './line-cursor.ts';
import { HLA_CONTIG } from './header-rules.ts';

/** What kind of allele each ALT entry is; decides what is stored and what is compared for duplicates. */
export const AlleleKind = { bases: 0, symbolic: 1, nonRef: 2, star: 3, breakend: 4 } as const;
export type AlleleKindValue = (typeof AlleleKind)[keyof typeof AlleleKind];

const BASES = /^[ACGTNacgtn]+$/;
const SYMBOLIC = /^<[^<>\s,]+>$/;
const MATE = '(?:<[^<>\\s]+>|[^\\s:<>\\[\\],]+):[0-9]+';
const BREAKEND = new RegExp(
  `^(?:[ACGTNacgtn]+\\[${MATE}\\[|[ACGTNacgtn]+\\]${MATE}\\]|\\]${MATE}\\][ACGTNacgtn]+|\\[${MATE}\\[[ACGTNacgtn]+|\\.[ACGTNacgtn]+|[ACGTNacgtn]+\\.)$`,
);
const CHROM_BAD_BYTE = new Set([...' \t:=,<>[]{}()"\'\\'].map((c) => c.charCodeAt(0)));
const STAR = 42;

/** The one-base alleles as strings, so the usual REF and ALT need no decoding. */
const ONE_BASE: (string | undefined)[] = [];
for (const base of 'ACGTNacgtn') ONE_BASE[base.charCodeAt(0)] = base;

/** CHROM: no whitespace, colon or brackets ('<ctg>' as a whole is allowed); '*' is refused from VCF 4.3 on. */
export function checkChrom(cursor: LineCursor, s: number, e: number, noStar: boolean): void {
  if (e === s) cursor.failAt(s, 'CHROM is empty');
  const b = cursor.buf;
  const bracketed = e - s > 2 && b[s] === 60 && b[e - 1] === 62;
  for (let i = bracketed ? s + 1 : s; i < (bracketed ? e - 1 : e); i++) {
    const c = b[i] ?? 0;
    if (c < 33 || CHROM_BAD_BYTE.has(c) || (noStar && c === STAR)) {
      if (!cursor.strict && HLA_CONTIG.test(cursor.text(s, e))) return;
      cursor.failAt(s, `CHROM contains an invalid character: ${shown(cursor.text(s, e))}`);
    }
  }
}

export function readPos(cursor: LineCursor, s: number, e: number): number {
  const b = cursor.buf;
  if (e === s) cursor.failAt(s, 'POS is empty');
  let value = 0;
  for (let i = s; i < e; i++) {
    const c = (b[i] ?? 0) - 48;
    if (c < 0 || c > 9) cursor.failAt(s, `POS is not a positive integer: ${shown(cursor.text(s, e))}`);
    value = value * 10 + c;
    if (value > 2147483647) cursor.failAt(s, 'POS is larger than 2^31-1');
  }
  return value;
}

export function checkId(cursor: LineCursor, s: number, e: number): void {
  const b = cursor.buf;
  if (e - s === 1 && b[s] === 46) return;
  let hasSemicolon = false;
  for (let i = s; i < e; i++) {
    const c = b[i] ?? 0;
    if (c === 32) cursor.failAt(s, `ID contains whitespace: ${shown(cursor.text(s, e))}`);
    if (c === 59) {
      hasSemicolon = true;
      if (i === s || i === e - 1 || b[i + 1] === 59) cursor.failAt(s, `ID has an empty entry: ${shown(cursor.text(s, e))}`);
    }
  }
  if (e === s) cursor.failAt(s, 'ID is empty');
  if (hasSemicolon) {
    const ids = cursor.text(s, e).split(';');
    if (new Set(ids).size !== ids.length) cursor.failAt(s, 'ID lists the same identifier twice');
    if (ids.includes('.')) cursor.failAt(s, "ID mixes '.' with identifiers");
  }
}

export function checkRef(cursor: LineCursor, s: number, e: number): string {
  const base = e - s === 1 ? ONE_BASE[cursor.buf[s] ?? 0] : undefined;
  if (base !== undefined) return base;
  const ref = cursor.ascii(s, e);
  if (!BASES.test(ref)) cursor.failAt(s, ref === '.' || ref === '' ? 'REF is missing' : `REF has a base other than A, C, G, T, N: ${shown(ref)}`);
  return ref;
}

/** Parses ALT; an empty list means '.' (no alternate allele). */
export function checkAlt(cursor: LineCursor, s: number, e: number, kinds: AlleleKindValue[]): string[] {
  kinds.length = 0;
  const base = e - s === 1 ? ONE_BASE[cursor.buf[s] ?? 0] : undefined;
  if (base !== undefined) {
    kinds.push(AlleleKind.bases);
    return [base];
  }
  const text = cursor.text(s, e);
  if (text === '.') return [];
  const alts = text.split(',');
  let offset = s;
  for (const alt of alts) {
    kinds.push(alleleKind(cursor, alt, offset));
    offset += Buffer.byteLength(alt) + 1;
  }
  return alts;
}

function alleleKind(cursor: LineCursor, alt: string, offset: number): AlleleKindValue {
  if (BASES.test(alt)) return AlleleKind.bases;
  if (alt === '*') return AlleleKind.star;
  if (alt === '<NON_REF>' || alt === '<*>') return AlleleKind.nonRef;
  if (SYMBOLIC.test(alt)) return AlleleKind.symbolic;
  if (BREAKEND.test(alt)) return AlleleKind.breakend;
  if (alt === '') cursor.failAt(offset, 'ALT has an empty allele');
  if (alt.startsWith('<') || alt.endsWith('>')) cursor.failAt(offset, `ALT symbolic allele is malformed: ${shown(alt)}`);
  if (/[[\]]/.test(alt)) cursor.failAt(offset, `ALT breakend is malformed: ${shown(alt)}`);
  cursor.failAt(offset, `ALT has a base other than A, C, G, T, N: ${shown(alt)}`);
}

/** FILTER: '.', 'PASS', or ';'-separated filter names; returns null for '.'. */
export function checkFilter(cursor: LineCursor, s: number, e: number): string | null {
  const b = cursor.buf;
  if (e - s === 1 && b[s] === 46) return null;
  if (isPass(b, s, e)) return 'PASS';
  const text = cursor.text(s, e);
  if (text === '.') return null;
  if (text === '') cursor.failAt(s, 'FILTER is empty');
  const names = text.split(';');
  for (const name of names) {
    if (name === '') cursor.failAt(s, `FILTER has an empty entry: ${shown(text)}`);
    if (name === '.') cursor.failAt(s, "FILTER mixes '.' with filter names");
    if (name === '0') cursor.failAt(s, "FILTER uses the reserved value '0'");
    if (/\s/.test(name)) cursor.failAt(s, `FILTER contains whitespace: ${shown(text)}`);
  }
  return text;
}

/** FILTER is 'PASS' (checked on the bytes: most records say so). */
export function isPass(b: Uint8Array, s: number, e: number): boolean {
  return e - s === 4 && b[s] === 80 && b[s + 1] === 65 && b[s + 2] === 83 && b[s + 3] === 83;
}
