// A project's state, derived from its events: the proposal, the board's decisions, the approval in
// force (with its budget and review-group choices), the queries made and the releases frozen. The
// status is a function of the state and the day: an approval ends by itself at its end date.
import type { ProjectProposal } from '../../schemas/research.ts';
import type { ProjectDecided, ProjectEvent, QueryRecorded, ReleaseManifest } from './project-events.ts';
import { describedSet, type DescribedSet } from './described-sets.ts';

export type ProjectStatus = 'proposed' | 'rejected' | 'approved' | 'not_started' | 'suspended' | 'expired';

export interface Approval {
  at: string;
  by: string;
  reason: string;
  budget: number;
  reviewGroups: Readonly<Record<string, 'include' | 'exclude'>>;
  start: string;
  end: string;
}

export interface ProjectState {
  projectId: string;
  proposal: ProjectProposal;
  proposedBy: string;
  proposedAt: string;
  decisions: ProjectDecided[];
  /** the latest approval; null before the first or after a rejection */
  approval: Approval | null;
  suspended: boolean;
  rejected: boolean;
  queries: QueryRecorded[];
  releases: ReleaseManifest[];
  /** epsilon spent under the current approval */
  spent: number;
  /** every statistic this project has been given (keyed hashes) */
  released: Set<string>;
  /** the patients taking part, by universe number; the last one is the latest */
  universes: Map<number, ReadonlySet<string>>;
  /** the highest universe and set numbers recorded (0: none yet) */
  lastUniverse: number;
  lastSet: number;
  /** patients of a universe or set whose next part is still to come ('u1', 's7') */
  parts: Map<string, string[]>;
  /** the numbered sets of patients the project's answers described (CohortSets), and each one's number by its content key */
  sets: Map<number, DescribedSet>;
  setNumbers: Map<string, number>;
  /** the distinct sets answered queries described, by the universe they were answered in (null: older logs without one), by content key */
  described: Map<number | null, Map<string, DescribedSet>>;
}

export function statusOf(state: ProjectState, today: string): ProjectStatus {
  if (state.rejected) return 'rejected';
  const approval = state.approval;
  if (!approval) return 'proposed';
  if (state.suspended) return 'suspended';
  if (today < approval.start) return 'not_started';
  if (today > approval.end) return 'expired';
  return 'approved';
}

/** Applies one event to the map of projects (events of unknown projects are ignored: the log is checked on write). */
export function applyProjectEvent(projects: Map<string, ProjectState>, event: ProjectEvent, defaultBudget: number): void {
  if (event.type === 'project.proposed') {
    projects.set(event.projectId, {
      projectId: event.projectId, proposal: event.proposal, proposedBy: event.by, proposedAt: event.at,
      decisions: [], approval: null, suspended: false, rejected: false, queries: [], releases: [], spent: 0, released: new Set(), universes: new Map(),
      sets: new Map(), setNumbers: new Map(), described: new Map(), lastUniverse: 0, lastSet: 0, parts: new Map(),
    });
    return;
  }
  const projectId = event.type === 'release.frozen' ? event.manifest.projectId : event.projectId;
  const state = projects.get(projectId);
  if (!state) return;
  switch (event.type) {
    case 'project.decided':
      applyDecision(state, event, defaultBudget);
      break;
    case 'query.recorded':
      state.queries.push(event);
      state.spent += event.epsilon;
      for (const s of event.statistics ?? []) state.released.add(s);
      if (event.outcome === 'answered') noteDescribed(state, event);
      break;
    case 'release.frozen':
      state.releases.push(event.manifest);
      break;
    case 'cohort.universe': {
      const patients = joinParts(state, `u${event.universe}`, event.patients, event.more);
      if (!patients) break;
      state.universes.set(event.universe, new Set(patients));
      state.lastUniverse = Math.max(state.lastUniverse, event.universe);
      break;
    }
    case 'cohort.sets':
      for (const part of event.sets) {
        const { set } = part;
        const patients = joinParts(state, `s${set}`, part.patients, part.more);
        if (!patients) continue;
        const described = describedSet(patients);
        state.sets.set(set, described);
        state.setNumbers.set(described.key, set);
        state.lastSet = Math.max(state.lastSet, set);
      }
      break;
  }
}

/** The whole list once its last part has come; undefined while more are to come. */
function joinParts(state: ProjectState, slot: string, patients: string[], more: true | undefined): string[] | undefined {
  const before = state.parts.get(slot);
  const all = before ? [...before, ...patients] : patients;
  if (more) {
    state.parts.set(slot, all);
    return undefined;
  }
  state.parts.delete(slot);
  return all;
}

function unknownSet(queryId: string, set: number): never {
  throw new Error(`project log: query ${queryId} names set ${set}, which no earlier entry records`);
}

/** Keeps the sets an answered query described, once each, under the universe it was answered in. */
function noteDescribed(state: ProjectState, event: QueryRecorded): void {
  // the log records a set before the query naming it: an unknown number cannot be read back
  const sets = event.sets?.map((n) => state.sets.get(n) ?? unknownSet(event.queryId, n))
    ?? (event.patientSets ?? (event.cohort ? [event.cohort] : [])).map((ids) => describedSet(ids));
  if (sets.length === 0) return;
  const universe = event.universe ?? null;
  let described = state.described.get(universe);
  if (!described) state.described.set(universe, (described = new Map<string, DescribedSet>()));
  for (const set of sets) described.set(set.key, set);
}

function applyDecision(state: ProjectState, event: ProjectDecided, defaultBudget: number): void {
  state.decisions.push(event);
  switch (event.decision) {
    case 'approve': {
      // A renewal after expiry starts a fresh budget; approving again while the approval still
      // runs (a new end, a larger budget) keeps what was spent, or re-approving would reset it.
      // Review-group choices the approval does not name stand either way.
      const previous = state.approval;
      const renewal = previous !== null && event.at.slice(0, 10) > previous.end;
      state.approval = {
        at: event.at, by: event.by, reason: event.reason,
        budget: event.budget ?? (previous && !renewal ? previous.budget : defaultBudget),
        reviewGroups: { ...previous?.reviewGroups, ...event.reviewGroups },
        start: state.proposal.start, end: event.end ?? previous?.end ?? state.proposal.end,
      };
      state.rejected = false;
      if (renewal) state.spent = 0;
      break;
    }
    case 'review_groups':
      // the board's word on review groups alone: budget, dates and approval stay as they are
      if (state.approval) state.approval = { ...state.approval, reviewGroups: { ...state.approval.reviewGroups, ...event.reviewGroups } };
      break;
    case 'reject':
      state.rejected = true;
      state.approval = null;
      break;
    case 'suspend':
      state.suspended = true;
      break;
    case 'reinstate':
      state.suspended = false;
      break;
  }
}

/** Why the board may not take this decision now, or null. */
export function decisionRefusal(state: ProjectState, decision: ProjectDecided['decision'], today: string): string | null {
  const status = statusOf(state, today);
  switch (decision) {
    case 'approve':
      return status === 'suspended' ? 'a suspended project is reinstated first' : null;
    case 'reject':
      return status === 'proposed' ? null : 'only a proposed project can be rejected (suspend an approved one)';
    case 'suspend':
      return status === 'approved' || status === 'not_started' ? null : 'only an approved, unsuspended, unexpired project can be suspended';
    case 'reinstate':
      return status === 'suspended' ? null : 'only a suspended project can be reinstated';
    case 'review_groups':
      return state.approval ? null : 'review groups are decided for an approved project (or with its approval)';
  }
}
