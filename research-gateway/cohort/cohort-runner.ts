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

export interface CohortSpec {
  locus?: CohortLocus | undefined;
  assembly?: string | undefined;
  filters: Omit<CohortFilters, 'includedReviewGroups'>;
  /**
   * what the answer needs: each carrier's calls with their zygosity (records), only who carries
   * each allele (count, Beacon), or also who did not cover it (aggregate)
   */
  needs: 'calls' | 'carriers' | 'coverage';
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

export async function runProjectCohort(deps: CohortRunDeps, project: Pick<ProjectState, 'projectId' | 'proposal' | 'approval'>, spec: CohortSpec): Promise<CohortRun> {
  const now = deps.now();
  const decisions = decideConsents(purposeOf(project.projectId, project.proposal), deps.consents.currentResearchConsents(), dayOf(now), deps.keys.noise);
  const included = includedGroups(project.approval?.reviewGroups ?? {});
  const patients = takingPart(decisions, included);
  const assembly = chooseAssembly(deps, spec.assembly, patients);
  const otherBuildsLeftOut = deps.cohortData.buildsOf(patients).some((b) => (deps.cohortData.canonicalBuild(b) ?? b) !== assembly);
  const indexed = spec.locus !== undefined && indexAnswers(deps.cohortIndex, assembly);
  // on the index path the source reads no calls: the samples alone, to pick the cohort
  const calls = await deps.cohortData.calls({ assembly, patientIds: patients, ...(spec.locus && !indexed && { locus: spec.locus }) });
  const demographics = deps.demographics.demographics(new Set(calls.samples.map((s) => s.patientId)));
  const filters = { ...spec.filters, includedReviewGroups: included };
  const run = await runCohort(deps.sql, { decisions, otherBuildsLeftOut, takingPart: patients, filters, calls, demographics, thisYear: yearOf(now) });
  if (!indexed) return run;
  if (spec.needs === 'calls') return indexedRecordsRun(deps.cohortIndex!, run, calls.samples, spec.locus!, filters);
  return indexedRun(deps.cohortIndex!, run, calls.samples, spec.locus!, filters, spec.needs === 'coverage');
}
