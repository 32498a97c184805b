// A research gateway over a generated population, with the real parts around it: the project log
// is a sealed append-only log in a temp directory, SQL runs in the vault's secure in-memory DuckDB,
// and permissions come from the real policy through createAuthorizer(). The audit sink keeps the
// entries for the test to read. A researcher proposes a project; a board member approves it.
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ResearchGateway } from '../../../research-gateway/gateway.ts';
import type { ResearchAuditEntry, ResearchCaller, CohortDataSource, DemographicsSource, ResearchConsentSource } from '../../../research-gateway/ports.ts';
import type { ProjectEvent } from '../../../research-gateway/projects/project-events.ts';
import { createAuthorizer } from '../../../consent/policy/authorize.ts';
import { SealedAppendLog } from '../../../vault/log/sealed-append-log.ts';
import type { ProjectDecision, ProjectProposal } from '../../../schemas/research.ts';

export const RESEARCHER: ResearchCaller = { accountId: 'acc_000000000000000a', roles: ['researcher'], requestId: 'req-researcher' };
export const OTHER_RESEARCHER: ResearchCaller = { accountId: 'acc_000000000000000b', roles: ['researcher'], requestId: 'req-other' };
export const BOARD: ResearchCaller = { accountId: 'acc_00000000000000e0', roles: ['ethics_board'], requestId: 'req-board' };

/** Fixed keys: two harnesses over the same patients give the same noise and pseudonyms. */
export const KEYS = { pseudonyms: Buffer.alloc(32, 7), noise: Buffer.alloc(32, 9) };

export interface Harness {
  gateway: ResearchGateway;
  audit: ResearchAuditEntry[];
  clock: { now: number };
  /** the project log as stored (queries with their cohorts, universes, decisions) */
  events(): Promise<ProjectEvent[]>;
  /** how many times the gateway asked to take in other processes' commits (its catchUp port) */
  catchUps: { count: number };
  close(): Promise<void>;
}

export interface HarnessOptions {
  dir: string;
  /** the project log's file name in `dir`; a new one by default */
  logFile?: string;
  sql: DuckDBConnection;
  cohortData: CohortDataSource;
  consents: ResearchConsentSource;
  demographics: DemographicsSource;
  threshold: number;
  budget?: number;
  repeatLimit?: number;
}

const no = () => Promise.resolve(false);

export async function openHarness(options: HarnessOptions): Promise<Harness> {
  const file = options.logFile ?? `research-${Math.random().toString(16).slice(2)}.gvl`;
  const log = await SealedAppendLog.open<ProjectEvent>(join(options.dir, file), { key: Buffer.alloc(32, 3), logId: 'research' });
  const audit: ResearchAuditEntry[] = [];
  const authorizer = await createAuthorizer({
    facts: { isOnCareTeam: no, hasActiveBreakGlass: no, isSelf: no },
    audit: () => Promise.resolve(),
  });
  const clock = { now: Date.parse('2026-06-01T08:00:00Z') };
  const catchUps = { count: 0 };
  const gateway = await ResearchGateway.open(
    {
      store: log,
      cohortData: options.cohortData,
      consents: options.consents,
      demographics: options.demographics,
      audit: (entry) => {
        audit.push(entry);
        return Promise.resolve();
      },
      authorize: async (caller, intent) => (await authorizer.authorize({ subject: { userId: caller.accountId, roles: caller.roles }, patientId: null, ...intent }, { requestId: caller.requestId })).allowed,
      isResearcher: (id) => id === RESEARCHER.accountId || id === OTHER_RESEARCHER.accountId,
      knowsDisease: (id) => /^DOID:\d+$/.test(id),
      catchUp: () => {
        catchUps.count++;
        return Promise.resolve();
      },
      sql: options.sql,
      keys: KEYS,
      now: () => clock.now,
    },
    { threshold: options.threshold, defaultBudget: options.budget ?? 1000, repeatLimit: options.repeatLimit ?? 1000, repeatWindowMs: 24 * 3_600_000 },
  );
  const events = async () => {
    const out: ProjectEvent[] = [];
    for await (const entry of log.entries()) out.push(entry.body);
    return out;
  };
  return { gateway, audit, clock, events, catchUps, close: () => log.close() };
}

export function proposal(purpose: readonly string[], extra: Partial<ProjectProposal> = {}): ProjectProposal {
  return {
    title: 'A cohort study', purpose: [...purpose], forProfit: false, commercial: false, sensitive: [], commitments: [], irb: 'IRB-1', country: 'US',
    members: [], level: 'records', start: '2026-01-01', end: '2026-12-31', ...extra,
  };
}

/** Proposes as the researcher and approves as the board (including the review groups, or not). */
export async function approvedProject(harness: Harness, input: ProjectProposal, options: { includeReviews?: boolean; decision?: Partial<ProjectDecision> } = {}): Promise<string> {
  const { projectId } = await harness.gateway.propose(RESEARCHER, input);
  const groups = (await harness.gateway.project(BOARD, projectId)).reviewGroups ?? [];
  const reviewGroups = Object.fromEntries(groups.map((g) => [g.groupId, options.includeReviews ? ('include' as const) : ('exclude' as const)]));
  await harness.gateway.decide(BOARD, projectId, { decision: 'approve', reason: 'approved by the board', reviewGroups, ...options.decision });
  return projectId;
}
