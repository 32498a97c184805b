// Small counts: any count below the threshold, zero included, is shown as "<threshold". Showing 0
// while hiding 1 to 19 would tell everyone that the hidden ones are not empty. A count is shown
// only when both the true and the noisy value reach the threshold, so no shown number is ever
// below it.

export type ShownCount = number | `<${number}`;

/** How a shown count was made: noisy, or below the threshold. */
export type CountPrecision = 'imprecise' | 'below_threshold';

export function showCount(trueCount: number, noise: number, threshold: number): { value: ShownCount; precision: CountPrecision } {
  const noisy = trueCount + noise;
  if (trueCount >= threshold && noisy >= threshold) return { value: noisy, precision: 'imprecise' };
  return { value: `<${threshold}`, precision: 'below_threshold' };
}
