// Cohort answers (operator use; the research gateway adds consent): carriers of one allele, and
// allele counts over a region. Each is for one build, and counts only the samples of that build
// whose assay covered the position (a sample carrying the allele covered it); the answer says how
// many samples were left out, and why. Read from the research index when it holds every sample of
// the build (research-index/), else from the per-sample partitions: the same answers either way.
import { CHROMOSOME_LENGTHS } from '../../schemas/genome-build.ts';
import type { Carrier, QueryEngine, VariantKey } from './query-engine.ts';
import { parseRegion, type Region } from './region.ts';
import { chooseBuild, parseBuildParameter, type BuildChoice } from './query-build.ts';
import { checkContig } from './query-contigs.ts';
import type { CoverageIndex, SampleCoverage } from './coverage-index.ts';
import { note, samplesText, type QueryNote } from './query-notes.ts';
import type { CatalogSample } from './catalog.ts';
import type { PartitionRef } from './partition-ref.ts';
import type { Vault } from './vault.ts';
import { parseVariantKey } from './variant-key.ts';
import type { CohortIndex } from './research-index/cohort-index.ts';
import { sortVariants } from './research-index/cohort-index.ts';
import { zygosityName } from './variant-rows.ts';

export interface CohortOptions {
  /** GRCh37, GRCh38 (or hg19, hg38...); required when the vault's samples are on several builds */
  build?: string | undefined;
  /** only these samples (the research gateway's consented cohort); all when absent */
  sampleIds?: ReadonlySet<string> | undefined;
  /** read the per-sample partitions even when the research index could answer (tests compare the two) */
  perSample?: boolean | undefined;
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
  empty?: never;
}

export class CohortQueries {
  constructor(
    private readonly vault: Vault,
    private readonly engine: QueryEngine,
    private readonly coverage: CoverageIndex,
    private readonly index: CohortIndex | null = null,
  ) {}

  async carriers(variantText: string, options: CohortOptions): Promise<CarriersAnswer> {
    const key = parseVariantKey(variantText);
    const scope = this.scope(options, 'variant', key.chrom, key.pos);
    if (!scope.choice) return { ...scope.empty, carriers: [] };
    const { choice, refs } = scope;
    const { found, covering } = this.indexed(choice, options)
      ? await this.carriersFromIndex(choice, key)
      : await this.carriersFromSamples(choice, refs, key);
    const patientOf = new Map(choice.samples.map((s) => [s.sampleId, s.patientId]));
    const chrom = spelling(variantText);
    const { pos, ref, alt } = key;
    const { build } = choice;
    // properties written out: spreading `key` into each of hundreds of rows measured 40x slower
    const carriers = found.map((c) => ({ chrom, pos, ref, alt, sampleId: c.sampleId, patientId: patientOf.get(c.sampleId) ?? null, zygosity: c.zygosity, genotype: c.genotype, build }));
    return { ...answer(choice, covering, describe(key)), carriers };
  }

  private async carriersFromSamples(choice: BuildChoice, refs: PartitionRef[], key: VariantKey): Promise<{ found: Carrier[]; covering: number }> {
    const coverages = await this.coverages(choice);
    const found = await this.engine.carriersOfVariant(refs, key);
    const carrying = new Set(found.map((c) => c.sampleId));
    return { found, covering: choice.samples.filter((s, i) => carrying.has(s.sampleId) || coverages[i]!.covers(key.chrom, key.pos)).length };
  }

  private async carriersFromIndex(choice: BuildChoice, key: VariantKey): Promise<{ found: Carrier[]; covering: number }> {
    const index = this.index!;
    const query = { build: choice.build, chrom: key.chrom, start: key.pos, end: key.pos, variant: key };
    return index.withScope(choice.build, choice.samples.map((s) => s.sampleId), async (scope) => {
      const rows = await index.engine.records(query, scope.allowed);
      const { coveringRegion } = await index.engine.aggregate(query, scope.allowed);
      const found = rows.map((r) => ({ sampleId: scope.idOf.get(r.sample)!, zygosity: zygosityName(r.zygosity), genotype: r.genotype }));
      return { found: found.sort((a, b) => compareText(a.sampleId, b.sampleId)), covering: scope.wholeGenome + coveringRegion.size };
    });
  }

  async alleleCounts(regionText: string, options: CohortOptions): Promise<AlleleCountsAnswer> {
    const region = parseRegion(regionText);
    const scope = this.scope(options, 'region', region.chrom, region.start);
    if (!scope.choice) return { ...scope.empty, variants: [] };
    const { choice, refs } = scope;
    const end = Math.min(region.end, CHROMOSOME_LENGTHS[choice.build][region.chrom] ?? region.end);
    const counts = this.indexed(choice, options)
      ? await this.countsFromIndex(choice, region, end)
      : await this.countsFromSamples(choice, refs, region, end);
    const chrom = spelling(regionText);
    const { build } = choice;
    const variants = counts.variants.map((v) => ({ chrom, pos: v.pos, ref: v.ref, alt: v.alt, alleleCount: v.alleleCount, carriers: v.carriers, samplesCovering: v.samplesCovering, build }));
    return { ...answer(choice, counts.queried, `${region.chrom}:${region.start}-${Math.min(region.end, end)}`), variants };
  }

