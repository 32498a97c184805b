// The call columns of one chunk, grown together: one capacity check per call instead of one per column,
// and each column keeps a single array type, so the stores stay monomorphic (Grow is shared by both).
import type { ChunkResult } from './chunk-result.ts';
import { MISSING_INT } from '../call-columns.ts';

type CallColumns = Pick<ChunkResult, 'callSample' | 'callSite' | 'callAlt' | 'callZygosity' | 'callPhased' | 'callDp' | 'callGq' | 'callGt' | 'callAdRef' | 'callAdAlt' | 'callAdOther'>;

export class CallRows {
  length = 0;
  private sample: Int32Array;
  private site: Int32Array;
  private alt: Int32Array;
  private zygosity: Uint8Array;
  private phased: Uint8Array;
  private dp: Int32Array;
  private gq: Int32Array;
  private gt: Int32Array;
  private adRef: Int32Array;
  private adAlt: Int32Array;
  private adOther: Int32Array;
  /** whether any call so far had FORMAT AD: a chunk without hands back empty AD columns */
  private anyDepth = false;

  /** `capacity`: a guess at the row count (the last chunk's), so most chunks never grow */
  constructor(capacity: number) {
    const size = Math.max(1024, capacity);
    this.sample = new Int32Array(size);
    this.site = new Int32Array(size);
    this.alt = new Int32Array(size);
    this.zygosity = new Uint8Array(size);
    this.phased = new Uint8Array(size);
    this.dp = new Int32Array(size);
    this.gq = new Int32Array(size);
    this.gt = new Int32Array(size);
    this.adRef = new Int32Array(size);
    this.adAlt = new Int32Array(size);
    this.adOther = new Int32Array(size);
  }

  add(sample: number, site: number, alt: number, zygosity: number, phased: number, dp: number, gq: number, gt: number, adRef: number, adAlt: number, adOther: number): void {
    const n = this.length;
    if (n === this.sample.length) this.grow();
    this.sample[n] = sample;
    this.site[n] = site;
    this.alt[n] = alt;
    this.zygosity[n] = zygosity;
    this.phased[n] = phased;
    this.dp[n] = dp;
    this.gq[n] = gq;
    this.gt[n] = gt;
    this.adRef[n] = adRef;
    this.adAlt[n] = adAlt;
    this.adOther[n] = adOther;
    if (adRef !== MISSING_INT || adAlt !== MISSING_INT) this.anyDepth = true;
    this.length = n + 1;
  }

  private grow(): void {
    const size = this.sample.length * 2;
    this.sample = larger32(this.sample, size);
    this.site = larger32(this.site, size);
    this.alt = larger32(this.alt, size);
    this.zygosity = larger8(this.zygosity, size);
    this.phased = larger8(this.phased, size);
    this.dp = larger32(this.dp, size);
    this.gq = larger32(this.gq, size);
    this.gt = larger32(this.gt, size);
    this.adRef = larger32(this.adRef, size);
    this.adAlt = larger32(this.adAlt, size);
    this.adOther = larger32(this.adOther, size);
  }

  /** Trimmed copies, as Grow.finish gives; the AD columns empty (length 0) when no call had AD. */
  finish(): CallColumns {
    const n = this.length;
    const depths = this.anyDepth ? n : 0;
    return {
      callSample: this.sample.slice(0, n),
      callSite: this.site.slice(0, n),
      callAlt: this.alt.slice(0, n),
      callZygosity: this.zygosity.slice(0, n),
      callPhased: this.phased.slice(0, n),
      callDp: this.dp.slice(0, n),
      callGq: this.gq.slice(0, n),
      callGt: this.gt.slice(0, n),
      callAdRef: this.adRef.slice(0, depths),
      callAdAlt: this.adAlt.slice(0, depths),
      callAdOther: this.adOther.slice(0, depths),
    };
  }
}

function larger32(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(size);
  next.set(a);
  return next;
}

function larger8(a: Uint8Array, size: number): Uint8Array<ArrayBuffer> {
  const next = new Uint8Array(size);
  next.set(a);
  return next;
}
