// What parsing one chunk of whole lines yields. Numbers live in typed arrays so a worker can hand
// them back without copying; text is kept once per site (record with calls), not per call.
import type { VcfProblem } from './vcf-format-error.ts';

export interface SiteTable {
  chrom: string[];
  pos: number[];
  id: (string | null)[];
  ref: string[];
  alts: string[][];
  filter: (string | null)[];
  qual: number[];
  gene: (string | null)[][];
  consequence: (string | null)[][];
  hgvsC: (string | null)[][];
  hgvsP: (string | null)[][];
  clnsig: (string | null)[];
}

export interface ChunkResult {
  firstLine: number;
  records: number;
  /** raw CHROM names in order of first appearance in this chunk */
  chromNames: string[];
  recChrom: Int32Array;
  recPos: Int32Array;
  recLine: Int32Array;
  /** duplicate-detection keys: one per plain-base ALT allele, after trimming shared bases */
  keyRec: Int32Array;
  keyPos: Int32Array;
  keyH1: Int32Array;
  keyH2: Int32Array;
  sites: SiteTable;
  callSample: Int32Array;
  callSite: Int32Array;
  callAlt: Int32Array;
  callZygosity: Uint8Array;
  callPhased: Uint8Array;
  callDp: Int32Array;
  callGq: Int32Array;
  callGt: Int32Array;
  /** FORMAT AD per call: reference reads, this allele's reads, other ALT alleles' reads (MISSING_INT when absent); empty when no call of the chunk had AD */
  callAdRef: Int32Array;
  callAdAlt: Int32Array;
  callAdOther: Int32Array;
  gtTable: string[];
  refBlocks: number;
  covSample: Int32Array;
  covChrom: Int32Array;
  covStart: Int32Array;
  covEnd: Int32Array;
  warnings: string[];
  error: VcfProblem | null;
  /** errors on later lines, when the header asks parsers to keep going (validate) */
  moreErrors: VcfProblem[];
}

/** The typed arrays of a result, for transfer lists. */
export function transferablesOf(result: ChunkResult): ArrayBuffer[] {
  const arrays = [
    result.recChrom, result.recPos, result.recLine, result.keyRec, result.keyPos, result.keyH1, result.keyH2,
    result.callSample, result.callSite, result.callAlt, result.callZygosity, result.callPhased, result.callDp,
    result.callGq, result.callGt, result.callAdRef, result.callAdAlt, result.callAdOther, result.covSample, result.covChrom, result.covStart, result.covEnd,
  ];
  return arrays.map((a) => a.buffer as ArrayBuffer);
}

/** A typed array that grows by doubling; finish() trims it to length. */
export class Grow<T extends Int32Array | Uint8Array> {
  data: T;
  length = 0;
  constructor(private readonly make: (n: number) => T, capacity = 1024) {
    this.data = make(capacity);
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
  finish(): T {
    return this.data.slice(0, this.length) as T;
  }
}

export const int32s = (n: number): Int32Array => new Int32Array(n);
export const uint8s = (n: number): Uint8Array => new Uint8Array(n);
