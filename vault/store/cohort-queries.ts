// Cohort answers (operator use; the research gateway adds consent): carriers of one allele, and
// allele counts over a region. Each is for one build, and counts only the samples of that build
// whose assay covered the position (a sample carrying the allele covered it); the answer says how
// many samples were left out, and why.
import { CHROMOSOME_LENGTHS } from '../../schemas/genome-build.ts';
import type { QueryEngine, VariantKey } from './query-engine.ts';
import { parseRegion } from './region.ts';
import { chooseBuild, parseBuildParameter, type BuildChoice } from './query-build.ts';
import { checkContig } from './query-contigs.ts';
import type { CoverageIndex, SampleCoverage } from './coverage-index.ts';
import { note, samplesText, type QueryNote } from './query-notes.ts';
import type { CatalogSample } from './catalog.ts';
import type { PartitionRef } from './partition-ref.ts';
import type { Vault } from './vault.ts';
import { parseVariantKey } from './variant-key.ts';

export interface CohortOptions {
  /** GRCh37, GRCh38 (or hg19, hg38...); required when the vault's samples are on several builds */
  build?: string | undefined;
  /** only these samples (the research gateway's consented cohort); all when absent */
  sampleIds?: ReadonlySet<string> | undefined;
}

export interface SamplesLeftOut {
  otherBuild: number;
  noRecordedBuild: number;
  /** samples of the build whose assay did not cover the position (or any base of the region) */
  notCovering: number;
}

interface CohortAnswer {
  build: string | null;
  /** samples counted: of the build, covering the position or region */
  samplesQueried: number;
  samplesLeftOut: SamplesLeftOut;
  notes: QueryNote[];
}

export interface CarrierRow {
  /** as the query spelt it */
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
  sampleId: string;
  patientId: string | null;
  zygosity: string;
  genotype: string;
  build: string;
}

export interface CarriersAnswer extends CohortAnswer {
  carriers: CarrierRow[];
}

export interface AlleleCountRow {
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
  /** copies: hom_alt counts 2, het / hemizygous / beside-missing count 1 */
  alleleCount: number;
  carriers: number;
  /** samples of the build covering this position: the denominator of this allele's frequency */
  samplesCovering: number;
  build: string;
}

export interface AlleleCountsAnswer extends CohortAnswer {
  variants: AlleleCountRow[];
}

const spelling = (text: string): string => text.trim().split(/[:-]/)[0] ?? '';

interface Scope {
  choice: BuildChoice;
  refs: PartitionRef[];
  /** each sample's coverage, in choice.samples order */
  coverages: SampleCoverage[];
  empty?: never;
}

export class CohortQueries {
  constructor(
    private readonly vault: Vault,
    private readonly engine: QueryEngine,
    private readonly coverage: CoverageIndex,
  ) {}

  async carriers(variantText: string, options: CohortOptions): Promise<CarriersAnswer> {
    const key = parseVariantKey(variantText);
    const scope = await this.scope(options, 'variant', key.chrom, key.pos);
    if (!scope.choice) return { ...scope.empty, carriers: [] };
    const { choice, refs, coverages } = scope;
    const found = await this.engine.carriersOfVariant(refs, key);
    const carrying = new Set(found.map((c) => c.sampleId));
    const covering = choice.samples.filter((s, i) => carrying.has(s.sampleId) || coverages[i]!.covers(key.chrom, key.pos));
    const patientOf = new Map(choice.samples.map((s) => [s.sampleId, s.patientId]));
    const chrom = spelling(variantText);
    const { pos, ref, alt } = key;
    const { build } = choice;
    // properties written out: spreading `key` into each of hundreds of rows measured 40x slower
    const carriers = found.map((c) => ({ chrom, pos, ref, alt, sampleId: c.sampleId, patientId: patientOf.get(c.sampleId) ?? null, zygosity: c.zygosity, genotype: c.genotype, build }));
    return { ...answer(choice, covering.length, describe(key)), carriers };
  }

  async alleleCounts(regionText: string, options: CohortOptions): Promise<AlleleCountsAnswer> {
    const region = parseRegion(regionText);
    const scope = await this.scope(options, 'region', region.chrom, region.start);
    if (!scope.choice) return { ...scope.empty, variants: [] };
    const { choice, refs, coverages } = scope;
    const allWhole = coverages.every((c) => c.wholeGenome);
    const counts = await this.engine.alleleCounts(refs, region, { carrierSamples: !allWhole });
    const end = Math.min(region.end, CHROMOSOME_LENGTHS[choice.build][region.chrom] ?? region.end);
    const carriersAny = new Set(counts.variants.flatMap((v) => v.carrierSamples ?? []));
    const counted = choice.samples.map((s, i) => coverages[i]!.wholeGenome || carriersAny.has(s.sampleId) || coverages[i]!.coveredBases(region.chrom, region.start, end) > 0);
    const queried = counted.filter(Boolean).length;
    const chrom = spelling(regionText);
    const { build } = choice;
    const variants = counts.variants.map((v) => ({
      chrom, pos: v.pos, ref: v.ref, alt: v.alt, alleleCount: v.alleleCount, carriers: v.carriers,
      samplesCovering: allWhole ? queried : coveringAt(choice.samples, coverages, region.chrom, v.pos, v.carrierSamples ?? []), build,
    }));
    return { ...answer(choice, queried, `${region.chrom}:${region.start}-${Math.min(region.end, end)}`), variants };
  }

  /**
   * The samples in scope, the build chosen for them, their partitions and coverage, once the
   * contig and position asked for are checked against that build; an empty answer when there are none.
   */
  private async scope(options: CohortOptions, field: 'variant' | 'region', chrom: string, start: number): Promise<Scope | { choice?: never; empty: CohortAnswer }> {
    const samples = this.vault.catalog.data.samples.filter((s) => !options.sampleIds || options.sampleIds.has(s.sampleId));
    if (samples.length === 0) {
      const build = options.build !== undefined ? parseBuildParameter(options.build) : null;
      return { empty: { build, samplesQueried: 0, samplesLeftOut: { otherBuild: 0, noRecordedBuild: 0, notCovering: 0 }, notes: [note('no_samples', 'no samples in scope: nothing was queried')] } };
    }
    const choice = chooseBuild(samples, options.build, 'vault');
    const refs = this.vault.catalog.callPartitions(new Set(choice.samples.map((s) => s.sampleId)));
    checkContig(field, chrom, start, choice.build, refs.map((r) => r.chrom));
    return { choice, refs, coverages: await Promise.all(choice.samples.map((s) => this.coverage.of(s))) };
  }
}

function coveringAt(samples: readonly CatalogSample[], coverages: readonly SampleCoverage[], chrom: string, pos: number, carriers: readonly string[]): number {
  const carrying = new Set(carriers);
  let n = 0;
  samples.forEach((s, i) => {
    if (carrying.has(s.sampleId) || coverages[i]!.covers(chrom, pos)) n++;
  });
  return n;
}

function describe(key: VariantKey): string {
  return `${key.chrom}:${key.pos}`;
}

function answer(choice: BuildChoice, queried: number, where: string): CohortAnswer {
  const notCovering = choice.samples.length - queried;
  const notes = [...choice.notes];
  if (notCovering > 0) notes.push(note('samples_not_covering', `${samplesText(notCovering)} of ${choice.build} not counted: their assay (targets or gVCF blocks) did not cover ${where}`));
  return {
    build: choice.build, samplesQueried: queried,
    samplesLeftOut: { otherBuild: choice.otherBuild.length, noRecordedBuild: choice.unknownBuild.length, notCovering },
    notes,
  };
}
