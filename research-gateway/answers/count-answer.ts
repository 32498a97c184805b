// The count level: how many consented patients match. Noisy (Laplace, seeded by the exact set of
// patients), and "<threshold" for anything below the threshold, zero included.
import { measure } from '../disclosure/seeded-noise.ts';
import { COUNT_NOISE_SCALE } from '../disclosure/settings.ts';
import { showCount, type CountPrecision, type ShownCount } from '../disclosure/small-counts.ts';
import type { CohortRun } from '../cohort/run-cohort.ts';
import { carriersOf, statisticsCost, type AnswerContext, type DisclosureResult } from './disclosure-result.ts';

export interface CountBody {
  count: ShownCount;
  countPrecision: CountPrecision;
}

/** A count of these patients, as every answer shows one (the same set always gets the same noise). */
export function shownCountOf(patients: readonly string[], ctx: AnswerContext) {
  const m = measure(ctx.noiseKey, 'count', patients, COUNT_NOISE_SCALE);
  return { ...showCount(patients.length, m.noise, ctx.threshold), digest: m.digest };
}

export function countAnswer(run: CohortRun, byVariant: boolean, ctx: AnswerContext): DisclosureResult<CountBody> {
  const patients = byVariant ? (run.carrierPatients ?? carriersOf(run.alleles)) : run.base;
  const shown = shownCountOf(patients, ctx);
  return {
    kind: 'count',
    body: { count: shown.value, countPrecision: shown.precision },
    trueSize: patients.length,
    patientSets: [patients],
    statistics: [shown.digest],
    cost: statisticsCost([shown.digest], ctx.released),
  };
}
