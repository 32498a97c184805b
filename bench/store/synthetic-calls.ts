// Deterministic synthetic exome-like calls for the store benchmarks: a shared pool of sites
// per chromosome (so samples share common variants, like a real cohort), each sample carrying
// a skewed random subset. No real person's data; the same seed gives the same rows.
import type { CallBatch } from '../../vault/ingest/call-columns.ts';
import { MISSING_INT } from '../../vault/ingest/call-columns.ts';

/** Rough share of exome calls per chromosome (gene density), chr1..chr22, chrX. */
const SHARES = [10, 6.5, 5.5, 4, 4.5, 5.5, 5, 3.5, 4, 4, 6.5, 5.5, 1.8, 3.3, 3.5, 4.5, 6, 1.5, 7.5, 2.8, 1.2, 2.5, 3];
const LENGTHS_MB = [248, 242, 198, 190, 181, 171, 159, 145, 138, 134, 135, 133, 114, 107, 102, 90, 83, 80, 59, 64, 47, 51, 156];
export const CHROMS = SHARES.map((_, i) => (i < 22 ? `chr${i + 1}` : 'chrX'));
const BASES = ['A', 'C', 'G', 'T'];
const SIGNIFICANCE = ['Benign', 'Likely_benign', 'Uncertain_significance', 'Pathogenic', 'Likely_pathogenic'];

/** mulberry32: small, fast, deterministic */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SitePool {
  pos: Int32Array;
  ref: string[];
  alt: string[];
}

export interface CohortModel {
  rowsPerSample: number;
  /** extra sites placed inside this span (so a one-gene query has work to do) */
  hotspot: { chrom: string; start: number; end: number; sites: number };
  pools: Map<string, SitePool>;
}

export function cohortModel(rowsPerSample: number, hotspot: CohortModel['hotspot'], seed = 1): CohortModel {
  const random = prng(seed);
  const total = SHARES.reduce((a, b) => a + b, 0);
  const pools = new Map<string, SitePool>();
  CHROMS.forEach((chrom, i) => {
    const size = Math.max(10, Math.round((rowsPerSample * 4 * SHARES[i]!) / total));
    const positions = new Set<number>();
    while (positions.size < size) positions.add(1 + Math.floor(random() * LENGTHS_MB[i]! * 1e6));
    if (chrom === hotspot.chrom) {
      for (let k = 0; k < hotspot.sites; k++) positions.add(hotspot.start + Math.floor(random() * (hotspot.end - hotspot.start)));
    }
    const pos = Int32Array.from([...positions].sort((a, b) => a - b));
    const ref = Array.from(pos, () => BASES[Math.floor(random() * 4)]!);
    const alt = ref.map((r) => (random() < 0.1 ? r + BASES[Math.floor(random() * 4)]! : BASES[(BASES.indexOf(r) + 1 + Math.floor(random() * 3)) % 4]!));
    pools.set(chrom, { pos, ref, alt });
  });
  return { rowsPerSample, hotspot, pools };
}

/** One sample's calls on one chromosome: about a quarter of the pool, common sites favoured. */
export function sampleBatch(model: CohortModel, sample: number, chrom: string): CallBatch {
  const pool = model.pools.get(chrom);
  if (!pool) throw new Error(`no pool for ${chrom}`);
  const random = prng(sample * 7919 + CHROMS.indexOf(chrom) * 104729 + 1);
  const chosen = new Set<number>();
  const want = Math.round(pool.pos.length / 4);
  while (chosen.size < want) chosen.add(Math.floor(pool.pos.length * random() ** 2.5));
  const rows = [...chosen].sort((a, b) => a - b);
  const n = rows.length;
  const zygosity = Uint8Array.from(rows, () => (random() < 0.35 ? 2 : 1));
  return {
    chrom, rows: n,
    pos: Int32Array.from(rows, (r) => pool.pos[r]!),
    altIndex: new Uint8Array(n).fill(1),
    zygosity,
    phased: new Uint8Array(n),
    dp: Int32Array.from(rows, () => (random() < 0.02 ? MISSING_INT : 10 + Math.floor(random() * 60))),
    gq: Int32Array.from(rows, () => 20 + Math.floor(random() * 80)),
    qual: Float32Array.from(rows, () => 30 + random() * 2000),
    id: rows.map((r) => (r % 3 === 0 ? `rs${1000 + r * 7}` : null)),
    ref: rows.map((r) => pool.ref[r]!),
    alt: rows.map((r) => pool.alt[r]!),
    filter: rows.map(() => (random() < 0.05 ? 'LowQual' : 'PASS')),
    gt: Array.from(zygosity, (z) => (z === 2 ? '1/1' : '0/1')),
    gene: rows.map(() => null),
    consequence: rows.map((r) => (r % 5 === 0 ? 'missense_variant' : r % 5 === 1 ? 'synonymous_variant' : null)),
    clnsig: rows.map((r) => (r % 50 === 0 ? SIGNIFICANCE[r % SIGNIFICANCE.length]! : null)),
  };
}
