// The disclosure mechanism's parameters: the configured ones (threshold, budget, repeat limit) and
// the fixed epsilon each answer costs. docs/threat-model.md explains the accounting; GET
// /v1/beacon/info publishes all of it (none of it is secret).

export interface DisclosureSettings {
  /** a count below this, zero included, is shown as "<threshold" */
  threshold: number;
  /** a project's budget (total epsilon) per approval, unless the board sets another */
  defaultBudget: number;
  /** identical queries allowed per window; the next one is refused until the oldest leaves the window */
  repeatLimit: number;
  repeatWindowMs: number;
}

/**
 * Every released count is a Laplace mechanism at this epsilon: noise of scale sensitivity/epsilon,
 * where one patient changes a count of patients by 1 and an allele count or allele number by 2.
 */
export const EPSILON_PER_STATISTIC = 0.5;

/** What one answer costs when it releases anything not released before (identical releases are free). */
export const ANSWER_COST = {
  count: EPSILON_PER_STATISTIC,
  /** per variant row shown, for its allele count, allele number and carriers together */
  aggregateRow: EPSILON_PER_STATISTIC,
  aggregateMinimum: EPSILON_PER_STATISTIC,
  aggregateMaximum: 10 * EPSILON_PER_STATISTIC,
  /** record-level rows are not noisy: Safe Harbor and the threshold protect them, and they cost ten counts */
  records: 10 * EPSILON_PER_STATISTIC,
  beacon: EPSILON_PER_STATISTIC,
  /** a differencing refusal tells the caller two cohorts are close: it costs as much as a count */
  differencingRefusal: EPSILON_PER_STATISTIC,
} as const;

/** Laplace scale of a count of patients (sensitivity 1). */
export const COUNT_NOISE_SCALE = 1 / EPSILON_PER_STATISTIC;
/** Laplace scale of an allele count (sensitivity 2: a homozygous patient adds two copies). */
export const ALLELE_COUNT_NOISE_SCALE = 2 / EPSILON_PER_STATISTIC;

/** The published description of the mechanism, on every answer and in the Beacon info. */
export function mechanismOf(settings: DisclosureSettings) {
  return {
    threshold: settings.threshold,
    belowThreshold: `<${settings.threshold}`,
    noise: 'laplace',
    countNoiseScale: COUNT_NOISE_SCALE,
    alleleCountNoiseScale: ALLELE_COUNT_NOISE_SCALE,
    noiseSeed: 'a keyed hash of the exact set of contributing patients: asking again, or asking differently for the same patients, gives the same value',
    epsilonPerStatistic: EPSILON_PER_STATISTIC,
    answerCosts: { ...ANSWER_COST },
    defaultBudget: settings.defaultBudget,
    repeatLimit: settings.repeatLimit,
    repeatWindowHours: settings.repeatWindowMs / 3_600_000,
    differencing: `a cohort that differs from an earlier one of the same project by 1 to ${settings.threshold - 1} patients is refused`,
  };
}
export type Mechanism = ReturnType<typeof mechanismOf>;
