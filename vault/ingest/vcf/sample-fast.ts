// One pass over a sample column for the shapes nearly every file has (GT of one-digit alleles, then
// plain Integer/Float/String values), fused with finding the column's end. Anything else, valid or not,
// is left to checkSample, which alone words errors and warnings; so this only accepts what checkSample
// accepts without a warning, and leaves `gt` and `slots` exactly as checkSample would.
import { genotypeCount, MAX_PLOIDY, type Genotype } from './genotype.ts';
import { TypeCode } from './typed-values.ts';
import type { FormatSpec, SampleContext } from './sample-columns.ts';

const TAB = 9;
const COMMA = 44;
const DOT = 46;
const SLASH = 47;
const COLON = 58;
const PIPE = 124;

const Kind = { integer: 0, float: 1, string: 2, other: 3 } as const;

/** Value counts a field needs in the current record. */
const ANY_COUNT = -1;
const PER_GENOTYPE = -3;

export class FastSampleReader {
  private readonly kinds: Uint8Array;
  private readonly want: Int32Array;
  private readonly keyCount: number;
  private readonly hasGt: boolean;
  private readonly dp: number;
  private readonly gq: number;
  private readonly ad: number;
  /** per record: the highest GT allele index taken here, and the allele count (for Number=G) */
  private maxAllele = 0;
  private alleles = 0;
  /** in this record every field after GT is an Integer of one value (DP, GQ, ...): no lists to count */
  private simple = false;
  /** values counted by the last integers/floats/strings call */
  private count = 0;

  constructor(private readonly spec: FormatSpec) {
    this.keyCount = spec.keys.length;
    this.hasGt = spec.gt === 0;
    this.dp = spec.dp;
    this.gq = spec.gq;
    this.ad = spec.ad;
    this.kinds = new Uint8Array(spec.types.map(kindOf));
    this.want = new Int32Array(this.keyCount);
  }

  /** Per record: what GT allele indexes and value counts are allowed. */
  startRecord(ctx: SampleContext): void {
    // one-digit alleles only; larger indexes (and out-of-range ones) go to the general checker
    this.maxAllele = ctx.altMissing ? 9 : Math.min(ctx.altCount, 9);
    this.alleles = ctx.altCount + 1;
    const counts = this.spec.counts;
    let simple = true;
    for (let k = 0; k < this.keyCount; k++) {
      const code = counts[k] ?? -4;
      let want: number = ANY_COUNT;
      if (code >= 0) want = code;
      else if (ctx.altMissing || code === -4) want = ANY_COUNT;
      else if (code === -1) want = ctx.altCount;
      else if (code === -2) want = ctx.altCount + 1;
      else if (code === -3) want = PER_GENOTYPE;
      this.want[k] = want;
      if (k > 0 || !this.hasGt) simple &&= this.kinds[k] === Kind.integer && want === 1;
    }
    this.simple = simple;
  }

  /**
   * Reads the column starting at s (ending at the first TAB, or at e) into gt and slots as checkSample
   * would, and returns where it ends; -1 when checkSample must look at it.
   */
  read(b: Uint8Array, s: number, e: number, gt: Genotype, slots: Int32Array): number {
    slots[0] = slots[1] = slots[2] = slots[3] = slots[4] = slots[5] = -1;
    let i = s;
    let k = 0;
    let ploidy = 0;
    if (this.hasGt) {
      i = this.readGt(b, s, e, gt);
      if (i < 0) return -1;
      ploidy = gt.ploidy;
      if (i === e || b[i] === TAB) return i;
      i++;
      k = 1;
    } else {
      gt.ploidy = 0;
    }
    if (this.simple) return this.singleIntegers(b, i, e, k, slots);
    for (;;) {
      if (k >= this.keyCount) return -1;
      const start = i;
      const kind = this.kinds[k];
      i = kind === Kind.integer ? this.integers(b, i, e) : kind === Kind.float ? this.floats(b, i, e) : kind === Kind.string ? this.strings(b, i, e) : -1;
      if (i < 0) return -1;
      const count = this.count;
      const c = i < e ? b[i] : TAB;
      if (!(count === 1 && i - start === 1 && b[start] === DOT)) {
        const want = this.want[k] ?? ANY_COUNT;
        if (want === PER_GENOTYPE) {
          if (ploidy > 0 && count !== genotypeCount(this.alleles, ploidy)) return -1;
        } else if (want !== ANY_COUNT && count !== want) {
          return -1;
        }
      }
      if (k === this.dp) {
        slots[0] = start;
        slots[1] = i;
      } else if (k === this.gq) {
        slots[2] = start;
        slots[3] = i;
      } else if (k === this.ad) {
        slots[4] = start;
        slots[5] = i;
      }
      if (c === TAB) return i;
      i++;
      k++;
    }
  }

