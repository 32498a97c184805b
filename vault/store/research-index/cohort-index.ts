// The cohort index in the vault's terms, for the research gateway (CohortIndexPort) and the
// operator's cohort answers: sample ids in and out, a build, a region, gene or allele as the
// target. Allowed samples are resolved to index numbers and split by coverage kind; samples of
// another build or unknown to the vault are left out and counted as such. An index that does not
// hold every sample of a build does not answer for it (see `builds()`; `genovault index rebuild`).
import { genomeBuildOf, type GenomeBuildName } from '../../../schemas/genome-build.ts';
import {
  cohortIndexRequestSchema, type CohortAggregateAnswer, type CohortCountAnswer, type CohortIndexPort, type CohortIndexRequest, type CohortRecordsAnswer, type CohortScope, type CohortZygosity,
} from '../../../schemas/cohort-index.ts';
import { Zygosity, ZYGOSITY_NAMES, type ZygosityCode } from '../../ingest/call-columns.ts';
import type { CatalogData, CatalogSample } from '../catalog.ts';
import { QueryInputError } from '../query-input-error.ts';
import { normaliseChrom, type Region } from '../region.ts';
import { resolveGene } from '../gene-query.ts';
import { checkContig } from '../query-contigs.ts';
import { checkSignificance } from '../significance-check.ts';
import { indexView } from './index-catalog.ts';
import type { AllowedSamples, IndexEngine, IndexVariantRow, WindowQuery } from './index-engine.ts';
import { termsMask } from './significance-mask.ts';

const ZYGOSITY_CODES: Record<CohortZygosity, ZygosityCode> = { het: Zygosity.het, hom_alt: Zygosity.homAlt, hemizygous: Zygosity.hemizygous, missing: Zygosity.missing };

/** The allowed samples of one build as the engine takes them, and what the answer says of them. */
export interface IndexScope {
  build: GenomeBuildName;
  allowed: AllowedSamples;
  /** sample ids by number, for the samples in scope */
  idOf: Map<number, string>;
  wholeGenome: number;
  kinds: CohortScope['coverage'];
  leftOut: CohortScope['samplesLeftOut'];
}

const complete = new WeakMap<CatalogData, Set<string>>();

export class CohortIndex implements CohortIndexPort {
  constructor(
    private readonly catalog: () => CatalogData,
    readonly engine: IndexEngine,
  ) {}

  /** Builds whose every sample is in the index. */
  builds(): string[] {
    return [...this.completeBuilds()];
  }

  private completeBuilds(): Set<string> {
    const data = this.catalog();
    let builds = complete.get(data);
    if (!builds) {
      builds = new Set();
      const index = data.index;
      if (index) {
        const view = indexView(index);
        const partial = new Set<string>();
        for (const s of data.samples) {
          const build = s.build === null ? null : genomeBuildOf(s.build);
          if (!build) continue;
          if (view.numberOf(s.sampleId) === undefined) partial.add(build);
          else builds.add(build);
        }
        for (const b of partial) builds.delete(b);
      }
      complete.set(data, builds);
    }
    return builds;
  }

  /** Whether the index answers for these samples of `build` (all of that build's samples are in it). */
  answersFor(build: string): boolean {
    const data = this.catalog();
    return data.index !== undefined && (this.completeBuilds().has(build) || !data.samples.some((s) => s.build !== null && genomeBuildOf(s.build) === build));
  }

