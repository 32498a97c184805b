// The allele frequency spectrum of the site pool: most sites are rare, a minority is common,
// yet common sites make up most of what any one person carries, as in real exomes.
import type { Prng } from './prng.ts';

/** Shares of the site pool per class (rare < 0.5%, low-frequency 0.5-5%, common above). */
const RARE_SHARE = 0.5;
const LOW_FREQUENCY_SHARE = 0.25;

export function drawAlleleFrequency(rng: Prng): number {
  const u = rng.next();
  if (u < RARE_SHARE) return rng.logUniform(1e-4, 5e-3);
  if (u < RARE_SHARE + LOW_FREQUENCY_SHARE) return rng.logUniform(5e-3, 0.05);
  return 0.05 + rng.next() * 0.9;
}

/** Chance that a diploid person carries at least one copy under Hardy-Weinberg: 1 - (1 - p)^2. */
export function diploidCarrierChance(af: number): number {
  return 1 - (1 - af) * (1 - af);
}
