// Cohort questions through the research gateway in a fresh process: open the vault and its
// engines, compose the gateway as the service does (the vault's cohort data and research index
// through the gateway's ports), approve a project at the records level, and ask how many consented
// patients carry a BRCA1 allele (cold: the first question of the process), the same count again
// (warm), then BRCA1's aggregate and its records. Every tenth patient has no research consent. Run
// by gateway-bench.ts as `node --import tsx gateway-probe.ts DATA_DIR WORK_DIR BUDGET_MB
// [index|samples] [count|all]` (samples: without the index, every consented sample's partition
// read; count: the cold count alone), with the bench's throwaway master key in
// GENOVAULT_MASTER_KEY. Prints one JSON line: the times and the peak RSS.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { masterKeyFromBase64 } from '../../vault/crypto/master-key.ts';
import { Vault } from '../../vault/store/vault.ts';
import { openQueries } from '../../vault/store/patient-queries.ts';
import { openSecureDuckDB } from '../../vault/store/duckdb-session.ts';
import { SealedAppendLog } from '../../vault/log/sealed-append-log.ts';
import { vaultCohortData, vaultCohortIndex } from '../../vault/service/research-sources.ts';
import { ResearchGateway } from '../../research-gateway/gateway.ts';
import type { ProjectEvent } from '../../research-gateway/projects/project-events.ts';
import { DUO_PERMISSION } from '../../schemas/duo.ts';

export interface GatewayProbeResult {
  /** the first cohort query of the process alone (the project already approved) */
  countMs: number;
  /** with `all`: the same count asked again (median of the repeats), the aggregate and the records over BRCA1 */
  warmCountMs?: number;
  aggregateMs?: number;
  recordsMs?: number;
  /** records released (patients shown) */
  records?: number;
  /** true carriers, as audited */
  trueCohort: number;
  consentedPatients: number;
  peakRssBytes: number;
}

const [dataDir, workDir, budgetText, path = 'index', asked = 'count'] = process.argv.slice(2);
if (!dataDir || !workDir || !budgetText) throw new Error('usage: gateway-probe.ts DATA_DIR WORK_DIR BUDGET_MB [index|samples] [count|all]');
const WARM_REPEATS = Number(process.env.WARM_REPEATS ?? 9);
const vault = await Vault.open(dataDir, masterKeyFromBase64(process.env.GENOVAULT_MASTER_KEY ?? '', 'env'), { write: false });
const queries = await openQueries(vault, { cacheBudgetMb: Number(budgetText) });
const sql = await openSecureDuckDB({ memoryLimitBytes: 256 * 1024 * 1024, threads: 1 });
const log = await SealedAppendLog.open<ProjectEvent>(join(workDir, `gateway-${randomBytes(6).toString('hex')}.gvl`), { key: randomBytes(32), logId: 'research' });
try {
  const patients = [...new Set(vault.catalog.data.samples.map((s) => s.patientId))].sort();
  const consented = patients.filter((_, i) => i % 10 !== 0);
  const now = Date.parse('2026-06-01T08:00:00Z');
  const audited: Record<string, number>[] = [];
  const gateway = await ResearchGateway.open({
    store: log,
    cohortData: vaultCohortData(vault, queries.engine),
    ...(queries.cohortIndex && path === 'index' && { cohortIndex: vaultCohortIndex(queries.cohortIndex) }),
    // the consents and records do not change during the probe: one version each, as the service's ledger and clinical store report while nothing is recorded
    consents: { currentResearchConsents: () => consented.map((patientId) => ({ patientId, scope: { permission: DUO_PERMISSION.GRU, diseases: [], modifiers: [] } })), version: () => 1 },
    demographics: { demographics: (ids) => [...ids].map((patientId, i) => ({ patientId, sex: i % 2 ? 'female' : 'male', birthYear: 1970, zip: null, conditions: [] })), version: () => 1 },
    audit: (entry) => {
      if (entry.counts) audited.push(entry.counts);
      return Promise.resolve();
    },
    authorize: () => Promise.resolve(true),
    isResearcher: () => true,
    knowsDisease: () => true,
    sql: sql.connection,
    keys: { pseudonyms: randomBytes(32), noise: randomBytes(32) },
    now: () => now,
    // budget and repeat limit wide enough for the bench's questions; the disclosure rules are otherwise the service's
  }, { threshold: 20, defaultBudget: 1_000, repeatLimit: 100, repeatWindowMs: 3_600_000 });
  const researcher = { accountId: 'acc_000000000000000a', roles: ['researcher'], requestId: 'bench-researcher' };
  const board = { accountId: 'acc_00000000000000e0', roles: ['ethics_board'], requestId: 'bench-board' };
  // one project per level: each answer's warm figure is the same question asked again in its own
  // project (in one project, an allele's carriers next to the gene's whole cohort would be refused
  // as differencing, as the service would refuse them)
  const approved = async (level: 'count' | 'aggregate' | 'records') => {
    const { projectId } = await gateway.propose(researcher, {
      title: `Bench ${level}`, purpose: ['DUO:0000042'], forProfit: false, commercial: false, sensitive: [], commitments: [], irb: 'IRB-BENCH', country: 'US',
      members: [researcher.accountId], level, start: '2026-01-01', end: '2026-12-31',
    });
    await gateway.decide(board, projectId, { decision: 'approve', reason: 'bench', reviewGroups: {} });
    return projectId;
  };
  const timed = async (projectId: string, level: 'count' | 'aggregate' | 'records') => {
    const t0 = performance.now();
    const answer = await gateway.cohortQuery(researcher, projectId, { level, variant: { gene: 'BRCA1' }, assembly: 'GRCh38' }, 'json');
    return { ms: performance.now() - t0, answer };
  };
  const counts = await approved('count');
  const { ms: countMs } = await timed(counts, 'count');
  const result: GatewayProbeResult = { countMs, trueCohort: audited.at(-1)?.true_cohort ?? -1, consentedPatients: consented.length, peakRssBytes: 0 };
  if (asked === 'all') {
    /** the median of the question asked again, after its first answer */
    const warm = async (projectId: string, level: 'count' | 'aggregate' | 'records') => {
      const times: number[] = [];
      let last = await timed(projectId, level);
      for (let i = 0; i < WARM_REPEATS; i++) times.push((last = await timed(projectId, level)).ms);
      return { ms: times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!, answer: last.answer };
    };
    result.warmCountMs = (await warm(counts, 'count')).ms;
    result.aggregateMs = (await warm(await approved('aggregate'), 'aggregate')).ms;
    const records = await warm(await approved('records'), 'records');
    result.recordsMs = records.ms;
    result.records = (records.answer.json.records as unknown[] | undefined)?.length ?? 0;
  }
  result.peakRssBytes = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify(result));
} finally {
  await log.close();
  sql.close();
  await queries.close();
  await vault.close();
}
