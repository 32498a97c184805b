// One chromosome's calls of one ingest batch, as the batch writer hands them to be encoded: every
// VCF column's calls in file order, with their allele rows already numbered. Encoding regroups
// them by sample and makes one calls partition (plaintext) per stored sample; it is pure, so it
// runs on the ingest thread or in the encode worker alike.
import { MISSING_INT, type SampleCalls } from './call-columns.ts';
import { encodeCalls } from '../store/calls-codec.ts';

export interface ChromosomeCalls {
  chrom: string;
  /** rows of the chromosome's allele table */
  alleleRows: number;
  /** position of each allele row */
  rowPos: Int32Array;
  /** VCF sample columns in the file */
  sampleCount: number;
  sample: Int32Array;
  /** row in the allele table; -1 for a sample that is not stored */
  allele: Int32Array;
  zygosity: Uint8Array;
  phased: Uint8Array;
  dp: Int32Array;
  gq: Int32Array;
  /** index into the batch's genotype strings */
  gt: Int32Array;
  /** FORMAT AD: reference reads, this allele's reads, other ALT alleles' reads; empty when no call has AD */
  adRef: Int32Array;
  adAlt: Int32Array;
  adOther: Int32Array;
}

/** One sample's calls partition of the chromosome, ready to seal. */
export interface EncodedCalls {
  /** VCF sample column */
  sample: number;
  rows: number;
  minPos: number;
  maxPos: number;
  plaintext: Uint8Array;
}

/** Calls without the chromosome's context: one parsed chunk's share (the batch writer's pieces), or all of them joined. */
export type CallPiece = Omit<ChromosomeCalls, 'chrom' | 'alleleRows' | 'rowPos' | 'sampleCount'>;

/** The pieces (one per parsed chunk) joined into one set of columns. */
export function joinPieces(pieces: readonly CallPiece[]): CallPiece {
  const total = pieces.reduce((n, p) => n + p.sample.length, 0);
  // AD columns only when some piece has them; a piece without is all missing
  const depths = pieces.some((p) => p.adRef.length > 0) ? total : 0;
  const joined: CallPiece = {
    sample: new Int32Array(total), allele: new Int32Array(total), zygosity: new Uint8Array(total), phased: new Uint8Array(total),
    dp: new Int32Array(total), gq: new Int32Array(total), gt: new Int32Array(total),
    adRef: new Int32Array(depths).fill(MISSING_INT), adAlt: new Int32Array(depths).fill(MISSING_INT), adOther: new Int32Array(depths).fill(MISSING_INT),
  };
  let at = 0;
  for (const p of pieces) {
    joined.sample.set(p.sample, at);
    joined.allele.set(p.allele, at);
    joined.zygosity.set(p.zygosity, at);
    joined.phased.set(p.phased, at);
    joined.dp.set(p.dp, at);
    joined.gq.set(p.gq, at);
    joined.gt.set(p.gt, at);
    if (depths > 0 && p.adRef.length > 0) {
      joined.adRef.set(p.adRef, at);
      joined.adAlt.set(p.adAlt, at);
      joined.adOther.set(p.adOther, at);
    }
    at += p.sample.length;
  }
  return joined;
}

/** The typed arrays of a job, for a transfer list. */
export function buffersOf(job: ChromosomeCalls): ArrayBuffer[] {
  return [job.rowPos, job.sample, job.allele, job.zygosity, job.phased, job.dp, job.gq, job.gt, job.adRef, job.adAlt, job.adOther].map((a) => a.buffer as ArrayBuffer);
}

/**
 * The same partitions, each plaintext owning its whole buffer, and those buffers for a transfer
 * list. A small Buffer lives in Node's shared pool, which cannot be transferred: Node 20 copies it
 * silently, later versions refuse the whole message.
 */
