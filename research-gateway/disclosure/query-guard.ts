// Two refusals that protect a project's cohort from its own queries:
// - repeat lockout: the same query, asked `repeatLimit` times within the window, is refused until
//   the oldest of them leaves the window. Repeats learn nothing new (the noise is fixed per
//   cohort), but a script asking the same thing in a loop is stopped and shows up in the report;
// - differencing: an answer resting on a cohort that differs from an earlier answered cohort of
//   the same project by 1 to threshold-1 patients is refused: the two answers together would
//   describe those few patients. Cohorts that are both below the threshold are left alone (both
//   answers say only "<threshold"), and so is the very same cohort (it gets the very same answer).
//   Patients who gave or withdrew consent in between are left out of the comparison: that change
//   is theirs, not the researcher's, and would otherwise refuse every repeated question.
import type { ProjectState } from '../projects/project-state.ts';
import type { DisclosureSettings } from './settings.ts';

/** Seconds until the same query may be asked again, or null when it may be asked now. */
export function repeatLockout(state: ProjectState, fingerprint: string, now: number, settings: DisclosureSettings): number | null {
  const since = now - settings.repeatWindowMs;
  const times = state.queries
    .filter((q) => q.fingerprint === fingerprint && q.outcome !== 'repeat_lockout')
    .map((q) => Date.parse(q.at))
    .filter((t) => t > since);
  if (times.length < settings.repeatLimit) return null;
  const freedAt = Math.min(...times) + settings.repeatWindowMs;
  return Math.max(1, Math.ceil((freedAt - now) / 1000));
}

/**
 * Whether the cohort differs from an earlier answered one of the project by 1 to threshold-1
 * patients, both counted over the patients taking part at both times (`universe`: now).
 */
export function differsByFew(state: ProjectState, cohort: readonly string[], universe: ReadonlySet<string>, threshold: number): boolean {
  for (const q of state.queries) {
    if (q.outcome !== 'answered' || !q.cohort) continue;
    const then = q.universe !== undefined ? state.universes.get(q.universe) : undefined;
    const common = (id: string) => universe.has(id) && (!then || then.has(id));
    const mine = cohort.filter(common);
    const other = q.cohort.filter(common);
    if (Math.max(other.length, mine.length) < threshold || Math.abs(other.length - mine.length) >= threshold) continue;
    const difference = symmetricDifference(new Set(mine), other, threshold);
    if (difference > 0 && difference < threshold) return true;
  }
  return false;
}

/** |a Δ b|, counted up to `limit` (beyond it the exact size does not matter). */
function symmetricDifference(a: ReadonlySet<string>, b: readonly string[], limit: number): number {
  const other = new Set(b);
  let n = 0;
  for (const id of b) if (!a.has(id) && ++n >= limit) return n;
  for (const id of a) if (!other.has(id) && ++n >= limit) return n;
  return n;
}
