// The cohort index in the vault's terms, for the research gateway (CohortIndexPort) and the
// operator's cohort answers: sample ids in and out, a build, a region, gene or allele as the
// target. Allowed samples are resolved to index numbers and split by coverage kind; samples of
// another build or unknown to the vault are left out and counted as such. An index that does not
// hold every sample of a build does not answer for it (see `builds()`; `genovault index rebuild`).
import { genomeBuildOf, type GenomeBuildName } from '../../../schemas/genome-build.ts';
import {
  COHORT_LISTED_REGION_MAX, cohortIndexRequestSchema, type CohortAggregateAnswer, type CohortCarriersAnswer, type CohortCountAnswer, type CohortIndexPort, type CohortIndexRequest, type CohortRecordsAnswer, type CohortScope, type CohortZygosity,
} from '../../../schemas/cohort-index.ts';
import { Zygosity, ZYGOSITY_NAMES, type ZygosityCode } from '../../ingest/call-columns.ts';
import type { CatalogData } from '../catalog.ts';
import { QueryInputError } from '../query-input-error.ts';
import { normaliseChrom, type Region } from '../region.ts';
import { resolveGene } from '../gene-query.ts';
import { checkContig } from '../query-contigs.ts';
import { checkSignificance } from '../significance-check.ts';
import { indexView } from './index-catalog.ts';
import { IndexChangedError, type AllowedSamples, type IndexEngine, type IndexVariantRow, type WindowQuery } from './index-engine.ts';
import { termsMask } from './significance-mask.ts';

const ZYGOSITY_CODES: Record<CohortZygosity, ZygosityCode> = { het: Zygosity.het, hom_alt: Zygosity.homAlt, hemizygous: Zygosity.hemizygous, missing: Zygosity.missing };

/** The allowed samples of one build as the engine takes them, and what the answer says of them. */
export interface IndexScope {
  build: GenomeBuildName;
  allowed: AllowedSamples;
  /** sample ids by number, for the samples in scope */
  idOf: Map<number, string>;
  /** by sample number, its first position in the request's sample ids (-1: not in scope) */
  positionOf: Int32Array;
  wholeGenome: number;
  kinds: CohortScope['coverage'];
  leftOut: CohortScope['samplesLeftOut'];
}

/** What a query needs of each sample, worked out once per catalog version (a query names thousands). */
interface SampleFacts {
  build: GenomeBuildName | null;
  /** index number; undefined when the index does not hold the sample */
  n: number | undefined;
  kind: keyof CohortScope['coverage'];
}

interface CatalogFacts {
  samples: Map<string, SampleFacts>;
  /** builds whose every sample is in the index */
  complete: Set<string>;
  /** builds any sample is on */
  present: Set<string>;
}

const factsOf = new WeakMap<CatalogData, CatalogFacts>();

function catalogFacts(data: CatalogData): CatalogFacts {
  let facts = factsOf.get(data);
  if (facts) return facts;
  const view = data.index ? indexView(data.index) : null;
  const samples = new Map<string, SampleFacts>();
  const complete = new Set<string>();
  const partial = new Set<string>();
  for (const s of data.samples) {
    const build = s.build === null ? null : genomeBuildOf(s.build);
    const n = view?.numberOf(s.sampleId);
    // as CoverageIndex reads it: no coverage partition means no evidence, a whole genome assumed
    const kind = s.coverage.source === 'assumed_wgs' || s.coverage.partitionId === null ? 'wholeGenome' : s.coverage.source === 'targets' ? 'targets' : 'gvcf';
    samples.set(s.sampleId, { build, n, kind });
    if (!build) continue;
    if (n === undefined) partial.add(build);
    else complete.add(build);
  }
  const present = new Set([...complete, ...partial]);
  for (const b of partial) complete.delete(b);
  facts = { samples, complete: view ? complete : new Set(), present };
  factsOf.set(data, facts);
  return facts;
}

export class CohortIndex implements CohortIndexPort {
  constructor(
    private readonly catalog: () => CatalogData,
    readonly engine: IndexEngine,
  ) {}

  /** Builds whose every sample is in the index. */
  builds(): string[] {
    return [...catalogFacts(this.catalog()).complete];
  }

  /** Whether the index answers for `build`: the vault keeps one, and it holds every sample of that build. */
  answersFor(build: string): boolean {
    const data = this.catalog();
    const facts = catalogFacts(data);
    return data.index !== undefined && (facts.complete.has(build) || !facts.present.has(build));
  }

  /** The samples of `build` among `sampleIds`, as index numbers; the others counted as left out. */
  scope(build: GenomeBuildName, sampleIds: readonly string[]): IndexScope {
    if (!this.answersFor(build)) throw new QueryInputError(`build: the cohort index does not hold every ${build} sample yet; run genovault index rebuild`, 'build');
    // a project asks many questions of one cohort: the last scope serves while the ids and the catalog are the same
    const data = this.catalog();
    const last = this.lastScope;
    if (last && last.data === data && last.scope.build === build && (last.ids === sampleIds || sameIds(last.ids, sampleIds))) return last.scope;
    const scope = this.scopeOf(build, sampleIds, catalogFacts(data).samples, data.index);
    // a frozen list cannot change, so the very list is kept and found again by identity
    this.lastScope = { data, ids: Object.isFrozen(sampleIds) ? sampleIds : [...sampleIds], scope };
    return scope;
  }

