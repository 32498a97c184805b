// GET or POST /v1/beacon/g_variants: the Beacon v2 genomic-variation query over the consented
// cohort of one of the caller's projects, at boolean or count granularity (a request for records
// is answered as counts, as Beacon allows). The same pipeline as cohort queries: the project's
// approval, the repeat lockout, differencing, the budget, the audit. Only alleles carried by at
// least the threshold of patients (true and noisy) exist for the beacon: a rarer allele gets
// exactly the answer an absent one gets, `exists` included.
import type { BeaconVariantParameters } from '../../schemas/beacon.ts';
import { chromosomeOfAccession } from '../../schemas/refseq-accessions.ts';
import { genomeBuildOf } from '../../schemas/genome-build.ts';
import type { CohortVariant } from '../../schemas/research.ts';
import type { ResearchCaller, ResearchGatewayDeps } from '../ports.ts';
import { ResearchError } from '../research-error.ts';
import { dayOf } from '../clock.ts';
import type { ProjectBook } from '../projects/project-book.ts';
import { statusOf } from '../projects/project-state.ts';
import type { QueryPipeline } from '../query-pipeline.ts';
import { runProjectCohort } from '../cohort/cohort-runner.ts';
import type { CohortRun } from '../cohort/run-cohort.ts';
import { specOf } from '../cohort-queries.ts';
import { canonicalJson } from '../answers/records-answer.ts';
import { carriersOf, distinctSets, statisticsCost, type AnswerContext, type DisclosureResult } from '../answers/disclosure-result.ts';
import { measure, releaseDigest } from '../disclosure/seeded-noise.ts';
import { COUNT_NOISE_SCALE, type DisclosureSettings } from '../disclosure/settings.ts';
import { beaconResponse, type BeaconSummary } from './beacon-documents.ts';
import type { CohortCache } from '../cohort/cohort-cache.ts';

export interface BeaconRequest {
  parameters: BeaconVariantParameters;
  requestedGranularity: 'boolean' | 'count' | 'record';
}

const unsupported = (message: string) => new ResearchError('unsupported_query', message);

/**
 * The chromosome a query names and the build it implies: a RefSeq accession names both
 * (NC_000017.11: chr17 of GRCh38), and must then agree with assemblyId.
 */
export function referenceOf(p: BeaconVariantParameters): { referenceName?: string; assembly?: string } {
  const assembly = p.assemblyId;
  if (p.referenceName === undefined || !/^NC_/i.test(p.referenceName)) return { ...(p.referenceName !== undefined && { referenceName: p.referenceName }), ...(assembly !== undefined && { assembly }) };
  const named = chromosomeOfAccession(p.referenceName);
  if (!named) throw unsupported('referenceName: not the RefSeq accession of a GRCh37 or GRCh38 chromosome');
  // an assemblyId no build answers to is refused as such further on
  const given = assembly === undefined ? null : genomeBuildOf(assembly);
  if (named.build !== null && given !== null && given !== named.build) throw unsupported(`referenceName: the accession is of ${named.build}, not of the assemblyId given`);
  // UCSC hg19's chrM is not the rCRS (NC_012920.1) but NC_001807.4
  if (named.chromosome === 'MT' && assembly?.trim().toLowerCase() === 'hg19') throw unsupported('referenceName: the accession of the rCRS, the mitochondrion of GRCh37 and GRCh38, is not hg19\'s chrM (another sequence)');
  const implied = assembly ?? named.build;
  return { referenceName: named.chromosome, ...(implied !== null && { assembly: implied }) };
}

/** Beacon's 0-based, half-open coordinates as a cohort query's variant (1-based, inclusive). */
export function variantOf(given: BeaconVariantParameters): CohortVariant {
  const p = { ...given, referenceName: referenceOf(given).referenceName };
  if (p.start && p.start.length > 1) throw unsupported('bracket queries (two start or end values) are not supported');
  if (p.end && p.end.length > 1) throw unsupported('bracket queries (two start or end values) are not supported');
  const start = p.start?.[0];
  const end = p.end?.[0];
  if (p.geneId !== undefined) {
    if (p.referenceName !== undefined || start !== undefined) throw unsupported('ask by geneId or by referenceName and start, not both');
    return { gene: p.geneId };
  }
  if (p.referenceName === undefined || start === undefined) throw unsupported('give geneId, or referenceName with start (and end, or referenceBases and alternateBases)');
  if (p.referenceBases !== undefined && p.alternateBases !== undefined && end === undefined) {
    return { chrom: p.referenceName, pos: start + 1, ref: p.referenceBases, alt: p.alternateBases };
  }
  if (end === undefined) throw unsupported('a query by start alone needs referenceBases and alternateBases');
  if (end <= start) throw unsupported('end must be greater than start (0-based, half-open)');
  if (p.referenceBases !== undefined || p.alternateBases !== undefined) throw unsupported('a range query (start and end) takes no bases; ask for one allele with start, referenceBases and alternateBases');
  return { region: `${p.referenceName}:${start + 1}-${end}` };
}

