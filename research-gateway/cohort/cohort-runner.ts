// One cohort question for one project, from consent to patient sets: each patient's current
// research consent is matched against the project's purpose now; only the patients taking part
// (permit, or review in a group the board included) have their samples read, in one build; then
// the compiled SQL, whose own consent filter reads every patient's decision, picks the rows.
// When the vault's cohort index holds every sample of the build, the SQL runs over the samples
// alone and the index answers for the locus; otherwise every taking-part sample's calls are read.
import type { ProjectState } from '../projects/project-state.ts';
import { purposeOf } from '../projects/project-purpose.ts';
import type { CohortLocus, ResearchGatewayDeps } from '../ports.ts';
import { ResearchError } from '../research-error.ts';
import { dayOf, yearOf } from '../clock.ts';
import { decideConsents, includedGroups, type ConsentDecision } from './consent-decisions.ts';
import type { CohortFilters } from './compile-query.ts';
import { runCohort, type CohortRun } from './run-cohort.ts';
import { indexAnswers, indexedRecordsRun, indexedRun } from './indexed-cohort.ts';
import { versionsOf, type CohortCache, type SourceVersions } from './cohort-cache.ts';

export interface CohortSpec {
  locus?: CohortLocus | undefined;
  assembly?: string | undefined;
  filters: Omit<CohortFilters, 'includedReviewGroups'>;
  /**
   * what the answer needs: each carrier's calls with their zygosity (records), who carries each
   * allele (Beacon), also who did not cover it (aggregate), or only who carries any (count)
   */
  needs: 'calls' | 'carriers' | 'coverage' | 'patients';
}

/** The build of the query: the one asked for, or the only one the taking-part samples are on. */
function chooseAssembly(deps: CohortRunDeps, asked: string | undefined, patients: ReadonlySet<string>): string {
  if (asked !== undefined) {
    const build = deps.cohortData.canonicalBuild(asked);
    if (!build) throw new ResearchError('invalid_request', 'assembly: not a reference build the vault knows (GRCh37, GRCh38, or hg19, hg38...)', { field: 'assembly' });
    return build;
  }
  const builds = [...new Set(deps.cohortData.buildsOf(patients).map((b) => deps.cohortData.canonicalBuild(b) ?? b))].sort();
  if (builds.length > 1) throw new ResearchError('assembly_required', `assembly: the consented samples are on several builds (${builds.join(', ')}); say which to query`, { field: 'assembly' });
  return builds[0] ?? 'GRCh38';
}

export function takingPart(decisions: readonly ConsentDecision[], included: readonly string[]): Set<string> {
  const groups = new Set(included);
  return new Set(decisions.filter((d) => d.outcome === 'permit' || (d.outcome === 'review' && d.reviewGroup !== null && groups.has(d.reviewGroup))).map((d) => d.patientId));
}

/** What a cohort run reads of the gateway's dependencies. */
export type CohortRunDeps = Pick<ResearchGatewayDeps, 'cohortData' | 'cohortIndex' | 'consents' | 'demographics' | 'sql' | 'keys' | 'now'>;

/** Who takes part in a project today, and in which build its question is read. */
interface Participation {
  decisions: ConsentDecision[];
  included: string[];
  patients: Set<string>;
  assembly: string;
  otherBuildsLeftOut: boolean;
}

function participation(deps: CohortRunDeps, project: Pick<ProjectState, 'projectId' | 'proposal' | 'approval'>, asked: string | undefined, day: string): Participation {
  const decisions = decideConsents(purposeOf(project.projectId, project.proposal), deps.consents.currentResearchConsents(), day, deps.keys.noise);
  const included = includedGroups(project.approval?.reviewGroups ?? {});
  const patients = takingPart(decisions, included);
  const assembly = chooseAssembly(deps, asked, patients);
  const otherBuildsLeftOut = deps.cohortData.buildsOf(patients).some((b) => (deps.cohortData.canonicalBuild(b) ?? b) !== assembly);
  return { decisions, included, patients, assembly, otherBuildsLeftOut };
}

/**
 * `cache`: reuses the consent decisions and, on the index path, the cohort over the samples while
 * the consents, the clinical record and the vault's samples are unchanged (each reports a version).
 */
export async function runProjectCohort(deps: CohortRunDeps, project: Pick<ProjectState, 'projectId' | 'proposal' | 'approval'>, spec: CohortSpec, cache?: CohortCache): Promise<CohortRun> {
  const now = deps.now();
  const day = dayOf(now);
  const cached = <T>(key: unknown[], versions: SourceVersions, derive: () => Promise<T>, weigh: (value: T) => number): Promise<T> =>
    cache ? cache.get(JSON.stringify(key), versions, derive, weigh) : derive();
  // what the consent decisions rest on besides the sources: the purpose, the board's review groups, the day
  const projectKey = [project.projectId, project.proposal, project.approval?.at ?? null, includedGroups(project.approval?.reviewGroups ?? {}), day, spec.assembly ?? null];
  // the executor runs at once (no await between reading the versions and the sources); a throw rejects
  const taking = await cached(['participation', ...projectKey], versionsOf([deps.consents, deps.cohortData]), () => new Promise<Participation>((resolve) => resolve(participation(deps, project, spec.assembly, day))), (p) => p.decisions.length);
  const { decisions, included, patients, assembly, otherBuildsLeftOut } = taking;
  const indexed = spec.locus !== undefined && indexAnswers(deps.cohortIndex, assembly);
  const filters = { ...spec.filters, includedReviewGroups: included };
  const thisYear = yearOf(now);
  const overSamples = async (locus?: CohortLocus) => {
    const calls = await deps.cohortData.calls({ assembly, patientIds: patients, ...(locus && { locus }) });
    const demographics = deps.demographics.demographics(new Set(calls.samples.map((s) => s.patientId)));
    const run = await runCohort(deps.sql, { decisions, otherBuildsLeftOut, takingPart: patients, filters, calls, demographics, thisYear });
    return { run, samples: calls.samples };
  };
  if (!indexed) return (await overSamples(spec.locus)).run;
  // on the index path the source reads no calls: the samples alone pick the cohort, the index answers for the locus
  const { sex, age, conditions } = filters;
  // the cohort is tied to the very participation it was picked from (a consent committed between the two lookups gives a new one)
  const sources = versionsOf([deps.cohortData, deps.demographics]);
  const { run, samples } = await cached(['cohort', ...projectKey, sex ?? null, age ?? null, conditions ?? null, thisYear], sources && [taking, ...sources], () => overSamples(), (c) => c.samples.length + c.run.base.length);
  if (spec.needs === 'calls') return indexedRecordsRun(deps.cohortIndex!, run, samples, spec.locus!, filters);
  return indexedRun(deps.cohortIndex!, run, samples, spec.locus!, filters, spec.needs);
}
