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

/**
 * What answers cost, by sequential composition: an answer is charged EPSILON_PER_STATISTIC for every
 * noisy statistic it computes that the project was not given before (a statistic released again
 * costs nothing: it is the same value). There is no cap: an aggregate of thirty alleles costs thirty
 * times what one costs, and is refused when that exceeds the remaining budget.
 */
export const ANSWER_COST = {
  /** per fresh noisy statistic: a count, and per allele of an aggregate its carriers, AC and AN (three) */
  statistic: EPSILON_PER_STATISTIC,
  /**
   * record-level rows are exact, so not differentially private at all: Safe Harbor, the threshold
   * and the board's trust in the project protect them. This fixed charge is a bookkeeping price
   * (ten counts) that keeps record releases scarce, not a privacy guarantee.
   */
  records: 10 * EPSILON_PER_STATISTIC,
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
