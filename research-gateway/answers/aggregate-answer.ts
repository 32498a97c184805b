// The aggregate level: per allele, allele count (AC), allele number (AN), frequency (AF) and
// carriers. Every shown cell is noisy and at least the threshold, and so is every cell a reader
// could derive from the shown ones:
//   reference alleles AN - AC, non-carriers AN/2 - carriers, homozygous carriers AC - carriers,
//   heterozygous carriers 2 x carriers - AC.
// An allele whose carriers, non-carriers or reference alleles fall below the threshold is withheld
// whole (rare, or carried by nearly everyone): listing it, even as "<threshold", would say that
// someone in the cohort carries it. How many were withheld is not said either: that number counts
// rare variants of a few patients, and one patient can move it by several. Where only the
// homozygous or heterozygous carriers would be small, the carrier cell is withheld and AC, AN and AF
// stay. Every cell of a listed row carries its precision label.
// Cost: each listed row releases three noisy statistics (carriers, AC and, through AN, the patients
// covering the position), each charged unless the project already has it; none is capped.
// AN counts only patients whose assay covered the position: whole genomes, the targets BED an
// exome was sequenced on, the reference blocks of a gVCF.
import type { CoverageMethod } from '../ports.ts';
import { measure, releaseDigest } from '../disclosure/seeded-noise.ts';
import { idsOfOneLength, madeFromRanks } from '../projects/described-sets.ts';
import { ALLELE_COUNT_NOISE_SCALE, COUNT_NOISE_SCALE } from '../disclosure/settings.ts';
import type { AlleleCarriers, CohortRun } from '../cohort/run-cohort.ts';
import { distinctSets, statisticsCost, type AnswerContext, type DisclosureResult } from './disclosure-result.ts';

/** How a cell of a listed row was made: noisy, or withheld because a small cell could be derived from it. */
export type CellPrecision = 'imprecise' | 'withheld';

export interface AggregateRow {
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
  alleleCount: number;
  alleleCountPrecision: 'imprecise';
  alleleNumber: number;
  alleleNumberPrecision: 'imprecise';
  alleleFrequency: number;
  alleleFrequencyPrecision: 'imprecise';
  /** null when showing it would let a reader derive a small number of homozygous or heterozygous carriers */
  carriers: number | null;
  carriersPrecision: CellPrecision;
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
  /** the carriers and the patients covering the position: the sets the row describes */
  patientSets: (readonly string[])[];
}

/** What every row of one answer shares: the whole cohort's measurement and AN, for positions every patient covered. */
interface WholeCohort {
  an: number;
  measured?: ReturnType<typeof measure>;
}

/**
 * One pass over an allele's carriers: their ids, AC, and what AC's noise is seeded by (each id with
 * its copies). Where the carriers come with their ranks in the cohort, both sets are made from the
 * cohort's bytes (described-sets.ts), and no map by id is needed.
 */
function carrierMembers(run: CohortRun, allele: AlleleCarriers): { carriers: string[]; copiesOf: string[]; ac: number } {
  const carriers: string[] = [];
  const copiesOf: string[] = [];
  let ac = 0;
  const { ranks, copies } = allele;
  if (!ranks || !copies) {
    allele.carriers.forEach((c, id) => {
      carriers.push(id);
      copiesOf.push(`${id}:${c.copies}`);
      ac += c.copies;
    });
    return { carriers, copiesOf, ac };
  }
  let oneDigit = true;
  ranks.forEach((rank, i) => {
    const id = run.base[rank]!;
    carriers.push(id);
    copiesOf.push(`${id}:${copies[i]}`);
    ac += copies[i]!;
    if (copies[i]! > 9) oneDigit = false;
  });
  // in rank order, so sorted; with ids of one length, so are the `id:copies` texts
  madeFromRanks(carriers, run.base, ranks);
  if (oneDigit && idsOfOneLength(run.base)) madeFromRanks(copiesOf, run.base, ranks, copies);
  return { carriers, copiesOf, ac };
}

