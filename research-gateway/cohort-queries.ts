// POST /v1/projects/{id}/cohort-queries: a cohort query answered at the level asked (within the
// project's approval), as JSON or as an Arrow IPC stream. A record-level answer is also frozen as
// a release manifest (what, for which project, when, its hash), audited and listed for the board.
import { randomBytes } from 'node:crypto';
import type { CohortQuery } from '../schemas/research.ts';
import { callerFields, type CohortLocus, type ResearchCaller, type ResearchGatewayDeps } from './ports.ts';
import { isoOf, yearOf } from './clock.ts';
import type { ProjectBook } from './projects/project-book.ts';
import type { ReleaseManifest } from './projects/project-events.ts';
import type { QueryPipeline } from './query-pipeline.ts';
import { runProjectCohort, type CohortSpec } from './cohort/cohort-runner.ts';
import type { CohortRun } from './cohort/run-cohort.ts';
import { countAnswer, type CountBody } from './answers/count-answer.ts';
import { aggregateAnswer, type AggregateBody } from './answers/aggregate-answer.ts';
import { RECORD_COLUMNS, canonicalJson, recordsAnswer, recordsHash, type RecordsBody } from './answers/records-answer.ts';
import { aggregateTable, arrowStream, countTable, recordsTable } from './answers/arrow-answer.ts';
import type { DisclosureResult } from './answers/disclosure-result.ts';
import { mechanismOf, type DisclosureSettings } from './disclosure/settings.ts';
import type { CohortCache } from './cohort/cohort-cache.ts';

export type AnswerFormat = 'json' | 'arrow';

export interface CohortAnswer {
  /** the whole answer as JSON */
  json: Record<string, unknown>;
  /** the same answer as an Arrow IPC stream, when asked for */
  arrow?: Uint8Array;
}

function locusOf(variant: CohortQuery['variant']): CohortLocus | undefined {
  if (!variant) return undefined;
  if ('gene' in variant) return { kind: 'gene', symbol: variant.gene.toUpperCase() };
  if ('region' in variant) {
    const colon = variant.region.lastIndexOf(':');
    const [start, end] = variant.region.slice(colon + 1).split('-').map(Number) as [number, number];
    return { kind: 'region', chrom: variant.region.slice(0, colon), start, end };
  }
  return { kind: 'allele', chrom: variant.chrom, pos: variant.pos, ref: variant.ref.toUpperCase(), alt: variant.alt.toUpperCase() };
}

const NEEDS = { count: 'patients', aggregate: 'coverage', records: 'calls' } as const;

/** `level`: what the answer is built at (Beacon answers are counts). */
export function specOf(query: Omit<CohortQuery, 'level'>, level: CohortQuery['level']): CohortSpec {
  const locus = locusOf(query.variant);
  return {
    locus,
    needs: NEEDS[level],
    assembly: query.assembly,
    filters: {
      sex: query.sex, age: query.age, conditions: query.conditions, significance: query.significance, zygosity: query.zygosity,
      ...(locus?.kind === 'allele' && { allele: { pos: locus.pos, ref: locus.ref, alt: locus.alt } }),
    },
  };
}

function notesOf(run: CohortRun): { code: string; message: string }[] {
  return run.otherBuildsLeftOut ? [{ code: 'samples_on_other_build', message: `consented samples on another build were not read: a query reads one build (${run.build})` }] : [];
}

type Body = CountBody | AggregateBody | RecordsBody;

export class CohortQueries {
  constructor(
    private readonly deps: ResearchGatewayDeps,
    private readonly book: ProjectBook,
    private readonly pipeline: QueryPipeline,
    private readonly settings: DisclosureSettings,
    private readonly cache: CohortCache,
  ) {}

  async ask(caller: ResearchCaller, projectId: string, query: CohortQuery, format: AnswerFormat): Promise<CohortAnswer> {
    const ctx = await this.pipeline.queryable(caller, projectId, { kind: query.level, level: query.level, query, action: 'research.query' });
    const spec = specOf(query, query.level);
    let run: CohortRun | undefined;
    const answered = await this.pipeline.answer<Body>(ctx, async (released) => {
      run = await runProjectCohort(this.deps, ctx.project, spec, this.cache);
      return { ...this.build(run, query, projectId, released), universe: run.takingPart };
    });
    const { body } = answered.result;
    const release = 'records' in body && body.records.length > 0 ? await this.freeze(caller, projectId, answered.queryId, query, body) : undefined;
    const { threshold } = this.settings;
    const mechanism = mechanismOf(this.settings);
    const envelope = {
      queryId: answered.queryId, projectId, level: query.level, assembly: run!.build,
      precision: { threshold, belowThreshold: mechanism.belowThreshold, noise: mechanism.noise, countNoiseScale: mechanism.countNoiseScale, seed: mechanism.noiseSeed },
      notes: notesOf(run!), privacy: answered.privacy, ...(release && { release }),
    };
    const json = { ...envelope, ...body };
    if (format === 'json') return { json };
    return { json, arrow: arrowStream(tableOf(body), { ...json, ...tabularPartsRemoved(body) }) };
  }

  private build(run: CohortRun, query: CohortQuery, projectId: string, released: ReadonlySet<string>): DisclosureResult<Body> {
    const ctx = { threshold: this.settings.threshold, noiseKey: this.deps.keys.noise, released };
    const byVariant = query.variant !== undefined;
    switch (query.level) {
      case 'count':
        return countAnswer(run, byVariant, ctx);
      case 'aggregate':
        return aggregateAnswer(run, canonicalJson({ variant: query.variant, significance: query.significance }), ctx);
      case 'records':
        return recordsAnswer(run, byVariant, { ...ctx, projectId, pseudonymKey: this.deps.keys.pseudonyms, thisYear: yearOf(this.deps.now()) });
    }
  }

  private async freeze(caller: ResearchCaller, projectId: string, queryId: string, query: CohortQuery, body: RecordsBody): Promise<ReleaseManifest> {
    const manifest: ReleaseManifest = {
      releaseId: `rr_${randomBytes(8).toString('hex')}`, projectId, queryId, by: caller.accountId, at: isoOf(this.deps.now()),
      what: { query, records: body.records.length, columns: [...RECORD_COLUMNS] }, sha256: recordsHash(body.records),
    };
    await this.book.append({ type: 'release.frozen', manifest });
    await this.deps.audit({
      ...callerFields(caller), action: 'research.release', resource: 'cohort', projectId,
      decision: 'success', outcome: 'released', counts: { records: body.records.length }, flagged: true,
    });
    return manifest;
  }
}

function tableOf(body: Body) {
  if ('records' in body) return recordsTable(body.records);
  if ('variants' in body) return aggregateTable(body.variants);
  return countTable(body);
}

/** In the Arrow metadata the rows are the table itself. */
function tabularPartsRemoved(body: Body): Record<string, undefined> {
  if ('records' in body) return { records: undefined };
  if ('variants' in body) return { variants: undefined };
  return {};
}