  private async countsFromSamples(choice: BuildChoice, refs: PartitionRef[], region: Region, end: number): Promise<RegionCounts> {
    const coverages = await this.coverages(choice);
    const allWhole = coverages.every((c) => c.wholeGenome);
    const counts = await this.engine.alleleCounts(refs, region, { carrierSamples: !allWhole });
    const shared = sharedCoverages(choice.samples, coverages);
    const queried = countCovering(shared, (c) => c.coveredBases(region.chrom, region.start, end) > 0, counts.variants.flatMap((v) => v.carrierSamples ?? []));
    return {
      queried,
      variants: counts.variants.map((v) => ({ ...v, samplesCovering: allWhole ? queried : countCovering(shared, (c) => c.covers(region.chrom, v.pos), v.carrierSamples ?? []) })),
    };
  }

  private async countsFromIndex(choice: BuildChoice, region: Region, end: number): Promise<RegionCounts> {
    const index = this.index!;
    return index.withScope(choice.build, choice.samples.map((s) => s.sampleId), async (scope) => {
      const found = await index.engine.aggregate({ build: choice.build, chrom: region.chrom, start: region.start, end }, scope.allowed);
      return {
        queried: scope.wholeGenome + found.coveringRegion.size,
        variants: sortVariants(found.variants).map((v) => ({ pos: v.pos, ref: v.ref, alt: v.alt, alleleCount: v.alleleCount, carriers: v.carriers, samplesCovering: scope.wholeGenome + v.coveringProfiled })),
      };
    });
  }

  /** Whether the research index answers this (it holds every sample of the build, and the caller did not ask for the per-sample path). */
  private indexed(choice: BuildChoice, options: CohortOptions): boolean {
    return !options.perSample && this.index !== null && this.index.answersFor(choice.build);
  }

  /** Each sample's coverage, in choice.samples order. */
  private coverages(choice: BuildChoice): Promise<SampleCoverage[]> {
    return Promise.all(choice.samples.map((s) => this.coverage.of(s)));
  }

  /**
   * The samples in scope, the build chosen for them and their partitions, once the contig and
   * position asked for are checked against that build; an empty answer when there are none.
   */
  private scope(options: CohortOptions, field: 'variant' | 'region', chrom: string, start: number): Scope | { choice?: never; empty: CohortAnswer } {
    const samples = this.vault.catalog.data.samples.filter((s) => !options.sampleIds || options.sampleIds.has(s.sampleId));
    if (samples.length === 0) {
      const build = options.build !== undefined ? parseBuildParameter(options.build) : null;
      return { empty: { build, samplesQueried: 0, samplesLeftOut: { otherBuild: 0, noRecordedBuild: 0, notCovering: 0 }, notes: [note('no_samples', 'no samples in scope: nothing was queried')] } };
    }
    const choice = chooseBuild(samples, options.build, 'vault');
    const refs = this.vault.catalog.callPartitions(new Set(choice.samples.map((s) => s.sampleId)));
    checkContig(field, chrom, start, choice.build, refs.map((r) => r.chrom));
    return { choice, refs };
  }
}

interface RegionCounts {
  queried: number;
  variants: { pos: number; ref: string; alt: string; alleleCount: number; carriers: number; samplesCovering: number }[];
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The samples grouped by their coverage (samples on one targets BED share one: CoverageIndex), and each sample's. */
interface SharedCoverages {
  groups: Map<SampleCoverage, number>;
  of: Map<string, SampleCoverage>;
}

function sharedCoverages(samples: readonly CatalogSample[], coverages: readonly SampleCoverage[]): SharedCoverages {
  const groups = new Map<SampleCoverage, number>();
  const of = new Map<string, SampleCoverage>();
  samples.forEach((s, i) => {
    const c = coverages[i]!;
    groups.set(c, (groups.get(c) ?? 0) + 1);
    of.set(s.sampleId, c);
  });
  return { groups, of };
}

/** Samples whose coverage passes `covered` (each distinct coverage tested once), and carriers whose coverage does not (a carrier covered it). */
function countCovering(shared: SharedCoverages, covered: (c: SampleCoverage) => boolean, carriers: readonly string[]): number {
  const passes = new Map<SampleCoverage, boolean>();
  let n = 0;
  for (const [c, samples] of shared.groups) {
    const yes = c.wholeGenome || covered(c);
    passes.set(c, yes);
    if (yes) n += samples;
  }
  for (const id of new Set(carriers)) {
    const c = shared.of.get(id);
    if (c && !passes.get(c)) n++;
  }
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