  private lastScope: { data: CatalogData; ids: readonly string[]; scope: IndexScope } | null = null;

  private scopeOf(build: GenomeBuildName, sampleIds: readonly string[], facts: Map<string, SampleFacts>, from: CatalogData['index']): IndexScope {
    const numbers: number[] = [];
    const idOf = new Map<number, string>();
    const positions: [number, number][] = [];
    const kinds = { wholeGenome: 0, targets: 0, gvcf: 0 };
    const leftOut = { otherBuild: 0, unknown: 0 };
    for (const [position, id] of sampleIds.entries()) {
      const f = facts.get(id);
      if (!f) leftOut.unknown++;
      else if (f.build !== build) leftOut.otherBuild++;
      else if (f.n === undefined) leftOut.unknown++;
      else if (!idOf.has(f.n)) {
        idOf.set(f.n, id);
        numbers.push(f.n);
        positions.push([f.n, position]);
        kinds[f.kind]++;
      }
    }
    const sorted = Int32Array.from(numbers).sort();
    const wholeGenome = new Uint8Array(sorted.length);
    sorted.forEach((n, i) => (wholeGenome[i] = facts.get(idOf.get(n)!)!.kind === 'wholeGenome' ? 1 : 0));
    const positionOf = new Int32Array(sorted.length > 0 ? sorted[sorted.length - 1]! + 1 : 0).fill(-1);
    for (const [n, position] of positions) positionOf[n] = position;
    return { build, kinds, leftOut, wholeGenome: kinds.wholeGenome, idOf, positionOf, allowed: { numbers: sorted, wholeGenome, from } };
  }

  /**
   * Runs `work` over the scope of these samples; again, with the scope read afresh, when the index
   * changed before the engine's turn came (sample numbers are the index's own: a rebuild renumbers them).
   */
  async withScope<T>(build: GenomeBuildName, sampleIds: readonly string[], work: (scope: IndexScope) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work(this.scope(build, sampleIds));
      } catch (err) {
        if (!(err instanceof IndexChangedError) || attempt >= 3) throw err;
      }
    }
  }

  // async: a request refused while it is read rejects, as the engine's refusals do
  async count(input: CohortIndexRequest): Promise<CohortCountAnswer> {
    const { request, query } = this.resolve(input);
    return await this.withScope(request.build, request.sampleIds, async (scope) => {
      const found = await this.engine.carriers(query, scope.allowed);
      return { ...answerScope(scope, query, found.coveringRegion.size), carrierSampleIds: idsOf(scope, found.carriers) };
    });
  }

  async carriers(input: CohortIndexRequest): Promise<CohortCarriersAnswer> {
    const { request, query } = this.resolve(input);
    return await this.withScope(request.build, request.sampleIds, async (scope) => {
      const carriers = await this.engine.carrierSamples(query, scope.allowed);
      // positions marked, then read in order: ascending without a sort
      const marked = new Uint8Array(request.sampleIds.length);
      for (let i = 0; i < carriers.length; i++) marked[positionIn(scope, carriers[i]!)] = 1;
      const carrierPositions = new Int32Array(carriers.length);
      let at = 0;
      for (let p = 0; p < marked.length; p++) if (marked[p] === 1) carrierPositions[at++] = p;
      if (at !== carriers.length) throw outsideScope();
      return { build: scope.build, region: { chrom: query.chrom, start: query.start, end: query.end }, carrierPositions };
    });
  }

  async aggregate(input: CohortIndexRequest): Promise<CohortAggregateAnswer> {
    const { request, query } = this.resolve(input, 'lists');
    return await this.withScope(request.build, request.sampleIds, async (scope) => {
      const found = await this.engine.aggregate(query, scope.allowed, { samples: true, notCovering: request.notCovering === true });
      return {
        ...answerScope(scope, query, found.coveringRegion.size),
        variants: sortVariants(found.variants).map((v) => {
          const covering = scope.wholeGenome + v.coveringProfiled;
          return {
            chrom: query.chrom, pos: v.pos, ref: v.ref, alt: v.alt, alleleCount: v.alleleCount, samplesCovering: covering, alleleNumber: 2 * covering,
            carriers: v.carriers, carrierPositions: positionsOf(scope, v.samples ?? []), homAltPositions: positionsOf(scope, v.homAltSamples ?? []),
            zygosity: { het: v.het, homAlt: v.homAlt, hemizygous: v.hemizygous, missing: v.missing },
            ...(v.notCovering && { notCoveringPositions: positionsOf(scope, v.notCovering) }),
          };
        }),
      };
    });
  }

  async records(input: CohortIndexRequest): Promise<CohortRecordsAnswer> {
    const { request, query } = this.resolve(input, 'lists');
    return await this.withScope(request.build, request.sampleIds, async (scope) => {
      // who covered the region: the count statement says it in one pass over each window
      const [rows, found] = [await this.engine.records(query, scope.allowed), await this.engine.carriers(query, scope.allowed)];
      return {
        ...answerScope(scope, query, found.coveringRegion.size),
        records: rows.map((r) => ({
          chrom: query.chrom, pos: r.pos, ref: r.ref, alt: r.alt, sampleId: scope.idOf.get(r.sample)!, zygosity: ZYGOSITY_NAMES[r.zygosity as ZygosityCode] as CohortZygosity, genotype: r.genotype,
        })).sort((a, b) => a.pos - b.pos || compareText(a.ref, b.ref) || compareText(a.alt, b.alt) || compareText(a.sampleId, b.sampleId)),
      };
    });
  }

  /** Checks the request and turns it into the engine's terms; `lists`: the answer lists samples per allele, so a region is held to COHORT_LISTED_REGION_MAX. */
  private resolve(input: CohortIndexRequest, lists?: 'lists'): { request: CohortIndexRequest; query: WindowQuery } {
    const parsed = cohortIndexRequestSchema.safeParse(input);
    if (!parsed.success) throw new QueryInputError(`cohort query: ${parsed.error.issues[0]?.path.join('.') || 'request'} is not valid`);
    const request = parsed.data;
    const build = request.build;
    const region = targetRegion(request.target, build);
    if (lists && 'region' in request.target && region.end - region.start + 1 > COHORT_LISTED_REGION_MAX) {
      throw new QueryInputError(`region: at most ${COHORT_LISTED_REGION_MAX.toLocaleString('en-US')} bases when the answer lists samples (aggregate, records); ask by gene, or in parts`, 'region');
    }
    const query: WindowQuery = { build, ...region };
    if ('variant' in request.target) query.variant = { pos: request.target.variant.pos, ref: request.target.variant.ref.toUpperCase(), alt: request.target.variant.alt.toUpperCase() };
    if (request.zygosity) query.zygosity = [...new Set(request.zygosity.map((z) => ZYGOSITY_CODES[z]))];
    const terms = checkSignificance(request.significance);
    if (terms) query.significance = termsMask(terms);
    return { request, query };
  }
}

