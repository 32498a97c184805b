// Projects in the gateway itself: the board's decisions follow the project's state, a board
// member never decides on a project they belong to, review groups are decided without touching
// the budget or the approval, re-approving keeps the budget spent (a renewal after expiry starts
// afresh), and everything (approvals, review-group choices, budget spent, earlier cohorts) comes
// back from the sealed project log after a restart.
import assert from 'node:assert/strict';
import { ResearchError } from '../../research-gateway/research-error.ts';
import { DUO_VERSIONS } from '../../consent/duo/versions.ts';
import { openSecureDuckDB, type DuckDBSession } from '../../vault/store/duckdb-session.ts';
import { join } from 'node:path';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { SealedAppendLog } from '../../vault/log/sealed-append-log.ts';
import type { ProjectEvent } from '../../research-gateway/projects/project-events.ts';
import { setEntries } from '../../research-gateway/projects/log-parts.ts';
import { cohortSource, consentSource, demographicsSource, type TestPatient } from './helpers/population.ts';
import { BOARD, OTHER_RESEARCHER, RESEARCHER, approvedProject, openHarness, proposal, type Harness } from './helpers/gateway-harness.ts';

/** 30 patients with general research consent, all carrying the first allele; the first 10 female. */
const PATIENTS: TestPatient[] = Array.from({ length: 30 }, (_, i) => ({
  patientId: `p_${(i + 1).toString(16).padStart(16, '0')}`, sex: i < 10 ? 'female' : 'male', birthYear: 1950 + i, zip: '02139', conditions: [], consent: 0,
  build: 'GRCh38', genotypes: new Map([[0, 'het']]), uncovered: new Set(),
}));

/** Beside them, 25 whose consent carries free-text restrictions: DUO matching sends them to review. */
const WITH_REVIEWS: TestPatient[] = [
  ...PATIENTS,
  ...Array.from({ length: 25 }, (_, i): TestPatient => ({ ...PATIENTS[i]!, patientId: `p_${(i + 101).toString(16).padStart(16, '0')}`, consent: 8 })),
];

async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (err) {
    if (err instanceof ResearchError) return err.code;
    throw err;
  }
  return 'answered';
}

