// Checks the INFO column of one record against the header (or the reserved definitions) and picks out
// the few keys the vault keeps: END, and the annotations ANN, CSQ, GENEINFO, MC and CLNSIG.
import { shown, type LineCursor } from './line-cursor.ts';
import { VcfProblemError } from './vcf-format-error.ts';
import { checkTypedList, typeCode, TypeCode, type TypeCodeValue } from './typed-values.ts';
import { NON_NEGATIVE_INFO, reservedDef } from './reserved-fields.ts';
import { BytesMap } from './bytes-map.ts';
import type { FieldDef, VcfHeader } from './vcf-header.ts';

export interface InfoCapture {
  end: number | null;
  ann: string | null;
  csq: string | null;
  geneinfo: string | null;
  mc: string | null;
  clnsig: string | null;
}

const KEY_43 = /^(?:[A-Za-z_][0-9A-Za-z_.]*|1000G)$/;
const KEY_LEGACY = /^[^\s=;,]+$/;
const CIGAR = /^(?:[0-9]+[MIDNSHPX=])+$/;
const CAPTURED = new Set(['END', 'ANN', 'CSQ', 'GENEINFO', 'MC', 'CLNSIG']);

/** Everything the checker needs to know about one key, looked up once per file. */
interface KeyRule {
  key: string;
  label: string;
  valid: boolean;
  def: FieldDef | null;
  type: TypeCodeValue;
  nonNegative: boolean;
  reserved: boolean;
  captured: boolean;
}

export class InfoChecker {
  private readonly rules = new Map<string, KeyRule>();
  /** the same rules by the key's bytes, so the usual lookup decodes nothing */
  private readonly rulesByBytes = new BytesMap<KeyRule>();
  private readonly seen = new Set<string>();
  private readonly keyRule: RegExp;

  constructor(private readonly header: VcfHeader) {
    this.keyRule = header.version.minor >= 3 ? KEY_43 : KEY_LEGACY;
  }

  private ruleAt(cursor: LineCursor, s: number, e: number): KeyRule {
    const b = cursor.buf;
    let rule = this.rulesByBytes.get(b, s, e);
    if (rule === undefined) {
      rule = this.ruleFor(cursor.text(s, e));
      this.rulesByBytes.set(b, s, e, rule);
    }
    return rule;
  }

  private ruleFor(key: string): KeyRule {
    let rule = this.rules.get(key);
    if (rule === undefined) {
      const reserved = reservedDef('INFO', key, this.header.version);
      const def = this.header.infos[key] ?? reserved ?? null;
      rule = {
        key,
        label: `INFO ${key}`,
        valid: this.keyRule.test(key),
        def,
        type: def ? typeCode(def.type) : TypeCode.String,
        nonNegative: NON_NEGATIVE_INFO.has(key) && def !== null && def.type === reserved?.type,
        reserved: reserved !== undefined,
        captured: CAPTURED.has(key),
      };
      this.rules.set(key, rule);
    }
    return rule;
  }

  check(cursor: LineCursor, s: number, e: number, altCount: number, altMissing: boolean, out: InfoCapture): void {
    out.end = out.ann = out.csq = out.geneinfo = out.mc = out.clnsig = null;
    const b = cursor.buf;
    if (e - s === 1 && b[s] === 46) return;
    if (e === s) {
      cursor.lenient('info-empty', s, 'INFO is empty', "read as '.', as bcftools does");
      return;
    }
    this.seen.clear();
    let start = s;
    for (let i = s; i <= e; i++) {
      if (i < e && b[i] !== 59) continue;
      if (i === start) cursor.failAt(start, 'INFO has an empty entry');
      this.checkEntry(cursor, start, i, altCount, altMissing, out);
      start = i + 1;
    }
  }

  private checkEntry(cursor: LineCursor, s: number, e: number, altCount: number, altMissing: boolean, out: InfoCapture): void {
    const b = cursor.buf;
    let eq = s;
    while (eq < e && b[eq] !== 61) eq++;
    const rule = this.ruleAt(cursor, s, eq);
    const key = rule.key;
    if (!rule.valid) cursor.failAt(s, `INFO key is not valid: ${shown(key)}`);
    if (this.seen.has(key)) cursor.failAt(s, `INFO key ${key} appears twice`);
    this.seen.add(key);
    const def = rule.def;
    const hasValue = eq < e;
    if (def?.type === 'Flag') {
      if (hasValue) cursor.failAt(s, `INFO ${key} is a Flag and cannot have a value`);
      return;
    }
    if (!hasValue) {
      if (def) cursor.failAt(s, `INFO ${key} has no value`);
      return;
    }
    const vs = eq + 1;
    if (vs === e) {
      cursor.lenient('info-empty-value', vs, `INFO ${key} has an empty value`, 'read as missing, as bcftools does');
      return;
    }
    const count = rule.type === TypeCode.Integer && !rule.reserved ? this.checkCustomIntegers(cursor, vs, e, key) : checkTypedList(cursor, vs, e, rule.type, rule.nonNegative, rule.label);
    const problem = def ? countProblem(cursor, vs, e, rule.label, def.number, count, altCount, altMissing) : null;
    if (problem) cursor.failAt(vs, problem);
    if (key === 'CIGAR') {
      for (const cigar of cursor.text(vs, e).split(',')) {
        if (cigar !== '.' && !CIGAR.test(cigar)) cursor.failAt(vs, `INFO CIGAR is not a CIGAR string: ${shown(cigar)}`);
      }
    }
    if (rule.captured) capture(cursor, key, vs, e, out);
  }

  /** Integer-declared custom keys holding decimals (e.g. GATK's GC=75.25) pass with a warning unless strict. */
  private checkCustomIntegers(cursor: LineCursor, s: number, e: number, key: string): number {
    try {
      return checkTypedList(cursor, s, e, TypeCode.Integer, false, `INFO ${key}`);
    } catch (err) {
      if (!(err instanceof VcfProblemError) || cursor.strict || !/^[^,]*[.eE]/.test(cursor.ascii(s, e))) throw err;
      const count = checkTypedList(cursor, s, e, TypeCode.Float, false, `INFO ${key}`);
      cursor.lenient('info-integer-as-float', s, `INFO ${key} is declared Integer but holds a decimal number`, 'a common caller bug; the vault does not store this key');
      return count;
    }
  }
}

function capture(cursor: LineCursor, key: string, s: number, e: number, out: InfoCapture): void {
  const value = cursor.text(s, e);
  if (key === 'END') out.end = Number(value);
  else if (key === 'ANN') out.ann = value;
  else if (key === 'CSQ') out.csq = value;
  else if (key === 'GENEINFO') out.geneinfo = value;
  else if (key === 'MC') out.mc = value;
  else out.clnsig = value;
}

/** Number=n, A, R: the value count must match (a lone '.' is missing and always fits). Returns the problem or null. */
export function countProblem(cursor: LineCursor, s: number, e: number, what: string, number: string, count: number, altCount: number, altMissing: boolean): string | null {
  if (count === 1 && e - s === 1 && cursor.buf[s] === 46) return null;
  let expected: number;
  if (number === 'A') expected = altCount;
  else if (number === 'R') expected = altCount + 1;
  else if (number.charCodeAt(0) >= 48 && number.charCodeAt(0) <= 57) expected = Number(number);
  else return null;
  if ((number === 'A' || number === 'R') && altMissing) return null;
  return count === expected ? null : `${what} has ${count} value(s) but Number=${number} requires ${expected}`;
}