function withoutDatasets(parameters: BeaconVariantParameters): Omit<BeaconVariantParameters, 'datasetIds'> {
  const { datasetIds: _datasets, ...rest } = parameters;
  return rest;
}

/** `question`: what was asked (an answer finding nothing is charged once per question and cohort). */
export function beaconAnswer(run: CohortRun, granularity: 'boolean' | 'count', question: string, ctx: AnswerContext): DisclosureResult<BeaconSummary> {
  const k = ctx.threshold;
  const present = run.alleles
    .map((a) => ({ carriers: a.carriers, m: measure(ctx.noiseKey, 'count', a.carriers.keys(), COUNT_NOISE_SCALE) }))
    .filter(({ carriers, m }) => carriers.size >= k && carriers.size + m.noise >= k);
  const carriers = carriersOf(present);
  const exists = carriers.length > 0;
  // what the answer describes: each allele found present (its noisy carrier count decided it) and,
  // for a count, their carriers together. An answer finding nothing costs one statistic per question
  // and cohort, whatever the data: a charge that told "rare" from "absent" would be a leak itself.
  const perAllele = exists ? present.map(({ m }) => m.digest) : [releaseDigest(ctx.noiseKey, `beacon-absent:${question}`, run.base)];
  const alleleSets = distinctSets(present.map((a) => a.carriers.keys()));
  if (granularity === 'boolean') {
    return { kind: 'beacon_boolean', body: { exists }, trueSize: carriers.length, patientSets: alleleSets, statistics: perAllele, cost: statisticsCost(perAllele, ctx.released) };
  }
  const m = measure(ctx.noiseKey, 'count', carriers, COUNT_NOISE_SCALE);
  const statistics = exists ? [m.digest, ...perAllele] : perAllele;
  return {
    kind: 'beacon_count',
    body: { exists, numTotalResults: exists ? Math.max(k, carriers.length + m.noise) : 0, countPrecision: 'imprecise' },
    trueSize: carriers.length,
    patientSets: exists ? distinctSets([carriers, ...alleleSets]) : [],
    statistics,
    cost: statisticsCost(statistics, ctx.released),
  };
}

export class BeaconQueries {
  constructor(
    private readonly deps: ResearchGatewayDeps,
    private readonly book: ProjectBook,
    private readonly pipeline: QueryPipeline,
    private readonly settings: DisclosureSettings,
    private readonly cache: CohortCache,
  ) {}

  /** The dataset asked for, or the caller's one approved project when none is named. */
  private datasetOf(caller: ResearchCaller, datasetIds: readonly string[] | undefined): string {
    if (datasetIds && datasetIds.length > 1) throw unsupported('one dataset per query: name one project in datasetIds');
    if (datasetIds?.[0] !== undefined) return datasetIds[0];
    const today = dayOf(this.deps.now());
    const mine = this.book.all().filter((p) => p.proposal.members.includes(caller.accountId) && statusOf(p, today) === 'approved');
    if (mine.length === 0) throw new ResearchError('not_found', 'you belong to no approved project: no dataset to query');
    if (mine.length > 1) throw new ResearchError('dataset_required', 'you belong to several projects: name one in datasetIds');
    return mine[0]!.projectId;
  }

  async ask(caller: ResearchCaller, request: BeaconRequest) {
    const { parameters } = request;
    await this.pipeline.requireQueryPermit(caller);
    const projectId = this.datasetOf(caller, parameters.datasetIds);
    const variant = variantOf(parameters);
    const { assembly } = referenceOf(parameters);
    const granularity = request.requestedGranularity === 'boolean' ? 'boolean' : 'count';
    const query = { variant, ...(assembly !== undefined && { assembly }) };
    const ctx = await this.pipeline.queryable(caller, projectId, { kind: `beacon_${granularity}`, level: 'count', query, action: 'beacon.query' }, true);
    // each allele's carriers: one carried by fewer than the threshold answers as an absent one
    const spec = { ...specOf(query, 'count'), needs: 'carriers' as const };
    let build = '';
    const answered = await this.pipeline.answer(ctx, async (released) => {
      const run = await runProjectCohort(this.deps, ctx.project, spec, this.cache);
      build = run.build;
      return { ...beaconAnswer(run, granularity, canonicalJson(variant), { threshold: this.settings.threshold, noiseKey: this.deps.keys.noise, released }), universe: run.takingPart };
    });
    return beaconResponse({
      requestedGranularity: request.requestedGranularity,
      returnedGranularity: granularity,
      requestParameters: { g_variant: withoutDatasets(parameters), datasets: { datasetIds: [projectId] } },
      summary: answered.result.body,
      info: { datasetId: projectId, assemblyId: build, queryId: answered.queryId, threshold: this.settings.threshold, privacy: answered.privacy },
    });
  }
}