  /** The samples of `build` among `samples`, as index numbers; the others counted as left out. */
  scope(build: GenomeBuildName, samples: Iterable<CatalogSample | undefined>): IndexScope {
    const index = this.catalog().index;
    if (!index || !this.answersFor(build)) throw new QueryInputError(`build: the cohort index does not hold every ${build} sample yet; run genovault index rebuild`, 'build');
    const view = indexView(index);
    const picked: { n: number; id: string; wgs: number }[] = [];
    const kinds = { wholeGenome: 0, targets: 0, gvcf: 0 };
    const leftOut = { otherBuild: 0, unknown: 0 };
    const seen = new Set<string>();
    for (const s of samples) {
      if (!s) {
        leftOut.unknown++;
        continue;
      }
      if (seen.has(s.sampleId)) continue;
      seen.add(s.sampleId);
      const n = view.numberOf(s.sampleId);
      if (s.build === null || genomeBuildOf(s.build) !== build) leftOut.otherBuild++;
      else if (n === undefined) leftOut.unknown++;
      else {
        // as CoverageIndex reads it: no coverage partition means no evidence, a whole genome assumed
        const wgs = s.coverage.source === 'assumed_wgs' || s.coverage.partitionId === null ? 1 : 0;
        picked.push({ n, id: s.sampleId, wgs });
        if (wgs) kinds.wholeGenome++;
        else if (s.coverage.source === 'targets') kinds.targets++;
        else kinds.gvcf++;
      }
    }
    picked.sort((a, b) => a.n - b.n);
    return {
      build, kinds, leftOut, wholeGenome: kinds.wholeGenome, idOf: new Map(picked.map((p) => [p.n, p.id])),
      allowed: { numbers: Int32Array.from(picked, (p) => p.n), wholeGenome: Uint8Array.from(picked, (p) => p.wgs) },
    };
  }

  async count(request: CohortIndexRequest): Promise<CohortCountAnswer> {
    const { scope, query } = this.resolve(request);
    const found = await this.engine.aggregate(query, scope.allowed, { samples: true });
    const carriers = new Set(found.variants.flatMap((v) => v.samples ?? []));
    return { ...answerScope(scope, query, found.coveringRegion.size), carrierSampleIds: [...carriers].map((n) => scope.idOf.get(n)!).sort() };
  }

  async aggregate(request: CohortIndexRequest): Promise<CohortAggregateAnswer> {
    const { scope, query } = this.resolve(request);
    const found = await this.engine.aggregate(query, scope.allowed, { samples: true });
    return {
      ...answerScope(scope, query, found.coveringRegion.size),
      variants: sortVariants(found.variants).map((v) => {
        const covering = scope.wholeGenome + v.coveringProfiled;
        return {
          chrom: query.chrom, pos: v.pos, ref: v.ref, alt: v.alt, alleleCount: v.alleleCount, samplesCovering: covering, alleleNumber: 2 * covering,
          carriers: v.carriers, carrierSampleIds: (v.samples ?? []).map((n) => scope.idOf.get(n)!).sort(),
          zygosity: { het: v.het, homAlt: v.homAlt, hemizygous: v.hemizygous, missing: v.missing },
        };
      }),
    };
  }

  async records(request: CohortIndexRequest): Promise<CohortRecordsAnswer> {
    const { scope, query } = this.resolve(request);
    const [rows, found] = [await this.engine.records(query, scope.allowed), await this.engine.aggregate(query, scope.allowed)];
    return {
      ...answerScope(scope, query, found.coveringRegion.size),
      records: rows.map((r) => ({
        chrom: query.chrom, pos: r.pos, ref: r.ref, alt: r.alt, sampleId: scope.idOf.get(r.sample)!, zygosity: ZYGOSITY_NAMES[r.zygosity as ZygosityCode] as CohortZygosity, genotype: r.genotype,
      })).sort((a, b) => a.pos - b.pos || compareText(a.ref, b.ref) || compareText(a.alt, b.alt) || compareText(a.sampleId, b.sampleId)),
    };
  }

  /** Checks the request and turns it into the engine's terms. */
  private resolve(input: CohortIndexRequest): { scope: IndexScope; query: WindowQuery } {
    const parsed = cohortIndexRequestSchema.safeParse(input);
    if (!parsed.success) throw new QueryInputError(`cohort query: ${parsed.error.issues[0]?.path.join('.') || 'request'} is not valid`);
    const request = parsed.data;
    const build = request.build;
    const region = targetRegion(request.target, build);
    const catalog = this.catalog();
    const byId = new Map(catalog.samples.map((s) => [s.sampleId, s]));
    const scope = this.scope(build, request.sampleIds.map((id) => byId.get(id)));
    const query: WindowQuery = { build, ...region };
    if ('variant' in request.target) query.variant = { pos: request.target.variant.pos, ref: request.target.variant.ref.toUpperCase(), alt: request.target.variant.alt.toUpperCase() };
    if (request.zygosity) query.zygosity = [...new Set(request.zygosity.map((z) => ZYGOSITY_CODES[z]))];
    const terms = checkSignificance(request.significance);
    if (terms) query.significance = termsMask(terms);
    return { scope, query };
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
