// The steps every cohort and Beacon query goes through, in this order:
//   1. the project must exist and the caller be a member (else 404), and the policy must let the
//      caller query cohorts (authorize(), which audits its decision);
//   2. the project must be approved, current and unsuspended, and the level within its approval;
//   3. the repeat lockout;
//   4. the answer is built (consent decided now, the data read, the SQL run, the rules applied);
//   5. differencing against the patient sets of the project's earlier answers, then the privacy budget;
//   6. the query is recorded in the project log (true size, patient sets, statistics, epsilon) and audited;
//      a set or universe the project has not seen before is recorded once, and named by its number after.
// A refusal at steps 2-5 is recorded and audited with its code, then answered as problem+json.
import { randomBytes } from 'node:crypto';
import { RESEARCH_LEVELS, type ResearchLevel } from '../schemas/research.ts';
import { callerFields, type ResearchCaller, type ResearchGatewayDeps } from './ports.ts';
import { ResearchError, type ResearchErrorCode } from './research-error.ts';
import { dayOf, isoOf } from './clock.ts';
import type { ProjectBook } from './projects/project-book.ts';
import type { QueryKind } from './projects/project-events.ts';
import { statusOf, type ProjectState } from './projects/project-state.ts';
import { budgetOf, type ProjectView } from './projects/project-views.ts';
import { canonicalJson } from './answers/records-answer.ts';
import type { DisclosureResult } from './answers/disclosure-result.ts';
import { releaseDigest } from './disclosure/seeded-noise.ts';
import { differsByFew, lockoutForm, repeatLockout } from './disclosure/query-guard.ts';
import { ANSWER_COST, type DisclosureSettings } from './disclosure/settings.ts';
import { describedSet, type DescribedSet } from './projects/described-sets.ts';
import { idSlices, setEntries } from './projects/log-parts.ts';
import { CONSENT_VOCABULARIES } from './cohort/consent-decisions.ts';

export interface QueryContext {
  caller: ResearchCaller;
  project: ProjectState;
  kind: QueryKind;
  level: ResearchLevel;
  fingerprint: string;
  action: 'research.query' | 'beacon.query';
  queryId: string;
}

export interface Answered<B> {
  result: DisclosureResult<B>;
  queryId: string;
  privacy: { epsilonCharged: number; budget: NonNullable<ProjectView['budget']> };
}

const STATUS_REFUSALS: Partial<Record<ReturnType<typeof statusOf>, [ResearchErrorCode, string]>> = {
  proposed: ['project_pending', 'the project awaits the ethics board\u2019s decision'],
  rejected: ['project_rejected', 'the ethics board rejected the project'],
  suspended: ['project_suspended', 'the ethics board suspended the project'],
  expired: ['project_expired', 'the project\u2019s approval has ended; the ethics board may renew it'],
  not_started: ['project_not_started', 'the project\u2019s approval has not started yet'],
};

export class QueryPipeline {
  constructor(
    private readonly deps: ResearchGatewayDeps,
    private readonly book: ProjectBook,
    private readonly settings: DisclosureSettings,
  ) {}

  /** Steps 1 and 2: the project the caller may query at this level, or a refusal. */
  /** The policy's word on querying cohorts at all (audited by authorize()); refused before any project is looked at. */
  async requireQueryPermit(caller: ResearchCaller): Promise<void> {
    if (!(await this.deps.authorize(caller, { resource: 'cohort', action: 'read', purpose: 'research' }))) throw new ResearchError('forbidden', 'the access policy does not permit this');
  }

  /** `permitted`: the caller already passed requireQueryPermit for this request. */
  async queryable(caller: ResearchCaller, projectId: string, request: { kind: QueryKind; level: ResearchLevel; query: unknown; action: QueryContext['action'] }, permitted = false): Promise<QueryContext> {
    const project = this.book.get(projectId);
    const ctx: QueryContext = {
      caller, project: project!, kind: request.kind, level: request.level, action: request.action, queryId: `rq_${randomBytes(8).toString('hex')}`,
      fingerprint: releaseDigest(this.deps.keys.noise, `query:${canonicalJson({ kind: request.kind, level: request.level, query: lockoutForm(request.query) })}`, []),
    };
    // the policy first: a role that may not query cohorts learns nothing of which projects exist
    if (!permitted) await this.requireQueryPermit(caller);
    if (!project || !project.proposal.members.includes(caller.accountId)) {
      await this.audit(ctx, projectId, 'not_found');
      throw new ResearchError('not_found', 'no such project');
    }
    const refusal = STATUS_REFUSALS[statusOf(project, dayOf(this.deps.now()))];
    if (refusal) await this.refuse(ctx, refusal[0], refusal[1], null);
    if (RESEARCH_LEVELS.indexOf(request.level) > RESEARCH_LEVELS.indexOf(project.proposal.level)) {
      await this.refuse(ctx, 'level_not_approved', `the project is approved for ${project.proposal.level} answers`, null);
    }
    return ctx;
  }

