// The research gateway over HTTPS against a real vault: 60 synthetic patients with exome calls on
// chr17, 50 of whom consented to general research use (GRU), 5 to health research with a
// collaboration requirement (HMB COL, which DUO matching sends to review) and 5 to nothing.
// Each test makes its own projects, so it stands alone.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { tableFromIPC, type Table } from 'apache-arrow';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { enrolStaff } from '../helpers/enrol-accounts.ts';
import type { HttpResult } from '../helpers/http-client.ts';
import { PASSWORD } from '../e2e/service-world.ts';
import { canonicalJson } from '../../research-gateway/answers/records-answer.ts';
import { ANSWER_METADATA_KEY, ARROW_STREAM } from '../../research-gateway/answers/arrow-answer.ts';
import { buildResearchWorld, grantResearchConsent, withdrawResearchConsent, type ResearchWorld } from './helpers/research-world.ts';
import { runCli } from '../helpers/run-cli.ts';

const GRU = ['DUO:0000042'];
const HMB_COL = ['DUO:0000006', 'DUO:0000020'];
const BREAST_CANCER_STUDY = { title: 'Breast cancer genetics', purpose: ['DUO:0000007', 'DOID:1612'], forProfit: false, commercial: false, sensitive: [], irb: 'IRB-2026-001', country: 'US', members: [], level: 'records', start: '2026-01-01', end: '2026-12-31' };

type Json = Record<string, unknown>;

/** An Arrow table's rows as plain objects. */
const rowsOf = (table: Table): Json[] => [...table].map((row) => (row as { toJSON(): Json }).toJSON());

