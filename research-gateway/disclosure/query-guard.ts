// Two refusals that protect a project's cohort from its own queries:
// - repeat lockout: the same query, asked `repeatLimit` times within the window, is refused until
//   the oldest of them leaves the window. Repeats learn nothing new (the noise is fixed per
//   cohort), but a script asking the same thing in a loop is stopped and shows up in the report;
// - differencing: an answer is refused when any set of patients it describes (its cohort, each
//   allele's carriers, who covered a position) differs from any set an earlier answer of the same
//   project described by 1 to threshold-1 patients: the two together would describe those few
//   patients (count{gene} minus one shown allele's carriers would count the carriers of withheld
//   rare alleles). Sets that are both below the threshold are left alone (both answers say only
//   "<threshold"), and so is a set described before (it gets the very same answer). Sets of one
//   answer are not compared with each other: an aggregate's rows never describe a difference alone.
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
 * Whether any of the sets differs from a set an earlier answer of the project described by 1 to
 * threshold-1 patients, both counted over the patients taking part at both times (`universe`: now).
 */
export function differsByFew(state: ProjectState, sets: readonly (readonly string[])[], universe: ReadonlySet<string>, threshold: number): boolean {
  const earlier = state.queries.flatMap((q) => {
    const described = q.patientSets ?? (q.cohort ? [q.cohort] : []);
    if (q.outcome !== 'answered' || described.length === 0) return [];
    const then = q.universe !== undefined ? state.universes.get(q.universe) : undefined;
    const common = (id: string) => universe.has(id) && (!then || then.has(id));
    return [{ common, sets: described }];
  });
  // a set described before, exactly, tells nothing new: a repeated answer is never refused
  const fresh = sets.filter((set) => !earlier.some((q) => q.sets.some((other) => sameSet(set.filter(q.common), other.filter(q.common)))));
  for (const q of earlier) {
    const mine = fresh.map((set) => set.filter(q.common));
    for (const other of q.sets) {
      const theirs = other.filter(q.common);
      if (mine.some((set) => closeSets(set, theirs, threshold))) return true;
    }
  }
  return false;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const other = new Set(b);
  return a.every((id) => other.has(id));
}

/** Two sets, not both below the threshold, differing by 1 to threshold-1 patients. */
function closeSets(mine: readonly string[], other: readonly string[], threshold: number): boolean {
  if (Math.max(other.length, mine.length) < threshold || Math.abs(other.length - mine.length) >= threshold) return false;
  const difference = symmetricDifference(new Set(mine), other, threshold);
  return difference > 0 && difference < threshold;
}

/** |a Δ b|, counted up to `limit` (beyond it the exact size does not matter). */
function symmetricDifference(a: ReadonlySet<string>, b: readonly string[], limit: number): number {
  const other = new Set(b);
  let n = 0;
  for (const id of b) if (!a.has(id) && ++n >= limit) return n;
  for (const id of a) if (!other.has(id) && ++n >= limit) return n;
  return n;
}
