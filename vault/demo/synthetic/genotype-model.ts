// Genotypes under Hardy-Weinberg: for one site, the carrier genotypes a sample of a given
// ploidy can have and their weights, so a carrier is drawn in one step (no rejection loops).
import { cumulativeWeights } from './prng.ts';

export interface CarrierGenotypes {
  /** allele indices per genotype, e.g. [0, 1] or [2] */
  alleles: number[][];
  cumulative: Float64Array;
  /** chance of carrying no alternate allele at all */
  referenceChance: number;
}

/** afs: frequency of each ALT allele (summing below 1); ploidy 1 or 2. */
export function carrierGenotypes(afs: readonly number[], ploidy: 1 | 2): CarrierGenotypes {
  const freq = [1 - afs.reduce((s, f) => s + f, 0), ...afs];
  const alleles: number[][] = [];
  const weights: number[] = [];
  if (ploidy === 1) {
    for (let a = 1; a < freq.length; a++) {
      alleles.push([a]);
      weights.push(freq[a] ?? 0);
    }
  } else {
    for (let a = 0; a < freq.length; a++) {
      for (let b = Math.max(a, 1); b < freq.length; b++) {
        alleles.push([a, b]);
        weights.push((a === b ? 1 : 2) * (freq[a] ?? 0) * (freq[b] ?? 0));
      }
    }
  }
  const ref = freq[0] ?? 0;
  return { alleles, cumulative: cumulativeWeights(weights), referenceChance: ploidy === 1 ? ref : ref * ref };
}

/** A cell that carries nothing, tab included, ready to copy; its depth feeds INFO/DP. */
export interface ReferenceCell {
  bytes: Uint8Array;
  dp: number;
}

/** `count` reference cells varied in depth and quality, picked later by a few random bits. */
export function referenceCells(ploidy: 1 | 2, count: number): ReferenceCell[] {
  const gt = ploidy === 1 ? '0' : '0/0';
  return Array.from({ length: count }, (_, i) => {
    const dp = 18 + ((i * 7) % 43);
    const gq = 99 - ((i * 13) % 60);
    return { bytes: Buffer.from(`\t${gt}:${dp}:${gq}`, 'latin1'), dp };
  });
}
