// The research gateway: the one object the vault composes. It opens the project log, and answers
// project, cohort and Beacon requests for a caller the vault has authenticated. Queries run one at
// a time: each reads and then extends its project's history (budget, earlier cohorts), and they
// share one in-memory DuckDB connection.
import type { CohortQuery, ProjectDecision, ProjectProposal } from '../schemas/research.ts';
import type { ResearchCaller, ResearchGatewayDeps } from './ports.ts';
import { ProjectBook } from './projects/project-book.ts';
import { ProjectService, type MemberProjectPurpose } from './projects/project-service.ts';
import type { ProjectReport, ProjectView } from './projects/project-views.ts';
import { QueryPipeline } from './query-pipeline.ts';
import { CohortCache } from './cohort/cohort-cache.ts';
import { CohortQueries, type AnswerFormat, type CohortAnswer } from './cohort-queries.ts';
import { BeaconQueries, type BeaconRequest } from './beacon/beacon-queries.ts';
import { beaconConfiguration, beaconEntryTypes, beaconFilteringTerms, beaconInfo, beaconMap, beaconServiceInfo } from './beacon/beacon-documents.ts';
import { mechanismOf, type DisclosureSettings } from './disclosure/settings.ts';

export class ResearchGateway {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly settings: DisclosureSettings,
    private readonly projectService: ProjectService,
    private readonly cohorts: CohortQueries,
    private readonly beacon: BeaconQueries,
  ) {}

  static async open(deps: ResearchGatewayDeps, settings: DisclosureSettings): Promise<ResearchGateway> {
    const book = await ProjectBook.open(deps.store, settings.defaultBudget);
    const pipeline = new QueryPipeline(deps, book, settings);
    // shared by cohort and Beacon queries: both ask of the same projects' cohorts
    const cache = new CohortCache();
    return new ResearchGateway(settings, new ProjectService(deps, book), new CohortQueries(deps, book, pipeline, settings, cache), new BeaconQueries(deps, book, pipeline, settings, cache));
  }

  /** One at a time, in arrival order; a failure does not stop the next. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  propose(caller: ResearchCaller, proposal: ProjectProposal): Promise<ProjectView> {
    return this.exclusive(() => this.projectService.propose(caller, proposal));
  }

  decide(caller: ResearchCaller, projectId: string, decision: ProjectDecision): Promise<ProjectView> {
    return this.exclusive(() => this.projectService.decide(caller, projectId, decision));
  }

  project(caller: ResearchCaller, projectId: string): Promise<ProjectView> {
    return this.projectService.visible(caller, projectId);
  }

  projects(caller: ResearchCaller): Promise<ProjectView[]> {
    return this.projectService.list(caller);
  }

  report(caller: ResearchCaller, projectId: string): Promise<ProjectReport> {
    return this.projectService.report(caller, projectId);
  }

  /**
   * For the vault's access policy (rule researcher-uses-consented-data): the project's purpose and
   * the review groups its board included, when the account is a member of it and it is approved,
   * current and unsuspended; otherwise null.
   */
  memberPurpose(accountId: string, projectId: string): MemberProjectPurpose | null {
    return this.projectService.memberPurpose(accountId, projectId);
  }

  cohortQuery(caller: ResearchCaller, projectId: string, query: CohortQuery, format: AnswerFormat): Promise<CohortAnswer> {
    return this.exclusive(() => this.cohorts.ask(caller, projectId, query, format));
  }

  beaconQuery(caller: ResearchCaller, request: BeaconRequest) {
    return this.exclusive(() => this.beacon.ask(caller, request));
  }

  beaconInfo() {
    return beaconInfo(mechanismOf(this.settings));
  }

  /** `apiRoot`: the absolute URL of the API (https://host:port/v1) */
  beaconMap(apiRoot: string) {
    return beaconMap(apiRoot);
  }

  beaconServiceInfo(apiRoot: string, organizationUrl?: string) {
    return beaconServiceInfo(mechanismOf(this.settings), apiRoot, organizationUrl);
  }

  beaconConfiguration() {
    return beaconConfiguration();
  }

  beaconEntryTypes() {
    return beaconEntryTypes();
  }

  beaconFilteringTerms() {
    return beaconFilteringTerms();
  }
}