function targetRegion(target: CohortIndexRequest['target'], build: GenomeBuildName): Region {
  if ('gene' in target) {
    const span = resolveGene(target.gene, build).filter.span;
    if (!span) throw new QueryInputError(`gene: not in the ${build} gene table`, 'gene');
    return span;
  }
  if ('variant' in target) {
    const chrom = normaliseChrom(target.variant.chrom);
    checkContig('variant', chrom, target.variant.pos, build, []);
    return { chrom, start: target.variant.pos, end: target.variant.pos };
  }
  const { start, end } = target.region;
  const chrom = normaliseChrom(target.region.chrom);
  if (end < start) throw new QueryInputError('region: the end position is before the start position', 'region');
  checkContig('region', chrom, start, build, []);
  return { chrom, start, end };
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The index never names a sample outside the allowed ones: one it does is a fault, never a position. */
const outsideScope = () => new Error('cohort index: a sample outside the samples asked about');

/** The position in the request's sample ids of an allowed sample number. */
function positionIn(scope: IndexScope, n: number): number {
  const position = n >= 0 && n < scope.positionOf.length ? scope.positionOf[n]! : -1;
  if (position < 0) throw outsideScope();
  return position;
}

/** Sample numbers as positions in the request's sample ids: ascending, each once (the engine's lists may repeat a sample whose file repeats a call). */
function positionsOf(scope: IndexScope, numbers: readonly number[]): Int32Array {
  const positions = new Int32Array(numbers.length);
  for (let i = 0; i < numbers.length; i++) positions[i] = positionIn(scope, numbers[i]!);
  positions.sort();
  let kept = 0;
  for (let i = 0; i < positions.length; i++) if (i === 0 || positions[i] !== positions[i - 1]) positions[kept++] = positions[i]!;
  return positions.slice(0, kept);
}

/** Sample ids in the vault's order (index numbers ascending), each once: sorting thousands of ids as text cost more than the query. */
function idsOf(scope: IndexScope, numbers: Iterable<number>): string[] {
  const sorted = Int32Array.from(numbers).sort();
  const out: string[] = [];
  // each sample once (the engine's lists are not deduplicated: a file may repeat a call)
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) out.push(scope.idOf.get(sorted[i]!)!);
  return out;
}

function answerScope(scope: IndexScope, query: WindowQuery, coveringProfiled: number): CohortScope {
  return {
    build: scope.build, region: { chrom: query.chrom, start: query.start, end: query.end },
    samplesInScope: scope.allowed.numbers.length, samplesLeftOut: scope.leftOut,
    samplesCovering: scope.wholeGenome + coveringProfiled, coverage: scope.kinds,
  };
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Alleles in position order, then REF and ALT as text (the codes follow load order). */
export function sortVariants<T extends Pick<IndexVariantRow, 'pos' | 'ref' | 'alt'>>(variants: T[]): T[] {
  return variants.sort((x, y) => x.pos - y.pos || compareText(x.ref, y.ref) || compareText(x.alt, y.alt));
}
