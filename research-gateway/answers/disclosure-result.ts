// What building an answer yields besides its body: what the privacy checks need (the true size,
// the exact cohort it rests on, the statistics it releases) and what it costs.
import type { QueryKind } from '../projects/project-events.ts';

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
  /** the patients it rests on, for the differencing check; null where the check does not apply */
  cohort: string[] | null;
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

export function freshCost(statistics: readonly string[], released: ReadonlySet<string>, cost: number): number {
  return statistics.some((s) => !released.has(s)) ? cost : 0;
}
