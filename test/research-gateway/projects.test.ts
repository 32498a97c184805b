// Projects in the gateway itself: the board's decisions follow the project's state, a board
// member never decides on a project they belong to, and everything (approvals, budget spent,
// earlier cohorts) comes back from the sealed project log after a restart.
import assert from 'node:assert/strict';
import { ResearchError } from '../../research-gateway/research-error.ts';
import { openSecureDuckDB, type DuckDBSession } from '../../vault/store/duckdb-session.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { cohortSource, consentSource, demographicsSource, type TestPatient } from './helpers/population.ts';
import { BOARD, RESEARCHER, approvedProject, openHarness, proposal, type Harness } from './helpers/gateway-harness.ts';

/** 30 patients with general research consent, all carrying the first allele; the first 10 female. */
const PATIENTS: TestPatient[] = Array.from({ length: 30 }, (_, i) => ({
  patientId: `p_${(i + 1).toString(16).padStart(16, '0')}`, sex: i < 10 ? 'female' : 'male', birthYear: 1950 + i, zip: '02139', conditions: [], consent: 0,
  build: 'GRCh38', genotypes: new Map([[0, 'het']]), uncovered: new Set(),
}));

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
  const open = (logFile?: string, budget?: number): Promise<Harness> =>
    openHarness({
      dir: dir.path, sql: session.connection, threshold: 20, ...(logFile && { logFile }), ...(budget !== undefined && { budget }),
      cohortData: cohortSource(PATIENTS, { honourPatientIds: true }), consents: consentSource(PATIENTS), demographics: demographicsSource(PATIENTS),
    });
  before(async () => {
    session = await openSecureDuckDB({ memoryLimitBytes: 128 * 1024 * 1024, threads: 1 });
    dir = await makeTempDir();
  });
  after(async () => {
    session.close();
    await dir.remove();
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
});