  /** Steps 3 to 6. */
  async answer<B>(ctx: QueryContext, build: (released: ReadonlySet<string>) => Promise<DisclosureResult<B>>): Promise<Answered<B>> {
    const { project } = ctx;
    const retryAfter = repeatLockout(project, ctx.fingerprint, this.deps.now(), this.settings);
    if (retryAfter !== null) await this.refuse(ctx, 'repeat_lockout', `this query was asked ${this.settings.repeatLimit} times within ${this.settings.repeatWindowMs / 3_600_000} hours`, null, { retryAfterSeconds: retryAfter });
    // other processes' commits count in this answer, taken in only now that the query may be answered
    await this.deps.catchUp?.();
    let result: DisclosureResult<B>;
    try {
      result = await build(project.released);
    } catch (err) {
      if (err instanceof ResearchError) await this.audit(ctx, project.projectId, err.code);
      throw err;
    }
    const budget = project.approval!.budget;
    const remaining = budget - project.spent;
    const universe = result.universe ?? new Set<string>();
    const current = this.latestUniverseIfSame(project, universe);
    const described = result.patientSets.map((ids) => describedSet(ids));
    if (differsByFew(project, described, universe, current, this.settings.threshold)) {
      const charge = Math.min(ANSWER_COST.differencingRefusal, Math.max(0, remaining));
      await this.refuse(ctx, 'differencing_refused', `a set of patients this answer describes differs from one this project was already answered on by fewer than ${this.settings.threshold} patients`, result.trueSize, { epsilon: charge });
    }
    if (result.cost > remaining + 1e-9) {
      await this.refuse(ctx, 'budget_exhausted', 'the project\u2019s privacy budget does not cover this answer; the ethics board may approve a larger budget', result.trueSize);
    }
    const universeNumber = current ?? (await this.recordUniverse(project, universe));
    const sets = await this.recordSets(project, described);
    await this.book.append({
      type: 'query.recorded', projectId: project.projectId, queryId: ctx.queryId, by: ctx.caller.accountId, at: isoOf(this.deps.now()), kind: ctx.kind, level: ctx.level,
      fingerprint: ctx.fingerprint, outcome: 'answered', trueSize: result.trueSize, ...(sets.length > 0 && { sets }), statistics: result.statistics,
      universe: universeNumber, epsilon: result.cost, vocabularies: { ...CONSENT_VOCABULARIES },
    });
    await this.audit(ctx, project.projectId, 'answered', { true_cohort: result.trueSize, epsilon_milli: Math.round(result.cost * 1000) });
    return { result, queryId: ctx.queryId, privacy: { epsilonCharged: result.cost, budget: budgetOf(this.book.get(project.projectId)!)! } };
  }

  /** Per universe object (the gateway reuses one while no consent changes), the project's universe found equal to it. */
  private readonly sameUniverse = new WeakMap<ReadonlySet<string>, Map<string, number>>();

  /** The number of the project's latest universe when it holds exactly these patients, else null. */
  private latestUniverseIfSame(project: ProjectState, patients: ReadonlySet<string>): number | null {
    const latest = project.lastUniverse;
    const known = this.sameUniverse.get(patients)?.get(project.projectId);
    if (known !== undefined && known === latest) return latest;
    const last = project.universes.get(latest);
    if (!last || last.size !== patients.size || ![...patients].every((id) => last.has(id))) return null;
    let byProject = this.sameUniverse.get(patients);
    if (!byProject) this.sameUniverse.set(patients, (byProject = new Map<string, number>()));
    byProject.set(project.projectId, latest);
    return latest;
  }

  /** Records a new universe of the project holding these patients; its number. */
  private async recordUniverse(project: ProjectState, patients: ReadonlySet<string>): Promise<number> {
    const next = project.lastUniverse + 1;
    const slices = idSlices([...patients].sort());
    for (const [i, slice] of slices.entries()) {
      await this.book.append({ type: 'cohort.universe', projectId: project.projectId, universe: next, patients: slice, ...(i < slices.length - 1 && { more: true as const }) });
    }
    return next;
  }

  /** The numbers of these sets in the project, recording first (in one entry) those it has not described before. */
  private async recordSets(project: ProjectState, sets: readonly DescribedSet[]): Promise<number[]> {
    let next = project.lastSet + 1;
    const fresh = new Map<string, { set: number; patients: readonly string[] }>();
    const numbers = sets.map(({ ids, key }) => {
      const known = project.setNumbers.get(key) ?? fresh.get(key)?.set;
      if (known !== undefined) return known;
      fresh.set(key, { set: next, patients: ids });
      return next++;
    });
    for (const entry of setEntries([...fresh.values()])) await this.book.append({ type: 'cohort.sets', projectId: project.projectId, sets: entry });
    return numbers;
  }

  /** Records and audits a refusal, then throws it. */
  private async refuse(ctx: QueryContext, code: ResearchErrorCode, message: string, trueSize: number | null, extra: { epsilon?: number; retryAfterSeconds?: number } = {}): Promise<never> {
    const epsilon = extra.epsilon ?? 0;
    await this.book.append({
      type: 'query.recorded', projectId: ctx.project.projectId, queryId: ctx.queryId, by: ctx.caller.accountId, at: isoOf(this.deps.now()), kind: ctx.kind, level: ctx.level,
      fingerprint: ctx.fingerprint, outcome: code, trueSize, epsilon,
    });
    await this.audit(ctx, ctx.project.projectId, code, { ...(trueSize !== null && { true_cohort: trueSize }), epsilon_milli: Math.round(epsilon * 1000) });
    throw new ResearchError(code, message, extra.retryAfterSeconds !== undefined ? { retryAfterSeconds: extra.retryAfterSeconds } : {});
  }

  private async audit(ctx: QueryContext, projectId: string, outcome: string, counts?: Record<string, number>): Promise<void> {
    const answered = outcome === 'answered';
    await this.deps.audit({
      ...callerFields(ctx.caller), action: ctx.action, resource: 'cohort', projectId,
      decision: answered ? 'success' : 'failure', outcome, ...(counts && { counts }),
      // record-level answers and every protective refusal go to the ethics board's review
      flagged: (answered && ctx.level === 'records') || ['differencing_refused', 'budget_exhausted', 'repeat_lockout'].includes(outcome),
    });
  }
}