describe('research projects in the gateway', () => {
  let session: DuckDBSession;
  let dir: { path: string; remove: () => Promise<void> };
  const open = (logFile?: string, budget?: number, patients = PATIENTS): Promise<Harness> =>
    openHarness({
      dir: dir.path, sql: session.connection, threshold: 20, ...(logFile && { logFile }), ...(budget !== undefined && { budget }),
      cohortData: cohortSource(patients, { honourPatientIds: true }), consents: consentSource(patients), demographics: demographicsSource(patients),
    });
  before(async () => {
    session = await openSecureDuckDB({ memoryLimitBytes: 128 * 1024 * 1024, threads: 1 });
    dir = await makeTempDir();
  });
  after(async () => {
    session.close();
    await dir.remove();
  });

  it('takes in other processes\' commits only for a query that may be answered: never for a refused role, a non-member or a project that may not be queried', async () => {
    const h = await open();
    try {
      const projectId = await approvedProject(h, proposal(['DUO:0000042'], { members: [RESEARCHER.accountId], level: 'count' }));
      const beacon = (caller: typeof RESEARCHER) => h.gateway.beaconQuery(caller, { parameters: { geneId: 'BRCA1', datasetIds: [projectId] }, requestedGranularity: 'count' });
      const count = (caller: typeof RESEARCHER, level: 'count' | 'aggregate' = 'count') => h.gateway.cohortQuery(caller, projectId, { level, assembly: 'GRCh38' }, 'json');
      const refused = [
        ['a role the policy refuses', count({ ...RESEARCHER, roles: ['clinician'] })],
        ['a non-member', count(OTHER_RESEARCHER)],
        ['a level not approved', count(RESEARCHER, 'aggregate')],
        ['a non-member on Beacon', beacon(OTHER_RESEARCHER)],
      ] as const;
      for (const [who, work] of refused) assert.notEqual(await refusal(work), 'answered', who);
      assert.equal(h.catchUps.count, 0, 'nothing taken in for a refused query');
      assert.equal(await refusal(count(RESEARCHER)), 'answered');
      assert.equal(await refusal(beacon(RESEARCHER)), 'answered');
      assert.equal(h.catchUps.count, 2, 'once per answered query');
      await h.gateway.decide(BOARD, projectId, { decision: 'suspend', reason: 'suspended' });
      assert.equal(await refusal(count(RESEARCHER)), 'project_suspended');
      assert.equal(h.catchUps.count, 2, 'nor for a suspended project');
    } finally {
      await h.close();
    }
  });

  it('takes only the decisions the state allows, and never from a board member who belongs to the project', async () => {
    const h = await open();
    try {
      const { projectId } = await h.gateway.propose(RESEARCHER, proposal(['DUO:0000042']));
      assert.equal(await refusal(h.gateway.decide(BOARD, projectId, { decision: 'reinstate', reason: 'not suspended' })), 'decision_not_allowed');
      await h.gateway.decide(BOARD, projectId, { decision: 'approve', reason: 'ok' });
      assert.equal(await refusal(h.gateway.decide(BOARD, projectId, { decision: 'reject', reason: 'too late' })), 'decision_not_allowed');
      await h.gateway.decide(BOARD, projectId, { decision: 'suspend', reason: 'query' });
      assert.equal(await refusal(h.gateway.decide(BOARD, projectId, { decision: 'approve', reason: 'renew' })), 'decision_not_allowed', 'reinstated first');
      assert.equal(await refusal(h.gateway.decide(RESEARCHER, projectId, { decision: 'reinstate', reason: 'mine' })), 'forbidden', 'the policy lets only the board decide');
      const both = { ...RESEARCHER, roles: ['researcher', 'ethics_board'] };
      assert.equal(await refusal(h.gateway.decide(both, projectId, { decision: 'reinstate', reason: 'mine' })), 'conflict_of_interest');
      assert.equal(h.audit.filter((e) => e.action === 'research.project.reinstate' && e.outcome === 'conflict_of_interest').length, 1, 'audited');
    } finally {
      await h.close();
    }
  });

  it('the board includes a review group on an approved project without touching its budget or approval; re-approving keeps the budget spent, a renewal after expiry starts afresh', async () => {
    const h = await open('review-groups.gvl', 10, WITH_REVIEWS);
    const trueCohort = async (query: Parameters<Harness['gateway']['cohortQuery']>[2]) => {
      await h.gateway.cohortQuery(RESEARCHER, projectId, query, 'json');
      return h.audit.findLast((e) => e.action === 'research.query')!.counts!.true_cohort;
    };
    const { projectId } = await h.gateway.propose(RESEARCHER, proposal(['DUO:0000042']));
    const [group] = (await h.gateway.project(BOARD, projectId)).reviewGroups!;
    assert.equal(group?.patients, 25);
    const include = { decision: 'review_groups' as const, reason: 'the restrictions allow this study', reviewGroups: { [group.groupId]: 'include' as const } };
    assert.equal(await refusal(h.gateway.decide(BOARD, projectId, include)), 'decision_not_allowed', 'decided for an approved project (or with its approval)');
    await h.gateway.decide(BOARD, projectId, { decision: 'approve', reason: 'ok' });
    assert.equal(await trueCohort({ level: 'count', assembly: 'GRCh38' }), 30, 'the review group waits for the board');

    const before = await h.gateway.project(BOARD, projectId);
    assert.ok(before.budget!.spent > 0);
    const decided = await h.gateway.decide(BOARD, projectId, include);
    assert.deepEqual(decided.budget, before.budget, 'the budget spent stands');
    assert.deepEqual([decided.approval, decided.end, decided.status], [before.approval, before.end, 'approved'], 'the approval and its dates stand');
    assert.equal(decided.reviewGroups!.find((g) => g.groupId === group.groupId)?.decision, 'include');
    assert.equal(h.audit.filter((e) => e.action === 'research.project.review_groups' && e.decision === 'success').length, 1, 'audited');
    assert.equal(await trueCohort({ level: 'count', assembly: 'GRCh38' }), 55, 'the group takes part from the next query');
    const spent = (await h.gateway.project(BOARD, projectId)).budget!.spent;

    // approving again while the approval runs (a later end) keeps the budget spent and the group's inclusion
    const extended = await h.gateway.decide(BOARD, projectId, { decision: 'approve', reason: 'extended', end: '2026-12-31' });
    assert.deepEqual(extended.budget, { epsilon: 10, spent, remaining: 10 - spent });
    assert.equal(extended.reviewGroups!.find((g) => g.groupId === group.groupId)?.decision, 'include', 'a choice the approval does not repeat stands');

    // after expiry, a renewal is a new approval: a fresh budget
    h.clock.now = Date.parse('2027-01-05T08:00:00Z');
    assert.equal((await h.gateway.project(BOARD, projectId)).status, 'expired');
    assert.equal(await refusal(h.gateway.decide(BOARD, projectId, { decision: 'approve', reason: 'renewed' })), 'decision_not_allowed', 'a renewal gives a later end');
    const renewed = await h.gateway.decide(BOARD, projectId, { decision: 'approve', reason: 'renewed', end: '2027-12-31', budget: 4 });
    assert.deepEqual([renewed.status, renewed.budget], ['approved', { epsilon: 4, spent: 0, remaining: 4 }]);
    const view = await h.gateway.project(BOARD, projectId);
    await h.close();
    const again = await open('review-groups.gvl', 10, WITH_REVIEWS);
    again.clock.now = h.clock.now;
    try {
      assert.deepEqual(await again.gateway.project(BOARD, projectId), view, 'the same after a restart');
    } finally {
      await again.close();
    }
  });

  it('after a restart, a project keeps its approval, its budget spent and the cohorts it was answered on', async () => {
    const first = await open('kept.gvl', 1);
    const projectId = await approvedProject(first, proposal(['DUO:0000042']));
    await first.gateway.cohortQuery(RESEARCHER, projectId, { level: 'count', assembly: 'GRCh38' }, 'json');
    await first.gateway.cohortQuery(RESEARCHER, projectId, { level: 'count', sex: 'female', assembly: 'GRCh38' }, 'json');
    const before = await first.gateway.project(RESEARCHER, projectId);
    await first.close();

    const again = await open('kept.gvl', 1);
    try {
      const after = await again.gateway.project(RESEARCHER, projectId);
      assert.deepEqual(after, before);
      assert.equal(after.budget?.spent, 1);
      assert.equal(await refusal(again.gateway.cohortQuery(RESEARCHER, projectId, { level: 'count', sex: 'other', assembly: 'GRCh38' }, 'json')), 'budget_exhausted');
      // 29 of the 30 differ by one from the first cohort: refused, as it would have been before the restart
      assert.equal(await refusal(again.gateway.cohortQuery(RESEARCHER, projectId, { level: 'count', age: { max: 75 }, assembly: 'GRCh38' }, 'json')), 'differencing_refused');
    } finally {
      await again.close();
    }
  });

  it('names each distinct patient set once in the log, and keeps numbering them after a restart, however many there are', async () => {
    const first = await open('sets.gvl');
    const projectId = await approvedProject(first, proposal(['DUO:0000042']));
    await first.gateway.cohortQuery(RESEARCHER, projectId, { level: 'count', assembly: 'GRCh38' }, 'json');
    await first.gateway.cohortQuery(RESEARCHER, projectId, { level: 'count', assembly: 'GRCh38' }, 'json');
    const events = await first.events();
    const named = events.flatMap((e) => (e.type === 'cohort.sets' ? e.sets : []));
    const queries = events.filter((e) => e.type === 'query.recorded' && e.outcome === 'answered');
    assert.deepEqual(named.map((x) => [x.set, x.patients.length]), [[1, 30]], 'the cohort recorded once, in full');
    assert.deepEqual(queries.map((q) => q.type === 'query.recorded' && q.sets), [[1], [1]], 'each query names it by number');
    await first.close();
    // a project whose log already names 130,000 sets (more than a spread into Math.max can take)
    const log = await SealedAppendLog.open<ProjectEvent>(join(dir.path, 'sets.gvl'), { key: Buffer.alloc(32, 3), logId: 'research' });
    const many = Array.from({ length: 130_000 }, (_, i) => ({ set: i + 2, patients: [`p_${(i + 1000).toString(16).padStart(16, '0')}`] }));
    for (const entry of setEntries(many)) await log.append({ type: 'cohort.sets', projectId, sets: entry });
    await log.close();
    const again = await open('sets.gvl');
    try {
      await again.gateway.cohortQuery(RESEARCHER, projectId, { level: 'count', sex: 'female', assembly: 'GRCh38' }, 'json');
      const latest = (await again.events()).filter((e) => e.type === 'cohort.sets').at(-1);
      assert.deepEqual(latest?.type === 'cohort.sets' && latest.sets.map((x) => x.set), [130_002], 'the next number after the highest recorded');
    } finally {
      await again.close();
    }
  });

  it('records the DUO and disease-ontology releases with every decision and every answered query', async () => {
    const h = await open('vocabularies.gvl');
    try {
      const projectId = await approvedProject(h, proposal(['DUO:0000042']));
      await h.gateway.cohortQuery(RESEARCHER, projectId, { level: 'count', assembly: 'GRCh38' }, 'json');
      const events = await h.events();
      const decided = events.filter((e) => e.type === 'project.decided');
      const answered = events.filter((e) => e.type === 'query.recorded' && e.outcome === 'answered');
      assert.ok(decided.length > 0 && answered.length === 1);
      for (const e of [...decided, ...answered]) assert.deepEqual('vocabularies' in e && e.vocabularies, { ...DUO_VERSIONS }, e.type);
    } finally {
      await h.close();
    }
  });
});
