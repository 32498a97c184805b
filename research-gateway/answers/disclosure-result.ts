// What building an answer yields besides its body: what the privacy checks need (the true size,
// every set of patients it describes, the statistics it releases) and what it costs.
import type { QueryKind } from '../projects/project-events.ts';
import { ANSWER_COST } from '../disclosure/settings.ts';
import { answerSetKey, isKnownSorted } from '../projects/described-sets.ts';

export interface AnswerContext {
  threshold: number;
  noiseKey: Uint8Array;
  /** the statistics the project has already been given: releasing one again costs nothing */
  released: ReadonlySet<string>;
}

export interface DisclosureResult<B> {
  kind: QueryKind;
  body: B;
  /** the true number of patients the answer rests on (audited, never answered) */
  trueSize: number;
  /**
   * every set of patients the answer says something about (its cohort, each shown allele's
   * carriers, who covered a position), for the differencing check: each is compared with every set
   * the project was answered on before. Each lies within `universe`. Empty where the check does not apply.
   */
  patientSets: (readonly string[])[];
  /** keyed hashes of the statistics it releases */
  statistics: string[];
  /** epsilon, counting only statistics not released before */
  cost: number;
  /** the patients taking part in the project when it was built */
  universe?: ReadonlySet<string>;
}

/** Patients carrying any of the alleles, sorted. */
export function carriersOf(alleles: readonly { carriers: ReadonlyMap<string, unknown> }[]): string[] {
  const all = new Set<string>();
  for (const allele of alleles) for (const id of allele.carriers.keys()) all.add(id);
  return [...all].sort();
}

/** The sets, each sorted, the same set once (an answer names one array many times, e.g. the whole cohort as every allele's covering set). */
export function distinctSets(sets: Iterable<Iterable<string>>): string[][] {
  const seenArrays = new Set<Iterable<string>>();
  const seen = new Map<string, string[]>();
  for (const set of sets) {
    if (seenArrays.has(set)) continue;
    seenArrays.add(set);
    const sorted = uniqueSorted(Array.isArray(set) ? (set as string[]) : [...set]);
    seen.set(answerSetKey(sorted), sorted);
  }
  return [...seen.values()];
}

/** The ids sorted without repeats: the same array when they already are. */
function uniqueSorted(ids: string[]): string[] {
  if (isKnownSorted(ids)) return ids;
  for (let i = 1; i < ids.length; i++) if (ids[i - 1]! >= ids[i]!) return [...new Set(ids)].sort();
  return ids;
}

/** A fixed charge for an answer when any of its statistics is new (records: exact rows, priced not composed). */
export function freshCost(statistics: readonly string[], released: ReadonlySet<string>, cost: number): number {
  return statistics.some((s) => !released.has(s)) ? cost : 0;
}

/** Sequential composition: epsilon per noisy statistic not released before, each counted once. */
export function statisticsCost(statistics: readonly string[], released: ReadonlySet<string>): number {
  return new Set(statistics.filter((s) => !released.has(s))).size * ANSWER_COST.statistic;
}
