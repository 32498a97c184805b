// Reads a GT value ('0/1', '1|2', '.', './1', '0|0|1', and in 4.4+ a leading phase mark) without
// building strings, and says how the sample carries each alternate allele.
import { Zygosity, type ZygosityCode } from '../call-columns.ts';
import { shown, type LineCursor } from './line-cursor.ts';

export const MAX_PLOIDY = 64;

export class Genotype {
  readonly alleles = new Int32Array(MAX_PLOIDY);
  ploidy = 0;
  /** every separator is '|' (and there is at least one) */
  phased = false;
  anyMissing = false;
  /** at least one allele is called */
  anyCalled = false;
  anyAlt = false;

  /** Parses bytes [s, e); fails on bad syntax or an allele index above altCount (unless ALT is '.'). */
  parse(cursor: LineCursor, s: number, e: number, altCount: number, checkRange: boolean, allowLeadingPhase: boolean): void {
    const b = cursor.buf;
    this.ploidy = 0;
    this.anyMissing = this.anyCalled = this.anyAlt = false;
    let separators = 0;
    let pipes = 0;
    let i = s;
    if (allowLeadingPhase && (b[i] === 47 || b[i] === 124)) i++;
    for (;;) {
      if (i >= e) cursor.failAt(s, `GT is not a valid genotype: ${shown(cursor.text(s, e))}`);
      let allele: number;
      if (b[i] === 46) {
        allele = -1;
        i++;
        this.anyMissing = true;
      } else {
        const start = i;
        allele = 0;
        while (i < e && (b[i] ?? 0) >= 48 && (b[i] ?? 0) <= 57) {
          allele = allele * 10 + ((b[i] ?? 0) - 48);
          i++;
        }
        if (i === start) cursor.failAt(s, `GT is not a valid genotype: ${shown(cursor.text(s, e))}`);
        if (checkRange && allele > altCount) cursor.failAt(s, `GT allele ${allele} is out of range: the record has ${altCount} ALT allele(s)`);
        this.anyCalled = true;
        if (allele > 0) this.anyAlt = true;
      }
      if (this.ploidy >= MAX_PLOIDY) cursor.failAt(s, `GT has more than ${MAX_PLOIDY} alleles`);
      this.alleles[this.ploidy++] = allele;
      if (i === e) break;
      const sep = b[i];
      if (sep !== 47 && sep !== 124) cursor.failAt(s, `GT is not a valid genotype: ${shown(cursor.text(s, e))}`);
      separators++;
      if (sep === 124) pipes++;
      i++;
    }
    this.phased = separators > 0 && pipes === separators;
  }

  /** How the sample carries allele `alt` (> 0), assuming it carries it. */
  zygosityOf(alt: number): ZygosityCode {
    if (this.ploidy === 1) return Zygosity.hemizygous;
    if (this.anyMissing) return Zygosity.missing;
    for (let k = 0; k < this.ploidy; k++) if (this.alleles[k] !== alt) return Zygosity.het;
    return Zygosity.homAlt;
  }

  /** True the first time allele index k holds this alternate (so 1/1 gives one row). */
  firstOccurrence(k: number): boolean {
    const allele = this.alleles[k] ?? -1;
    for (let j = 0; j < k; j++) if (this.alleles[j] === allele) return false;
    return true;
  }
}

/** Number of genotypes for n alleles at a ploidy: C(n + p - 1, p), the length of a Number=G list. */
export function genotypeCount(alleles: number, ploidy: number): number {
  let result = 1;
  for (let k = 1; k <= ploidy; k++) result = (result * (alleles + k - 1)) / k;
  return Math.round(result);
}
