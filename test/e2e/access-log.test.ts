// A patient's access log over HTTPS after 1,000 refused requests by one account: the care-team
// clinician's accesses, before and after the flood, are still on the first page (the refusals
// collapse into one item with their count), and paging walks the whole trail once.
import { strict as assert } from 'node:assert';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { buildWorld, type World } from './service-world.ts';

interface Item {
  at: string;
  firstAt: string;
  count: number;
  who: string;
  action: string;
  resource: string;
  decision: string;
}

const FLOOD = 1000;
const CONCURRENCY = 20;

describe('the patient access log under a flood of refusals (HTTPS)', function () {
  this.timeout(300_000);
  let dir: { path: string; remove: () => Promise<void> };
  let w: World;
  let patient: string;

  before(async () => {
    dir = await makeTempDir();
    w = await buildWorld(dir.path, { https: true });
    const clinician = await w.login('clin_a');
    assert.equal((await w.http(`/patients/${w.patientA}/variants`, { token: clinician })).status, 200);
    const outsider = await w.login('clin_b');
    let sent = 0;
    const attacker = async () => {
      while (sent < FLOOD) {
        sent++;
        const r = await w.http(`/patients/${w.patientA}/variants`, { token: outsider });
        assert.equal(r.status, 404);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, attacker));
    assert.equal((await w.http(`/patients/${w.patientA}`, { token: clinician })).status, 200);
    patient = await w.login('pat_a');
  });
  after(async () => {
    await w?.close();
    await dir.remove();
  });

  const page = async (query: string) => {
    const r = await w.http<{ items: Item[]; nextCursor?: string }>(`/patients/${w.patientA}/access-log${query}`, { token: patient });
    assert.equal(r.status, 200, r.text);
    return r.body;
  };

  it('keeps the care-team clinician\u2019s accesses on the first page, the refusals collapsed into one item', async () => {
    const { items } = await page('');
    const clinicianReads = items.filter((i) => i.who === 'clin_a' && i.decision === 'permit');
    assert.deepEqual(clinicianReads.map((i) => i.resource).sort(), ['record', 'variants'], 'both reads, before and after the flood, are shown');
    const refusals = items.filter((i) => i.who === 'clin_b');
    assert.equal(refusals.length, 1, 'one item stands for every identical refusal');
    assert.equal(refusals[0]!.count, FLOOD);
    assert.ok(refusals[0]!.firstAt <= refusals[0]!.at);
  });

  it('pages through the whole trail, each entry once, newest first', async () => {
    const seen: Item[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const body = await page(`?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      assert.ok(body.items.length <= 1);
      seen.push(...body.items);
      cursor = body.nextCursor;
      pages++;
    } while (cursor !== undefined && pages < 50);
    const entries = (await w.service.audit.query({ patientId: w.patientA, limit: 10_000 })).filter((e) => !(e.body.actorId === w.accounts.pat_a!.accountId && e.body.resource === 'access_log'));
    assert.equal(seen.reduce((n, i) => n + i.count, 0), entries.length, 'the counts add up to the entries shown');
    assert.ok(pages < 20, `a flood takes one page, not ${FLOOD} (${pages} pages)`);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i - 1]!.at >= seen[i]!.at, 'newest first');
  });

  it('refuses a malformed cursor or limit, naming the field', async () => {
    for (const [query, field] of [['?cursor=abc', 'query.cursor'], ['?limit=0', 'query.limit'], ['?limit=5000', 'query.limit']] as const) {
      const r = await w.http(`/patients/${w.patientA}/access-log${query}`, { token: patient });
      assert.equal(r.status, 400, query);
      assert.equal((r.body.errors as { path: string }[])[0]?.path, field);
    }
  });
});