  /**
   * The rest of the column when every field is one Integer: digits or '.'. At most 9 digits, which are
   * always in the Integer range; longer numbers go to checkSample for the range check.
   */
  private singleIntegers(b: Uint8Array, i: number, e: number, k: number, slots: Int32Array): number {
    for (;; k++) {
      if (k >= this.keyCount) return -1;
      const start = i;
      let c = i < e ? (b[i] ?? 0) : TAB;
      if (c === DOT) {
        c = ++i < e ? (b[i] ?? 0) : TAB;
      } else {
        while (c >= 48 && c <= 57) c = ++i < e ? (b[i] ?? 0) : TAB;
        if (i === start || i - start > 9) return -1;
      }
      if (k === this.dp) {
        slots[0] = start;
        slots[1] = i;
      } else if (k === this.gq) {
        slots[2] = start;
        slots[3] = i;
      } else if (k === this.ad) {
        slots[4] = start;
        slots[5] = i;
      }
      if (c === TAB) return i;
      if (c !== COLON) return -1;
      i++;
    }
  }

  /** Comma-separated values of at most 9 digits, or '.'; returns the end (':', TAB or e), or -1. */
  private integers(b: Uint8Array, i: number, e: number): number {
    let count = 1;
    for (;;) {
      const valueStart = i;
      let c = i < e ? (b[i] ?? 0) : TAB;
      if (c === DOT) {
        c = ++i < e ? (b[i] ?? 0) : TAB;
      } else {
        while (c >= 48 && c <= 57) c = ++i < e ? (b[i] ?? 0) : TAB;
        if (i === valueStart || i - valueStart > 9) return -1;
      }
      if (c === COLON || c === TAB) break;
      if (c !== COMMA) return -1;
      count++;
      i++;
    }
    this.count = count;
    return i;
  }

  /** Comma-separated decimals without sign or exponent ('5', '5.', '.5', '5.5'), or '.'. */
  private floats(b: Uint8Array, i: number, e: number): number {
    let count = 1;
    for (;;) {
      const valueStart = i;
      let c = i < e ? (b[i] ?? 0) : TAB;
      let digits = 0;
      while (c >= 48 && c <= 57) {
        digits++;
        c = ++i < e ? (b[i] ?? 0) : TAB;
      }
      if (c === DOT) {
        c = ++i < e ? (b[i] ?? 0) : TAB;
        while (c >= 48 && c <= 57) {
          digits++;
          c = ++i < e ? (b[i] ?? 0) : TAB;
        }
      }
      if (digits === 0 && i - valueStart !== 1) return -1;
      if (c === COLON || c === TAB) break;
      if (c !== COMMA) return -1;
      count++;
      i++;
    }
    this.count = count;
    return i;
  }

  /** Comma-separated non-empty values. */
  private strings(b: Uint8Array, i: number, e: number): number {
    let count = 1;
    for (;;) {
      const valueStart = i;
      let c = i < e ? (b[i] ?? 0) : TAB;
      while (c !== COMMA && c !== COLON && c !== TAB) c = ++i < e ? (b[i] ?? 0) : TAB;
      if (i === valueStart) return -1;
      if (c !== COMMA) break;
      count++;
      i++;
    }
    this.count = count;
    return i;
  }

  /** GT at s into gt; returns where it ends (':', TAB or e), or -1. */
  private readGt(b: Uint8Array, s: number, e: number, gt: Genotype): number {
    const max = this.maxAllele;
    // the usual diploid 'a/b' or 'a|b', both called
    if (s + 3 <= e) {
      const a0 = (b[s] ?? 0) - 48;
      const sep = b[s + 1];
      const a1 = (b[s + 2] ?? 0) - 48;
      const end = s + 3 < e ? (b[s + 3] ?? 0) : TAB;
      if (a0 >= 0 && a0 <= max && a1 >= 0 && a1 <= max && (sep === SLASH || sep === PIPE) && (end === COLON || end === TAB)) {
        gt.alleles[0] = a0;
        gt.alleles[1] = a1;
        gt.ploidy = 2;
        gt.phased = sep === PIPE;
        gt.anyMissing = false;
        gt.anyCalled = true;
        gt.anyAlt = a0 > 0 || a1 > 0;
        return s + 3;
      }
    }
    const alleles = gt.alleles;
    let ploidy = 0;
    let separators = 0;
    let pipes = 0;
    let missing = false;
    let called = false;
    let alt = false;
    let i = s;
    for (;;) {
      const c = i < e ? (b[i] ?? 0) : TAB;
      let allele = -1;
      if (c === DOT) {
        missing = true;
      } else {
        allele = c - 48;
        if (allele < 0 || allele > max) return -1;
        called = true;
        if (allele > 0) alt = true;
      }
      if (ploidy === MAX_PLOIDY) return -1;
      alleles[ploidy++] = allele;
      i++;
      const sep = i < e ? (b[i] ?? 0) : TAB;
      if (sep === SLASH) {
        separators++;
      } else if (sep === PIPE) {
        separators++;
        pipes++;
      } else if (sep === COLON || sep === TAB) {
        break;
      } else {
        return -1;
      }
      i++;
    }
    gt.ploidy = ploidy;
    gt.phased = separators > 0 && pipes === separators;
    gt.anyMissing = missing;
    gt.anyCalled = called;
    gt.anyAlt = alt;
    return i;
  }
}

function kindOf(type: number): number {
  if (type === TypeCode.Integer) return Kind.integer;
  if (type === TypeCode.Float) return Kind.float;
  if (type === TypeCode.String) return Kind.string;
  return Kind.other;
}