export function forTransfer(encoded: readonly EncodedCalls[]): { encoded: EncodedCalls[]; buffers: ArrayBuffer[] } {
  const buffers: ArrayBuffer[] = [];
  const seen = new Set<ArrayBufferLike>();
  const owned = encoded.map((e) => {
    const p = e.plaintext;
    const whole = p.byteOffset === 0 && p.byteLength === p.buffer.byteLength && !seen.has(p.buffer) && p.buffer instanceof ArrayBuffer;
    const plaintext = whole ? p : new Uint8Array(p);
    seen.add(plaintext.buffer);
    buffers.push(plaintext.buffer as ArrayBuffer);
    return { ...e, plaintext };
  });
  return { encoded: owned, buffers };
}

/** One calls partition per sample with calls, in sample column order. */
export function encodeChromosomeCalls(job: ChromosomeCalls): EncodedCalls[] {
  const encoded: EncodedCalls[] = [];
  for (const [sample, calls] of bySample(job)) {
    const span = positionSpan(job.rowPos, calls.allele);
    encoded.push({ sample, rows: calls.rows, minPos: span.min, maxPos: span.max, plaintext: encodeCalls(calls, job.alleleRows) });
  }
  return encoded;
}

/** Regroups the calls by sample (a counting sort, so each sample keeps file order); unstored samples are left out. */
function* bySample(job: ChromosomeCalls): Generator<[number, SampleCalls]> {
  const { sampleCount, chrom } = job;
  const n = job.sample.length;
  const counts = new Int32Array(sampleCount);
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (job.allele[i]! < 0) continue;
    counts[job.sample[i]!]!++;
    total++;
  }
  const offsets = new Int32Array(sampleCount + 1);
  for (let s = 0; s < sampleCount; s++) offsets[s + 1] = offsets[s]! + counts[s]!;
  const next = offsets.slice(0, sampleCount);
  const allele = new Uint32Array(total);
  const zygosity = new Uint8Array(total);
  const phased = new Uint8Array(total);
  const dp = new Int32Array(total);
  const gq = new Int32Array(total);
  const gt = new Int32Array(total);
  const depths = job.adRef.length > 0;
  const adRef = new Int32Array(depths ? total : 0);
  const adAlt = new Int32Array(depths ? total : 0);
  const adOther = new Int32Array(depths ? total : 0);
  for (let i = 0; i < n; i++) {
    const row = job.allele[i]!;
    if (row < 0) continue;
    const at = next[job.sample[i]!]!++;
    allele[at] = row;
    zygosity[at] = job.zygosity[i]!;
    phased[at] = job.phased[i]!;
    dp[at] = job.dp[i]!;
    gq[at] = job.gq[i]!;
    gt[at] = job.gt[i]!;
    if (depths) {
      adRef[at] = job.adRef[i]!;
      adAlt[at] = job.adAlt[i]!;
      adOther[at] = job.adOther[i]!;
    }
  }
  for (let s = 0; s < sampleCount; s++) {
    const from = offsets[s]!;
    const to = offsets[s + 1]!;
    if (to === from) continue;
    yield [s, {
      chrom, rows: to - from,
      allele: allele.subarray(from, to), zygosity: zygosity.subarray(from, to), phased: phased.subarray(from, to),
      dp: dp.subarray(from, to), gq: gq.subarray(from, to), gt: gt.subarray(from, to),
      adRef: depths ? adRef.subarray(from, to) : adRef, adAlt: depths ? adAlt.subarray(from, to) : adAlt, adOther: depths ? adOther.subarray(from, to) : adOther,
    }];
  }
}

/** Smallest and largest position of the rows named (all rows when `rows` is null). */
export function positionSpan(pos: Int32Array, rows: Uint32Array | null): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  const n = rows ? rows.length : pos.length;
  for (let i = 0; i < n; i++) {
    const p = pos[rows ? rows[i]! : i]!;
    if (p < min) min = p;
    if (p > max) max = p;
  }
  return { min, max };
}
