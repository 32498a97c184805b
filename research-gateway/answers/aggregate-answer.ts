// The aggregate level: per allele, allele count (AC), allele number (AN), frequency (AF) and
// carriers. Every shown cell is noisy and at least the threshold, and so is every cell a reader
// could derive from the shown ones:
//   reference alleles AN - AC, non-carriers AN/2 - carriers, homozygous carriers AC - carriers,
//   heterozygous carriers 2 x carriers - AC.
// An allele whose carriers, non-carriers or reference alleles fall below the threshold is not
// listed at all (rare, or carried by nearly everyone); where only the homozygous or heterozygous
// carriers would be small, the carrier count is withheld and AC, AN and AF stay.
// AN counts only patients whose assay covered the position: whole genomes, the targets BED an
// exome was sequenced on, the reference blocks of a gVCF.
import type { CoverageMethod } from '../ports.ts';
import { measure, releaseDigest } from '../disclosure/seeded-noise.ts';
import { ALLELE_COUNT_NOISE_SCALE, ANSWER_COST, COUNT_NOISE_SCALE } from '../disclosure/settings.ts';
import type { AlleleCarriers, CohortRun } from '../cohort/run-cohort.ts';
import type { AnswerContext, DisclosureResult } from './disclosure-result.ts';

export interface AggregateRow {
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
  alleleCount: number;
  alleleNumber: number;
  alleleFrequency: number;
  /** null when showing it would let a reader derive a small number of homozygous or heterozygous carriers */
  carriers: number | null;
}

export interface AggregateBody {
  variants: AggregateRow[];
  alleleNumber: { counts: string; coverage: CoverageMethod[]; ploidy: string };
  withheld: string;
}

const AN_RULE = 'patients whose assay covered the position (a carrier always counts)';
const PLOIDY = 'two alleles per patient; on chrX one per male, on chrY one per male and none per female, on chrM one';

/** Alleles one patient contributes to AN at a position of `chrom`. */
function ploidy(chrom: string, sex: string | undefined): number {
  if (chrom === 'chrM') return 1;
  if (chrom === 'chrY') return sex === 'male' ? 1 : 0;
  if (chrom === 'chrX') return sex === 'male' ? 1 : 2;
  return 2;
}

interface ShownRow {
  row: AggregateRow;
  statistics: string[];
}

function shownRow(run: CohortRun, allele: AlleleCarriers, ctx: AnswerContext): ShownRow | null {
  const k = ctx.threshold;
  const chrom = run.chrom ?? '';
  const carriers = [...allele.carriers.keys()];
  const uncovered = run.notCovering.get(allele.pos);
  const covering = run.base.filter((id) => !uncovered?.has(id) || allele.carriers.has(id));
  const sexOf = (id: string) => run.demographics.get(id)?.sex;
  const an = covering.reduce((n, id) => n + ploidy(chrom, sexOf(id)), 0);
  const ac = [...allele.carriers.values()].reduce((n, c) => n + c.copies, 0);
  // true cells: the allele must be neither rare nor nearly universal in the covering cohort
  if (carriers.length < k || covering.length - carriers.length < k || an - ac < k) return null;

  const mCarriers = measure(ctx.noiseKey, 'count', carriers, COUNT_NOISE_SCALE);
  const mCovering = measure(ctx.noiseKey, 'count', covering, COUNT_NOISE_SCALE);
  const mAc = measure(ctx.noiseKey, `ac:${chrom}:${allele.pos}:${allele.ref}:${allele.alt}`, [...allele.carriers].map(([id, c]) => `${id}:${c.copies}`), ALLELE_COUNT_NOISE_SCALE);
  const shownCarriers = carriers.length + mCarriers.noise;
  const shownCovering = covering.length + mCovering.noise;
  const shownAn = an + 2 * mCovering.noise;
  const shownAc = ac + mAc.noise;
  // shown cells, and the cells derivable from them
  if (shownCarriers < k || shownAc < k || shownAn - shownAc < k) return null;
  const carriersDerive = [shownAc - shownCarriers, 2 * shownCarriers - shownAc, shownCovering - shownCarriers, shownAn / 2 - shownCarriers];
  const withholdCarriers = carriersDerive.some((cell) => cell < k);
  return {
    row: {
      chrom, pos: allele.pos, ref: allele.ref, alt: allele.alt,
      alleleCount: shownAc, alleleNumber: shownAn, alleleFrequency: Number((shownAc / shownAn).toPrecision(4)),
      carriers: withholdCarriers ? null : shownCarriers,
    },
    statistics: [mCarriers.digest, mCovering.digest, mAc.digest],
  };
}

export function aggregateAnswer(run: CohortRun, locusLabel: string, ctx: AnswerContext): DisclosureResult<AggregateBody> {
  const rows = run.alleles.map((a) => shownRow(run, a, ctx)).filter((r): r is ShownRow => r !== null);
  const answerDigest = releaseDigest(ctx.noiseKey, `aggregate:${locusLabel}`, run.base);
  const freshRows = rows.filter((r) => r.statistics.some((s) => !ctx.released.has(s))).length;
  const fresh = freshRows > 0 || !ctx.released.has(answerDigest);
  const cost = fresh ? Math.min(ANSWER_COST.aggregateMaximum, Math.max(ANSWER_COST.aggregateMinimum, freshRows * ANSWER_COST.aggregateRow)) : 0;
  return {
    kind: 'aggregate',
    body: {
      variants: rows.map((r) => r.row),
      alleleNumber: { counts: AN_RULE, coverage: run.coverageMethods, ploidy: PLOIDY },
      withheld: `alleles carried by fewer than ${ctx.threshold} patients, or lacked by fewer than ${ctx.threshold}, are not listed; a carrier count is withheld where it would reveal fewer than ${ctx.threshold} homozygous or heterozygous carriers`,
    },
    trueSize: run.base.length,
    cohort: run.base,
    statistics: [answerDigest, ...rows.flatMap((r) => r.statistics)],
    cost,
  };
}
