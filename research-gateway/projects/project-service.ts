// Projects as researchers and the ethics board use them: a researcher proposes (and becomes a
// member), the board approves, rejects, suspends or reinstates with a reason, or includes and
// excludes groups of review consents for an approved project, members and the
// board read the project, the board reads its report. Every step is decided by the vault's
// authorize() and audited; a project is invisible (404) to anyone neither a member nor on the board.
import { CONSENT_VOCABULARIES } from '../cohort/consent-decisions.ts';
import { randomBytes } from 'node:crypto';
import type { ConsentScope, ResearchPurpose } from '../../schemas/duo.ts';
import type { ProjectDecision, ProjectProposal } from '../../schemas/research.ts';
import { callerFields, type ResearchCaller, type ResearchGatewayDeps } from '../ports.ts';
import { dayOf } from '../clock.ts';
import { ResearchError } from '../research-error.ts';
import { decideConsents, includedGroups, reviewGroupOf, reviewGroupSummaries } from '../cohort/consent-decisions.ts';
import type { ProjectBook } from './project-book.ts';
import { checkPurposeDiseases, purposeOf } from './project-purpose.ts';
import { decisionRefusal, statusOf, type ProjectState } from './project-state.ts';
import { projectReport, projectView, type ProjectReport, type ProjectView } from './project-views.ts';

/**
 * What the vault's access policy learns of a member's project: its purpose, and whether the board
 * included a consent scope that DUO matching sends to review. The same two things decide who takes
 * part in the project's cohorts, so the policy and the cohort agree patient by patient.
 */
export interface MemberProjectPurpose {
  purpose: ResearchPurpose;
  includesReview(scope: ConsentScope): boolean;
}

export const isBoard = (caller: ResearchCaller) => caller.roles.includes('ethics_board');

export class ProjectService {
  constructor(
    private readonly deps: ResearchGatewayDeps,
    private readonly book: ProjectBook,
  ) {}

  private today(): string {
    return dayOf(this.deps.now());
  }

  private async require(caller: ResearchCaller, intent: Parameters<ResearchGatewayDeps['authorize']>[1]): Promise<void> {
    if (!(await this.deps.authorize(caller, intent))) throw new ResearchError('forbidden', 'the access policy does not permit this');
  }

  private async audited<T>(caller: ResearchCaller, action: string, projectId: string | null, work: () => Promise<T>): Promise<T> {
    const entry = { ...callerFields(caller), action, resource: 'research_project' as const, projectId };
    try {
      const result = await work();
      await this.deps.audit({ ...entry, decision: 'success', outcome: 'done' });
      return result;
    } catch (err) {
      if (err instanceof ResearchError && err.code !== 'forbidden') await this.deps.audit({ ...entry, decision: 'failure', outcome: err.code });
      throw err;
    }
  }

  async propose(caller: ResearchCaller, proposal: ProjectProposal): Promise<ProjectView> {
    await this.require(caller, { resource: 'research_project', action: 'create', purpose: 'research' });
    const projectId = `rp_${randomBytes(8).toString('hex')}`;
    return this.audited(caller, 'research.project.propose', projectId, async () => {
      const members = [...new Set([caller.accountId, ...proposal.members])];
      if (!members.every((id) => this.deps.isResearcher(id))) throw new ResearchError('invalid_request', 'members: every member must be an enabled researcher account', { field: 'members' });
      checkPurposeDiseases(proposal, (id) => this.deps.knowsDisease(id));
      const stored = { ...proposal, members };
      purposeOf(projectId, stored);
      await this.book.append({ type: 'project.proposed', projectId, by: caller.accountId, at: new Date(this.deps.now()).toISOString(), proposal: stored });
      return projectView(this.book.get(projectId)!, this.today());
    });
  }

  async decide(caller: ResearchCaller, projectId: string, decision: ProjectDecision): Promise<ProjectView> {
    await this.require(caller, { resource: 'research_project', action: 'update', purpose: 'operations' });
    return this.audited(caller, `research.project.${decision.decision}`, projectId, async () => {
      const state = this.book.get(projectId);
      if (!state) throw new ResearchError('not_found', 'no such project');
      if (state.proposal.members.includes(caller.accountId)) throw new ResearchError('conflict_of_interest', 'a member of the project cannot decide on it');
      const today = this.today();
      const refusal = decisionRefusal(state, decision.decision, today);
      if (refusal) throw new ResearchError('decision_not_allowed', refusal);
      const end = decision.end ?? state.approval?.end ?? state.proposal.end;
      if (decision.decision === 'approve' && (end < today || end < state.proposal.start)) {
        throw new ResearchError('decision_not_allowed', 'an approval must end today or later, and not before the project starts: give a later end to renew it', { field: 'end' });
      }
      await this.book.append({
        type: 'project.decided', projectId, by: caller.accountId, at: new Date(this.deps.now()).toISOString(), decision: decision.decision, reason: decision.reason, vocabularies: { ...CONSENT_VOCABULARIES },
        ...(decision.reviewGroups !== undefined && { reviewGroups: decision.reviewGroups }),
        ...(decision.budget !== undefined && { budget: decision.budget }),
        ...(decision.decision === 'approve' && { end }),
      });
      return this.view(this.book.get(projectId)!, true);
    });
  }

  /** The project's purpose when the account is a member and it is approved, current and unsuspended; otherwise null. */
  memberPurpose(accountId: string, projectId: string): MemberProjectPurpose | null {
    const state = this.book.get(projectId);
    if (!state?.approval || !state.proposal.members.includes(accountId) || statusOf(state, this.today()) !== 'approved') return null;
    const included = new Set(includedGroups(state.approval.reviewGroups));
    const key = this.deps.keys.noise;
    return { purpose: purposeOf(projectId, state.proposal), includesReview: (scope) => included.has(reviewGroupOf(key, scope)) };
  }

  /** A project the caller may see: a member's, or any for the board; otherwise not found. */
  async visible(caller: ResearchCaller, projectId: string): Promise<ProjectView> {
    const board = isBoard(caller);
    await this.require(caller, { resource: 'research_project', action: 'read', purpose: board ? 'operations' : 'research' });
    const state = this.book.get(projectId);
    if (!state || (!board && !state.proposal.members.includes(caller.accountId))) throw new ResearchError('not_found', 'no such project');
    return this.view(state, board);
  }

  async list(caller: ResearchCaller): Promise<ProjectView[]> {
    const board = isBoard(caller);
    await this.require(caller, { resource: 'research_project', action: 'read', purpose: board ? 'operations' : 'research' });
    const today = this.today();
    return this.book.all().filter((s) => board || s.proposal.members.includes(caller.accountId)).map((s) => projectView(s, today));
  }

  async report(caller: ResearchCaller, projectId: string): Promise<ProjectReport> {
    if (!isBoard(caller)) throw new ResearchError('forbidden', 'project reports are for the ethics board');
    await this.require(caller, { resource: 'research_project', action: 'read', purpose: 'operations' });
    const state = this.book.get(projectId);
    if (!state) throw new ResearchError('not_found', 'no such project');
    return projectReport(state, this.today());
  }

  /** The board's view carries the review groups as DUO matching finds them today. */
  private view(state: ProjectState, board: boolean): ProjectView {
    const today = this.today();
    if (!board) return projectView(state, today);
    const decisions = decideConsents(purposeOf(state.projectId, state.proposal), this.deps.consents.currentResearchConsents(), today, this.deps.keys.noise);
    return projectView(state, today, reviewGroupSummaries(decisions, state.approval?.reviewGroups ?? {}));
  }
}
