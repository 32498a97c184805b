// The FORMAT column and the per-sample columns: key syntax, declared types and counts, ploidy.
import { shown, type LineCursor } from './line-cursor.ts';
import { checkTypedList, typeCode, TypeCode, type TypeCodeValue } from './typed-values.ts';
import { NON_NEGATIVE_FORMAT, reservedDef } from './reserved-fields.ts';
import { countProblem } from './info-column.ts';
import { genotypeCount, type Genotype } from './genotype.ts';
import { BytesMap } from './bytes-map.ts';
import type { VcfHeader } from './vcf-header.ts';

export interface FormatSpec {
  keys: string[];
  numbers: string[];
  types: TypeCodeValue[];
  nonNegative: boolean[];
  reserved: boolean[];
  /** 'sample field X', built once for messages */
  labels: string[];
  /** expected value count: n >= 0 fixed, -1 per ALT, -2 per allele, -3 per genotype (G), -4 any */
  counts: number[];
  /** GT's place among the keys: 0 as the spec requires, later in files default mode tolerates, -1 when absent */
  gt: number;
  dp: number;
  gq: number;
  ad: number;
}

const KEY_43 = /^[A-Za-z_][0-9A-Za-z_.]*$/;
const KEY_LEGACY_STRICT = /^[A-Za-z][0-9A-Za-z]*$/;
const KEY_LEGACY = /^[A-Za-z_][0-9A-Za-z_.]*$/;

export class FormatChecker {
  private readonly cache = new Map<string, FormatSpec>();
  /** the same specs by the FORMAT bytes, so the usual lookup decodes nothing */
  private readonly byBytes = new BytesMap<FormatSpec>();
  private readonly keyRule: RegExp;

  constructor(private readonly header: VcfHeader) {
    const modern = header.version.minor >= 3;
    this.keyRule = modern ? KEY_43 : header.strict ? KEY_LEGACY_STRICT : KEY_LEGACY;
  }

  private legacyNonAlphanumeric(key: string): boolean {
    return this.header.version.minor < 3 && !KEY_LEGACY_STRICT.test(key);
  }

  spec(cursor: LineCursor, s: number, e: number): FormatSpec {
    const known = this.byBytes.get(cursor.buf, s, e);
    if (known) return known;
    const text = cursor.text(s, e);
    let spec = this.cache.get(text);
    if (!spec) {
      spec = this.build(cursor, s, text);
      this.cache.set(text, spec);
    }
    this.byBytes.set(cursor.buf, s, e, spec);
    return spec;
  }

  private build(cursor: LineCursor, s: number, text: string): FormatSpec {
    const spec: FormatSpec = { keys: [], numbers: [], types: [], nonNegative: [], reserved: [], labels: [], counts: [], gt: -1, dp: -1, gq: -1, ad: -1 };
    if (text === '.') return spec;
    let offset = s;
    for (const key of text.split(':')) {
      if (key === '') cursor.failAt(offset, 'FORMAT has an empty key');
      if (!this.keyRule.test(key)) cursor.failAt(offset, `FORMAT key is not valid: ${shown(key)}`);
      if (this.legacyNonAlphanumeric(key)) cursor.lenient('format-key', offset, `FORMAT key ${key} is not alphanumeric as VCF ${this.header.fileformat} requires`, 'GATK and others write keys like MIN_DP');
      if (spec.keys.includes(key)) cursor.failAt(offset, `FORMAT key ${key} appears twice`);
      if (key === 'GT' && spec.keys.length > 0) cursor.lenient('gt-not-first', offset, 'GT must be the first FORMAT key', 'Complete Genomics writes it last; it is read where it stands');
      const def = this.header.formats[key] ?? reservedDef('FORMAT', key, this.header.version);
      const reserved = reservedDef('FORMAT', key, this.header.version);
      const index = spec.keys.length;
      if (key === 'GT') spec.gt = index;
      if (key === 'DP') spec.dp = index;
      if (key === 'GQ') spec.gq = index;
      if (key === 'AD') spec.ad = index;
      spec.keys.push(key);
      spec.numbers.push(def?.number ?? '.');
      spec.types.push(def ? typeCode(def.type) : TypeCode.String);
      spec.reserved.push(reserved !== undefined);
      spec.labels.push(`sample field ${key}`);
      spec.counts.push(countCode(def?.number ?? '.'));
      spec.nonNegative.push(NON_NEGATIVE_FORMAT.has(key) && def !== undefined && def.type === reserved?.type);
      offset += key.length + 1;
    }
    return spec;
  }
}

