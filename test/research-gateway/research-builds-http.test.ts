// One genome build per query, over HTTPS against a real vault: 25 synthetic exomes on GRCh38 whose
// patients consented to general research use (GRU) and 15 on GRCh37 whose patients consented to
// health research (HMB). A health-research project's consented cohort is on both builds: a query
// must name one, reads only that build's samples and says it left the others out. A general-research
// project's cohort is on GRCh38 alone: it needs no build named and has nothing to say about others.
import assert from 'node:assert/strict';
import { makeTempDir } from '../helpers/temp-dir.ts';
import type { HttpResult } from '../helpers/http-client.ts';
import { buildResearchWorld, type ResearchWorld } from './helpers/research-world.ts';

type Json = Record<string, unknown>;
const ON_GRCH38 = 25;
const ON_GRCH37 = 15;
const STUDY = { title: 'Builds', forProfit: false, commercial: false, sensitive: [], irb: 'IRB-2026-002', country: 'US', members: [], level: 'count', start: '2026-01-01', end: '2026-12-31' };

describe('research gateway over HTTPS: one build per query', function () {
  this.timeout(300_000);
  let dir: { path: string; remove: () => Promise<void> };
  let w: ResearchWorld;
  let researcher: string;
  let mixed: string;
  let single: string;
  before(async () => {
    dir = await makeTempDir();
    const grch37 = (i: number) => i >= ON_GRCH38;
    w = await buildResearchWorld(dir.path, { size: ON_GRCH38 + ON_GRCH37, buildOf: (i) => (grch37(i) ? 'GRCh37' : 'GRCh38'), consentOf: (i) => (grch37(i) ? ['DUO:0000006'] : ['DUO:0000042']) });
    researcher = await w.login('researcher');
    const board = await w.login('ethics');
    const approved = async (purpose: string[]) => {
      const proposed = await w.http<Json>('/projects', { method: 'POST', token: researcher, body: { ...STUDY, purpose } });
      const projectId = proposed.body.projectId as string;
      assert.equal((await w.http(`/projects/${projectId}/decision`, { method: 'POST', token: board, body: { decision: 'approve', reason: 'reviewed' } })).status, 200);
      return projectId;
    };
    mixed = await approved(['DUO:0000006']);
    single = await approved(['DUO:0000042']);
  });
  after(async () => {
    await w?.close();
    await dir?.remove();
  });

  const ask = (projectId: string, body: Json) => w.http<Json>(`/projects/${projectId}/cohort-queries`, { method: 'POST', token: researcher, body });
  async function queryAudit(response: HttpResult<unknown>) {
    const entries = (await w.auditOf(response)).map((e) => e.body).filter((e) => e.action === 'research.query');
    assert.equal(entries.length, 1);
    return entries[0]!;
  }
  const noteCodes = (body: Json) => (body.notes as { code: string }[]).map((n) => n.code);

  it('refuses a query naming no build when the consented samples are on several, naming the field, audited', async () => {
    const refused = await ask(mixed, { level: 'count' });
    assert.equal(refused.status, 400, refused.text);
    assert.equal(refused.body.code, 'assembly_required');
    assert.deepEqual((refused.body.errors as { path: string }[]).map((e) => e.path), ['body.assembly']);
    assert.equal(refused.body.count, undefined);
    assert.equal((await queryAudit(refused)).outcome, 'assembly_required');
  });

  it('reads only the named build, and the answer says the other build\u2019s samples were left out', async () => {
    const grch38 = await ask(mixed, { level: 'count', assembly: 'GRCh38' });
    assert.equal(grch38.status, 200, grch38.text);
    assert.equal((await queryAudit(grch38)).counts?.true_cohort, ON_GRCH38, 'only the GRCh38 samples');
    assert.deepEqual(noteCodes(grch38.body), ['samples_on_other_build']);

    const grch37 = await ask(mixed, { level: 'count', assembly: 'hg19' });
    assert.equal(grch37.status, 200, grch37.text);
    assert.equal((await queryAudit(grch37)).counts?.true_cohort, ON_GRCH37, 'only the GRCh37 samples (hg19 is its name too)');
    assert.deepEqual(noteCodes(grch37.body), ['samples_on_other_build']);
  });

  it('needs no build and adds no note when the consented samples are all on one', async () => {
    const answered = await ask(single, { level: 'count' });
    assert.equal(answered.status, 200, answered.text);
    assert.equal((await queryAudit(answered)).counts?.true_cohort, ON_GRCH38);
    assert.deepEqual(noteCodes(answered.body), []);
  });
});