function shownRow(run: CohortRun, allele: AlleleCarriers, ctx: AnswerContext, whole: WholeCohort): ShownRow | null {
  const k = ctx.threshold;
  const chrom = run.chrom ?? '';
  // a rare allele is withheld whole: nothing of it is built
  if ((allele.ranks?.length ?? allele.carriers.size) < k) return null;
  const { carriers, copiesOf, ac } = carrierMembers(run, allele);
  const uncovered = run.notCovering.get(allele.pos);
  // where every patient covered the position (exomes on one BED, whole genomes) the covering set is the cohort itself
  const everyone = uncovered === undefined || uncovered.size === 0;
  const covering = everyone ? run.base : run.base.filter((id) => !uncovered.has(id) || allele.carriers.has(id));
  const sexOf = (id: string) => run.demographics.get(id)?.sex;
  const an = everyone ? whole.an : covering.reduce((n, id) => n + ploidy(chrom, sexOf(id)), 0);
  // true cells: the allele must be neither rare nor nearly universal in the covering cohort
  if (carriers.length < k || covering.length - carriers.length < k || an - ac < k) return null;

  const mCarriers = measure(ctx.noiseKey, 'count', carriers, COUNT_NOISE_SCALE);
  const mCovering = everyone ? (whole.measured ??= measure(ctx.noiseKey, 'count', covering, COUNT_NOISE_SCALE)) : measure(ctx.noiseKey, 'count', covering, COUNT_NOISE_SCALE);
  const mAc = measure(ctx.noiseKey, `ac:${chrom}:${allele.pos}:${allele.ref}:${allele.alt}`, copiesOf, ALLELE_COUNT_NOISE_SCALE);
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
      alleleCount: shownAc, alleleCountPrecision: 'imprecise', alleleNumber: shownAn, alleleNumberPrecision: 'imprecise',
      alleleFrequency: Number((shownAc / shownAn).toPrecision(4)), alleleFrequencyPrecision: 'imprecise',
      carriers: withholdCarriers ? null : shownCarriers, carriersPrecision: withholdCarriers ? 'withheld' : 'imprecise',
    },
    // the carrier cell, withheld or not, was decided by its noisy value: it is charged either way
    statistics: [mCarriers.digest, mCovering.digest, mAc.digest],
    patientSets: [carriers, covering],
  };
}

/** The whole cohort's AN on a chromosome, per cohort (base and demographics are reused while the cohort is): a lookup per patient. */
const wholeAn = new WeakMap<readonly string[], { demographics: CohortRun['demographics']; byChrom: Map<string, number> }>();

function wholeCohortAn(run: CohortRun): number {
  const chrom = run.chrom ?? '';
  let known = wholeAn.get(run.base);
  if (!known || known.demographics !== run.demographics) wholeAn.set(run.base, (known = { demographics: run.demographics, byChrom: new Map() }));
  let an = known.byChrom.get(chrom);
  if (an === undefined) known.byChrom.set(chrom, (an = run.base.reduce((n, id) => n + ploidy(chrom, run.demographics.get(id)?.sex), 0)));
  return an;
}

export function aggregateAnswer(run: CohortRun, locusLabel: string, ctx: AnswerContext): DisclosureResult<AggregateBody> {
  const whole: WholeCohort = { an: wholeCohortAn(run) };
  const rows = run.alleles.map((a) => shownRow(run, a, ctx, whole)).filter((r): r is ShownRow => r !== null);
  // an answer listing nothing still says so: one statistic, the same for the same cohort and locus
  const statistics = rows.length > 0 ? rows.flatMap((r) => r.statistics) : [releaseDigest(ctx.noiseKey, `aggregate:${locusLabel}`, run.base)];
  return {
    kind: 'aggregate',
    body: {
      variants: rows.map((r) => r.row),
      alleleNumber: { counts: AN_RULE, coverage: run.coverageMethods, ploidy: PLOIDY },
      withheld: `alleles carried by fewer than ${ctx.threshold} patients, or lacked by fewer than ${ctx.threshold}, are withheld whole and not counted (their number would itself describe a few patients); a carrier cell is withheld (null, carriersPrecision "withheld") where it would reveal fewer than ${ctx.threshold} homozygous or heterozygous carriers`,
    },
    trueSize: run.base.length,
    patientSets: distinctSets([run.base, ...rows.flatMap((r) => r.patientSets)]),
    statistics,
    cost: statisticsCost(statistics, ctx.released),
  };
}
