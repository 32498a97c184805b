// Noise that cannot be averaged away. Each released statistic gets Laplace noise drawn from a
// keyed hash (HMAC-SHA-256 with the vault's noise key) of what it measures and of the exact set of
// patients it counts: the same patients always get the same noise, however the question is
// phrased or repeated, and different sets get independent noise. Without the key nobody can
// compute the noise, so it cannot be subtracted.
import { createHmac } from 'node:crypto';
import { idsBytes, sortedIds } from '../projects/described-sets.ts';

export interface Measurement {
  /** the keyed hash: the statistic's identity for the privacy budget (a repeat costs nothing) */
  digest: string;
  /** signed Laplace noise, rounded to a whole number */
  noise: number;
}

/** 2^53: a double holds every integer below it */
const TWO_POW_53 = 9_007_199_254_740_992;

/**
 * `label` says what is measured ('count', 'ac:chr17:43045712:C:T'...); `members` are the patients
 * it counts (with whatever else decides the value, e.g. `id:copies`).
 */
export function measure(key: Uint8Array, label: string, members: Iterable<string>, scale: number): Measurement {
  const digest = keyedHash(key, label, members);
  // 53 uniform bits, centred in their cell: u is never 0 or 1
  const bits = digest.readUInt32BE(0) * 2 ** 21 + (digest.readUInt32BE(4) >>> 11);
  const u = (bits + 0.5) / TWO_POW_53 - 0.5;
  const noise = -scale * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
  return { digest: digest.toString('hex').slice(0, 32), noise: Math.round(noise) || 0 };
}

/** The keyed hash of a label and a set (order does not matter). */
function keyedHash(key: Uint8Array, label: string, members: Iterable<string>): Buffer {
  const sorted = sortedIds(Array.isArray(members) ? (members as string[]) : [...members]);
  // each member followed by a NUL, fed as one run of bytes: one update is far cheaper than two per member
  return createHmac('sha256', key).update(label).update('\0').update(idsBytes(sorted)).digest();
}

/** The identity of a release that carries no noise (records, a whole answer's shape). */
export function releaseDigest(key: Uint8Array, label: string, members: Iterable<string>): string {
  return keyedHash(key, label, members).toString('hex').slice(0, 32);
}
