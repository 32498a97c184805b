// How a project is shown: to its members (status, approval, budget), and to the ethics board
// (also the review groups awaiting its decision, and the query report with true cohort sizes).
import type { ReviewGroupSummary } from '../cohort/consent-decisions.ts';
import type { ReleaseManifest } from './project-events.ts';
import { statusOf, type ProjectState, type ProjectStatus } from './project-state.ts';

export interface ProjectView {
  projectId: string;
  status: ProjectStatus;
  title: string;
  purpose: string[];
  forProfit: boolean;
  commercial: boolean;
  sensitive: string[];
  commitments: string[];
  irb: string | null;
  country: string;
  members: string[];
  level: string;
  start: string;
  end: string;
  proposedBy: string;
  proposedAt: string;
  decisions: { decision: string; reason: string; by: string; at: string }[];
  approval: { at: string; by: string; end: string } | null;
  budget: { epsilon: number; spent: number; remaining: number } | null;
  /** ethics board only */
  reviewGroups?: ReviewGroupSummary[];
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function budgetOf(state: ProjectState): ProjectView['budget'] {
  const approval = state.approval;
  if (!approval) return null;
  return { epsilon: approval.budget, spent: round(state.spent), remaining: round(Math.max(0, approval.budget - state.spent)) };
}

export function projectView(state: ProjectState, today: string, reviewGroups?: ReviewGroupSummary[]): ProjectView {
  const p = state.proposal;
  return {
    projectId: state.projectId,
    status: statusOf(state, today),
    title: p.title,
    purpose: p.purpose,
    forProfit: p.forProfit,
    commercial: p.commercial,
    sensitive: p.sensitive,
    commitments: p.commitments,
    irb: p.irb ?? null,
    country: p.country,
    members: p.members,
    level: p.level,
    start: p.start,
    end: state.approval?.end ?? p.end,
    proposedBy: state.proposedBy,
    proposedAt: state.proposedAt,
    decisions: state.decisions.map((d) => ({ decision: d.decision, reason: d.reason, by: d.by, at: d.at })),
    approval: state.approval ? { at: state.approval.at, by: state.approval.by, end: state.approval.end } : null,
    budget: budgetOf(state),
    ...(reviewGroups !== undefined && { reviewGroups }),
  };
}

export interface ProjectReport {
  projectId: string;
  status: ProjectStatus;
  budget: ProjectView['budget'];
  queries: { total: number; answered: number; refused: Record<string, number>; byKind: Record<string, number> };
  /** every query, newest first, with the true size of the cohort it rested on */
  log: { queryId: string; at: string; by: string; kind: string; level: string; outcome: string; trueSize: number | null; epsilon: number }[];
  releases: ReleaseManifest[];
}

export function projectReport(state: ProjectState, today: string): ProjectReport {
  const refused: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  for (const q of state.queries) {
    byKind[q.kind] = (byKind[q.kind] ?? 0) + 1;
    if (q.outcome !== 'answered') refused[q.outcome] = (refused[q.outcome] ?? 0) + 1;
  }
  return {
    projectId: state.projectId,
    status: statusOf(state, today),
    budget: budgetOf(state),
    queries: { total: state.queries.length, answered: state.queries.filter((q) => q.outcome === 'answered').length, refused, byKind },
    log: [...state.queries].reverse().map((q) => ({ queryId: q.queryId, at: q.at, by: q.by, kind: q.kind, level: q.level, outcome: q.outcome, trueSize: q.trueSize, epsilon: q.epsilon })),
    releases: [...state.releases].reverse(),
  };
}