function countCode(number: string): number {
  if (/^[0-9]+$/.test(number)) return Number(number);
  return number === 'A' ? -1 : number === 'R' ? -2 : number === 'G' ? -3 : -4;
}

export interface SampleContext {
  altCount: number;
  altMissing: boolean;
  allowEmpty: boolean;
  allowLeadingPhase: boolean;
}

/**
 * Checks one sample column [s, e) and parses its genotype into `gt` (ploidy 0 when there is none).
 * Returns the byte ranges of DP, GQ and AD through `slots` (start, end pairs; -1 when absent).
 */
export function checkSample(cursor: LineCursor, s: number, e: number, spec: FormatSpec, ctx: SampleContext, gt: Genotype, slots: Int32Array): void {
  const b = cursor.buf;
  gt.ploidy = 0;
  slots.fill(-1);
  const keyCount = spec.keys.length;
  if (keyCount === 0) {
    if (!(e - s === 1 && b[s] === 46)) cursor.failAt(s, "FORMAT is '.' so the sample column must be '.'");
    return;
  }
  let k = 0;
  let start = s;
  for (let i = s; i <= e; i++) {
    if (i < e && b[i] !== 58) continue;
    if (k >= keyCount) cursor.failAt(start, `sample column has more fields than the ${keyCount} FORMAT keys`);
    checkSubfield(cursor, start, i, k, spec, ctx, gt, slots);
    k++;
    start = i + 1;
  }
}

function checkSubfield(cursor: LineCursor, s: number, e: number, k: number, spec: FormatSpec, ctx: SampleContext, gt: Genotype, slots: Int32Array): void {
  const key = spec.keys[k] ?? '';
  if (s === e) {
    if (ctx.allowEmpty) return;
    cursor.failAt(s, `sample field ${key} is empty`);
  }
  if (k === spec.gt) {
    gt.parse(cursor, s, e, ctx.altCount, !ctx.altMissing, ctx.allowLeadingPhase);
    return;
  }
  const label = spec.labels[k] ?? key;
  const count = checkTypedList(cursor, s, e, spec.types[k] ?? TypeCode.String, spec.nonNegative[k] ?? false, label);
  const code = spec.counts[k] ?? -4;
  const expected = code >= 0 ? code : code === -1 ? ctx.altCount : code === -2 ? ctx.altCount + 1 : -4;
  if (count === expected || code === -4 || ((code === -1 || code === -2) && ctx.altMissing)) {
    // the common case: nothing more to check
  } else if (code === -3) {
    const missing = count === 1 && e - s === 1 && cursor.buf[s] === 46;
    if (!missing && !ctx.altMissing && gt.ploidy > 0) {
      const want = genotypeCount(ctx.altCount + 1, gt.ploidy);
      if (count !== want) cursor.failAt(s, `sample field ${key} has ${count} value(s) but ploidy ${gt.ploidy} with ${ctx.altCount + 1} alleles needs ${want}`);
    }
  } else {
    const problem = countProblem(cursor, s, e, label, spec.numbers[k] ?? '.', count, ctx.altCount, ctx.altMissing);
    if (problem && spec.reserved[k]) cursor.failAt(s, problem);
    if (problem) cursor.lenient('format-count', s, problem, 'a custom FORMAT field the vault does not store');
  }
  if (k === spec.dp) {
    slots[0] = s;
    slots[1] = e;
  } else if (k === spec.gq) {
    slots[2] = s;
    slots[3] = e;
  } else if (k === spec.ad) {
    slots[4] = s;
    slots[5] = e;
  }
}