describe('research gateway over HTTPS', function () {
  this.timeout(300_000);
  let dir: { path: string; remove: () => Promise<void> };
  let w: ResearchWorld;
  let researcher: string;
  let board: string;
  before(async () => {
    dir = await makeTempDir();
    w = await buildResearchWorld(dir.path, { size: 60, consentOf: (i) => (i % 12 === 11 ? null : i % 12 === 10 ? HMB_COL : GRU), masterKeyFile: true });
    w.accounts.researcher2 = await enrolStaff(w.service, 'researcher2', ['researcher'], PASSWORD);
  });
  beforeEach(async () => {
    researcher = await w.login('researcher');
    board = await w.login('ethics');
  });
  after(async () => {
    await w?.close();
    await dir?.remove();
  });

  const propose = (extra: Json = {}, token = researcher) => w.http<Json>('/projects', { method: 'POST', token, body: { ...BREAST_CANCER_STUDY, ...extra } });
  const decide = (projectId: string, body: Json) => w.http<Json>(`/projects/${projectId}/decision`, { method: 'POST', token: board, body: { reason: 'reviewed by the board', ...body } });
  const ask = (projectId: string, body: Json, options: { token?: string; headers?: Record<string, string> } = {}) =>
    w.http<Json>(`/projects/${projectId}/cohort-queries`, { method: 'POST', token: options.token ?? researcher, body, ...(options.headers && { headers: options.headers }) });
  async function approved(extra: Json = {}, decision: Json = {}): Promise<string> {
    const proposed = await propose(extra);
    assert.equal(proposed.status, 201, proposed.text);
    const projectId = proposed.body.projectId as string;
    const answer = await decide(projectId, { decision: 'approve', ...decision });
    assert.equal(answer.status, 200, answer.text);
    return projectId;
  }
  /** The gateway's audit entry for this request's query: outcome and true cohort size. */
  async function queryAudit(response: HttpResult<unknown>) {
    const entries = (await w.auditOf(response)).map((e) => e.body).filter((e) => e.action === 'research.query');
    assert.equal(entries.length, 1, 'one research.query entry per request');
    return entries[0]!;
  }
  /** Cohort patients whose research consent in force now is general research use. */
  const generalConsents = () => w.cohort.filter(({ patientId }) => w.service.consents.current(patientId).directives.some((d) => d.directive.kind === 'research_use' && d.revokedAt === undefined && d.directive.status === 'consented' && d.directive.scope.permission === 'DUO:0000042' && d.directive.scope.modifiers.length === 0 && d.directive.scope.diseases.length === 0));

  it('a proposal waits for the board; the board sees the consents DUO matching sent to review, and they take part only once it includes them', async () => {
    const clinician = await w.login('clin_a');
    assert.equal((await propose({}, clinician)).status, 403, 'only researchers propose');
    const proposed = await propose();
    assert.equal(proposed.status, 201);
    assert.equal(proposed.body.status, 'proposed');
    const projectId = proposed.body.projectId as string;
    assert.deepEqual(proposed.body.members, [w.accounts.researcher!.accountId], 'the proposer is a member');

    const early = await ask(projectId, { level: 'count' });
    assert.equal(early.status, 403);
    assert.equal(early.body.code, 'project_pending');
    assert.equal(early.body.count, undefined);

    const seenByBoard = await w.http<{ reviewGroups: { groupId: string; patients: number; rules: string[]; decision: string }[] }>(`/projects/${projectId}`, { token: board });
    assert.equal(seenByBoard.status, 200);
    assert.equal(seenByBoard.body.reviewGroups.length, 1);
    const [group] = seenByBoard.body.reviewGroups;
    assert.equal(group!.patients, 5);
    assert.ok(group!.rules.includes('COL'), group!.rules.join());
    assert.equal(group!.decision, 'undecided');
    const seenByMember = await w.http<Json>(`/projects/${projectId}`, { token: researcher });
    assert.equal(seenByMember.body.reviewGroups, undefined, 'consent contents are for the board only');

    assert.equal((await decide(projectId, { decision: 'approve' })).status, 200);
    const first = await ask(projectId, { level: 'count' });
    assert.equal(first.status, 200, first.text);
    assert.equal((await queryAudit(first)).counts?.true_cohort, generalConsents().length, 'review consents excluded until the board decides');
    assert.equal(typeof first.body.count, 'number');
    assert.equal(first.body.countPrecision, 'imprecise');
    assert.deepEqual((first.body.precision as Json).threshold, 20);

    // the board includes the group later, leaving the approval and the budget spent as they are
    const include = { reviewGroups: { [group!.groupId]: 'include' } };
    for (const wrong of [{ decision: 'review_groups' }, { decision: 'review_groups', reviewGroups: {} }, { decision: 'suspend', ...include }]) {
      const refused = await decide(projectId, wrong);
      assert.equal(refused.status, 400, refused.text);
      assert.deepEqual((refused.body.errors as { path: string }[]).map((e) => e.path), ['body.reviewGroups']);
    }
    const before = (await w.http<Json>(`/projects/${projectId}`, { token: board })).body;
    const included = await decide(projectId, { decision: 'review_groups', ...include });
    assert.equal(included.status, 200, included.text);
    assert.deepEqual([included.body.budget, included.body.approval, included.body.end], [before.budget, before.approval, before.end]);
    assert.equal((included.body.reviewGroups as { groupId: string; decision: string }[]).find((g) => g.groupId === group!.groupId)?.decision, 'include');
    const second = await ask(projectId, { level: 'count', sex: 'female' });
    const third = await ask(projectId, { level: 'count' });
    assert.equal(third.status, 200, third.text);
    assert.equal((await queryAudit(third)).counts?.true_cohort, generalConsents().length + 5);
    assert.equal(second.status, 200, second.text);
  });

  it('a rejected, suspended or expired project gets nothing, nor does a non-member or a level above the approval', async () => {
    const rejected = (await propose()).body.projectId as string;
    assert.equal((await decide(rejected, { decision: 'reject' })).status, 200);
    const suspended = await approved();
    assert.equal((await decide(suspended, { decision: 'suspend', reason: 'complaint under review' })).status, 200);
    const today = new Date(w.clock.now).toISOString().slice(0, 10);
    const ending = await approved({}, { end: today });
    const countOnly = await approved({ level: 'count' });
    const stranger = await w.login('researcher2');

    const refusals: [string, Json, string | undefined, number, string][] = [
      [rejected, { level: 'count' }, undefined, 403, 'project_rejected'],
      [suspended, { level: 'count' }, undefined, 403, 'project_suspended'],
      [countOnly, { level: 'aggregate', variant: { gene: 'BRCA1' } }, undefined, 403, 'level_not_approved'],
      [countOnly, { level: 'count' }, stranger, 404, 'not_found'],
    ];
    for (const [projectId, body, token, status, code] of refusals) {
      const refused = await ask(projectId, body, { ...(token && { token }) });
      assert.equal(refused.status, status, `${code}: ${refused.text}`);
      assert.equal(refused.body.code, code);
      for (const field of ['count', 'variants', 'records']) assert.equal(refused.body[field], undefined, `${code} answers no ${field}`);
      assert.equal((await queryAudit(refused)).outcome, code, `${code} is audited`);
    }
    assert.equal((await w.http(`/projects/${countOnly}`, { token: stranger })).status, 404, 'a non-member does not see the project');

    assert.equal((await ask(ending, { level: 'count' })).status, 200, 'current on its last day');
    // two days on (the clock only moves forward: sessions and one-time codes depend on it)
    w.clock.now += 2 * 86_400_000;
    researcher = await w.login('researcher');
    board = await w.login('ethics');
    const expired = await ask(ending, { level: 'count' });
    assert.equal(expired.status, 403);
    assert.equal(expired.body.code, 'project_expired');
    assert.equal((await decide(ending, { decision: 'approve', end: '2026-12-31' })).status, 200, 'renewed by a new approval');
    assert.equal((await ask(ending, { level: 'count' })).status, 200);
    assert.equal((await decide(suspended, { decision: 'reinstate' })).status, 200);
    assert.equal((await ask(suspended, { level: 'count' })).status, 200, 'reinstated');
    assert.equal((await decide(rejected, { decision: 'suspend' })).body.code, 'decision_not_allowed');
  });

  it('answers counts, aggregates and de-identified records, in JSON and in Arrow, and freezes every record-level release', async () => {
    const projectId = await approved();
    const rare = await ask(projectId, { level: 'count', variant: { gene: 'BRCA1' }, significance: ['pathogenic'] });
    assert.equal(rare.status, 200, rare.text);
    assert.equal(rare.body.count, '<20', 'pathogenic BRCA1 variants have one to three carriers');
    assert.equal(rare.body.countPrecision, 'below_threshold');

    const json = await ask(projectId, { level: 'aggregate', variant: { gene: 'BRCA1' } });
    assert.equal(json.status, 200, json.text);
    const rows = json.body.variants as Json[];
    assert.ok(rows.length > 0);
    assert.match(JSON.stringify(json.body.alleleNumber), /covered the position/);
    assert.deepEqual((json.body.alleleNumber as { coverage: string[] }).coverage, ['targets_bed']);
    const arrow = await ask(projectId, { level: 'aggregate', variant: { gene: 'BRCA1' } }, { headers: { accept: ARROW_STREAM } });
    assert.equal(arrow.status, 200);
    assert.equal(arrow.headers.get('content-type'), ARROW_STREAM);
    const table = tableFromIPC(arrow.bytes);
    assert.deepEqual(rowsOf(table), rows, 'the same rows, the same noise');
    const meta = JSON.parse(table.schema.metadata.get(ANSWER_METADATA_KEY)!) as Json;
    assert.equal(meta.level, 'aggregate');
    assert.equal((meta.privacy as Json).epsilonCharged, 0, 'the same answer again costs nothing');

    // in a project of its own: exact carriers of a common allele next to the aggregate's noisy
    // counts of nearly the same patients would be refused as differencing
    const recordsProject = await approved();
    const records = await ask(recordsProject, { level: 'records', variant: { gene: 'BRCA1' } });
    assert.equal(records.status, 200, records.text);
    const rows2 = records.body.records as { pseudonym: string; birthYear: number | string; zip3: string; variants: unknown[] }[];
    assert.ok(rows2.length >= 20);
    const identifiers = w.cohort.flatMap(({ person, patientId }) => [patientId, person.mrn, person.givenName, person.familyName, person.birthDate, person.zip]);
    identifiers.push(...w.service.vault.catalog.data.samples.map((s) => s.sampleId));
    for (const id of identifiers) assert.ok(!records.text.includes(`"${id}"`), 'no identifier in the records');
    for (const r of rows2) {
      assert.match(r.pseudonym, /^ps_[0-9a-f]{20}$/);
      assert.ok(r.birthYear === '90+' || (typeof r.birthYear === 'number' && 2026 - r.birthYear < 90));
      assert.match(r.zip3, /^\d{3}$/);
    }
    const release = records.body.release as { releaseId: string; sha256: string; what: { records: number } };
    assert.equal(release.sha256, createHash('sha256').update(canonicalJson(rows2)).digest('hex'));
    assert.equal(release.what.records, rows2.length);
    const report = await w.http<{ releases: { releaseId: string }[] }>(`/projects/${recordsProject}/report`, { token: board });
    assert.deepEqual(report.body.releases.map((r) => r.releaseId), [release.releaseId], 'listed for the board');
    const releaseAudit = (await w.auditOf(records)).map((e) => e.body).find((e) => e.action === 'research.release');
    assert.equal(releaseAudit?.flagged, true);
    assert.equal(releaseAudit?.targetId, recordsProject);

    const recordsArrow = await ask(recordsProject, { level: 'records', variant: { gene: 'BRCA1' } }, { headers: { accept: ARROW_STREAM } });
    const back = rowsOf(tableFromIPC(recordsArrow.bytes));
    assert.deepEqual(back.map((r) => r.pseudonym), rows2.map((r) => r.pseudonym));
    assert.equal(JSON.parse(tableFromIPC(recordsArrow.bytes).schema.metadata.get(ANSWER_METADATA_KEY)!).release.sha256, release.sha256, 'the same release hash whatever the format');
  });

  it('pseudonyms are stable within a project and differ across projects', async () => {
    const one = await approved();
    const two = await approved();
    const pseudonyms = async (projectId: string) => ((await ask(projectId, { level: 'records' })).body.records as { pseudonym: string }[]).map((r) => r.pseudonym);
    const first = await pseudonyms(one);
    assert.ok(first.length >= 20);
    assert.deepEqual(await pseudonyms(one), first, 'stable within the project');
    const other = await pseudonyms(two);
    assert.equal(other.length, first.length);
    assert.deepEqual(other.filter((p) => first.includes(p)), [], 'no pseudonym shared across projects');
  });

  it('a withdrawal takes effect on the next query, though the gateway keeps its cohort tables between queries', async () => {
    const projectId = await approved();
    const before = await ask(projectId, { level: 'count' });
    // asked again: the gateway's tables already hold this cohort's consents and are kept
    assert.equal((await queryAudit(await ask(projectId, { level: 'count' }))).counts?.true_cohort, (await queryAudit(before)).counts!.true_cohort);
    const withdrawing = generalConsents()[0]!.patientId;
    await withdrawResearchConsent(w.service, withdrawing);
    try {
      const after = await ask(projectId, { level: 'count' });
      assert.equal(after.status, 200, after.text);
      assert.equal((await queryAudit(after)).counts?.true_cohort, (await queryAudit(before)).counts!.true_cohort! - 1);
      const records = await ask(projectId, { level: 'records' });
      assert.equal(records.status, 200, records.text);
      assert.equal((records.body.records as unknown[]).length, (await queryAudit(before)).counts!.true_cohort! - 1);
    } finally {
      await grantResearchConsent(w.service, withdrawing, GRU);
    }
  });

  it('refuses a repeat beyond the limit, a differencing pair and an answer past the budget, each audited and reported to the board', async () => {
    const lockout = await approved();
    for (let i = 0; i < 3; i++) assert.equal((await ask(lockout, { level: 'count', sex: 'female' })).status, 200);
    const locked = await ask(lockout, { level: 'count', sex: 'female' });
    assert.equal(locked.status, 429);
    assert.equal(locked.body.code, 'repeat_lockout');
    assert.ok(Number(locked.headers.get('retry-after')) > 0);
    assert.equal((await queryAudit(locked)).outcome, 'repeat_lockout');
    assert.equal((await queryAudit(locked)).flagged, true);
    // the same question respelled (chromosome, bases, gene and build names) is still the same question
    const respelled = await approved();
    const spellings = [
      { variant: { gene: 'BRCA1' }, assembly: 'GRCh38' }, { variant: { gene: 'brca1' }, assembly: 'hg38' }, { variant: { gene: 'Brca1' }, assembly: 'grch38' },
      { variant: { gene: 'BRCA1' }, assembly: 'b38' },
    ];
    for (const [i, spelling] of spellings.entries()) assert.equal((await ask(respelled, { level: 'count', ...spelling })).status, i < 3 ? 200 : 429, JSON.stringify(spelling));
    const regions = await approved();
    const region = ['chr17:43044295-43125483', '17:43044295-43125483', 'CHR17:43044295-43125483', 'Chr17:43044295-43125483'];
    for (const [i, text] of region.entries()) assert.equal((await ask(regions, { level: 'count', variant: { region: text }, assembly: 'GRCh38' })).status, i < 3 ? 200 : 429, text);

    // an age bound that leaves out only the oldest few of the consented cohort
    const differencing = await approved();
    const ages = generalConsents().map(({ person }) => Math.min(90, 2026 - Number(person.birthDate.slice(0, 4))));
    const oldest = Math.max(...ages);
    const leftOut = ages.filter((a) => a === oldest).length;
    assert.ok(leftOut >= 1 && leftOut < 20, `${leftOut} patients of the oldest age`);
    assert.equal((await ask(differencing, { level: 'count' })).status, 200);
    const refused = await ask(differencing, { level: 'count', age: { max: oldest - 1 } });
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.body.code, 'differencing_refused');
    const refusedAudit = await queryAudit(refused);
    assert.equal(refusedAudit.outcome, 'differencing_refused');
    assert.equal(refusedAudit.counts?.true_cohort, ages.length - leftOut, 'the true cohort size is audited');
    assert.equal((await ask(differencing, { level: 'count', sex: 'male' })).status, 200, 'a cohort that differs by more is answered');

    const budget = await approved({}, { budget: 1 });
    assert.equal((await ask(budget, { level: 'count' })).status, 200);
    assert.equal((await ask(budget, { level: 'count', sex: 'female' })).status, 200);
    const over = await ask(budget, { level: 'count', sex: 'male' });
    assert.equal(over.status, 403);
    assert.equal(over.body.code, 'budget_exhausted');
    assert.equal((await queryAudit(over)).outcome, 'budget_exhausted');
    const again = await ask(budget, { level: 'count' });
    assert.equal(again.status, 200, 'an answer already given costs nothing, even with the budget spent');

    for (const [projectId, code] of [[lockout, 'repeat_lockout'], [differencing, 'differencing_refused'], [budget, 'budget_exhausted']] as const) {
      const report = await w.http<{ queries: { refused: Record<string, number> }; log: { outcome: string; trueSize: number | null }[]; budget: { spent: number } }>(`/projects/${projectId}/report`, { token: board });
      assert.equal(report.body.queries.refused[code], 1, `${code} in the board's report`);
    }
    assert.equal((await w.http(`/projects/${budget}/report`, { token: researcher })).status, 403, 'reports are for the board');
  });

  it('refuses bad queries naming the field, never the value', async () => {
    const projectId = await approved();
    const unknownGene = await ask(projectId, { level: 'count', variant: { gene: 'NOTAGENE9' } });
    assert.equal(unknownGene.status, 400);
    assert.equal(unknownGene.body.code, 'invalid_request');
    assert.ok(!unknownGene.text.includes('NOTAGENE9'));
    const injection = await ask(projectId, { level: 'count', variant: { gene: "BRCA1' OR 1=1" } });
    assert.equal(injection.status, 400);
    assert.ok(!injection.text.includes('OR 1=1'));
    assert.match(injection.text, /body\.variant/);
    const both = await ask(projectId, { level: 'aggregate', variant: { gene: 'BRCA1' }, zygosity: ['het'] });
    assert.equal(both.status, 400);
    assert.match(both.text, /body\.zygosity/);
  });

  // last: it erases a sample for good
  it('a sample erased by the command line while the service runs is out of the next answer (count, and a gene\'s carriers)', async () => {
    const projectId = await approved();
    const before = await ask(projectId, { level: 'count' });
    const gene = await ask(projectId, { level: 'count', variant: { gene: 'BRCA1' } });
    const patientId = generalConsents()[1]!.patientId;
    const [sample] = w.service.vault.catalog.samplesOf(patientId);
    assert.ok(sample, 'the patient has a sample');
    const erased = await runCli(['erase-sample', '--sample-id', sample.sampleId, '--yes', '--data-dir', w.dataDir], { env: w.keyEnv });
    assert.equal(erased.code, 0, erased.stderr);
    // the cohort now differs from the one answered by one patient: refused as differencing, the true size audited
    const after = await ask(projectId, { level: 'count' });
    assert.equal(after.body.code, 'differencing_refused', after.text);
    assert.equal((await queryAudit(after)).counts?.true_cohort, (await queryAudit(before)).counts!.true_cohort! - 1, 'the patient has no sample left: not in the cohort');
    // a new project is answered on the cohort without them
    const fresh = await ask(await approved(), { level: 'count', variant: { gene: 'BRCA1' } });
    assert.equal(fresh.status, 200, fresh.text);
    assert.ok((await queryAudit(fresh)).counts!.true_cohort! <= (await queryAudit(gene)).counts!.true_cohort!, 'never more carriers than before');
    assert.ok(!w.service.vault.catalog.samplesOf(patientId).length, 'the service took the erasure in');
  });
});
