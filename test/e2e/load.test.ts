// Under load from autocannon (this process) against the service in a child process on loopback,
// the service keeps answering, every answered read (permitted or refused) is in the audit log,
// and the chain verifies afterwards.
import { strict as assert } from 'node:assert';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { buildFixtureVault, readFixtureAudit, type FixtureVault } from '../helpers/service-fixture.ts';
import { startChildServer, type ChildServer } from '../../bench/http/child-server.ts';
import { loginOverHttp } from '../../bench/http/http-login.ts';
import { runVariantLoad, variantsPath } from '../../bench/http/variant-load.ts';

const LOAD_SECONDS = 5;

describe('the service under load', function () {
  this.timeout(60_000);
  let dir: { path: string; remove: () => Promise<void> };
  let fixture: FixtureVault;
  let child: ChildServer | undefined;

  before(async () => {
    dir = await makeTempDir();
    fixture = await buildFixtureVault(dir.path);
  });
  afterEach(async () => {
    await child?.kill();
    child = undefined;
  });
  after(() => dir.remove());

  it('answers every read, audits each permit and refusal, and the chain verifies after a graceful stop', async () => {
    child = await startChildServer(fixture);
    const token = await loginOverHttp(child.url, fixture.clinician);
    const outsiderToken = await loginOverHttp(child.url, fixture.outsider);
    const probe = await fetch(`${child.url}${variantsPath(fixture.patientId, fixture.gene)}`, { headers: { authorization: `Bearer ${token}` } });
    const probeBody = (await probe.json()) as { variants: { pos: number }[] };
    assert.equal(probe.status, 200);
    assert.equal(probeBody.variants.length, fixture.variantsInGene, 'the read under load returns real rows');

    // a care-team clinician and, at the same time, a clinician outside the care team
    const common = { url: child.url, patientId: fixture.patientId, gene: fixture.gene, durationSeconds: LOAD_SECONDS };
    const [permitted, refused] = await Promise.all([runVariantLoad({ ...common, token, connections: 8 }), runVariantLoad({ ...common, token: outsiderToken, connections: 2 })]);
    for (const load of [permitted, refused]) {
      assert.equal(load.errors, 0, 'no connection errors');
      assert.equal(load.timeouts, 0, 'no timeouts');
    }
    assert.equal(permitted.non2xx, 0, 'every permitted read is 2xx');
    assert.ok(permitted.ok2xx >= LOAD_SECONDS * 10, `the service kept answering (${permitted.ok2xx} reads)`);
    assert.deepEqual(Object.keys(refused.statusCounts), ['404'], 'every refused read is a 404, under load too');
    const refusals = refused.statusCounts['404'] ?? 0;
    assert.ok(refusals >= LOAD_SECONDS * 2, `the refused client kept getting answers (${refusals})`);

    const exit = await child.stop();
    child = undefined;
    assert.deepEqual(exit, { code: 0, signal: null }, 'the server stops gracefully');

    const { report, entries } = await readFixtureAudit(fixture);
    assert.equal(report.ok, true, `audit chain verifies: ${JSON.stringify(report.firstBroken)}`);
    assert.equal(report.tornTail, undefined, 'a graceful stop leaves no torn tail');
    assert.equal(report.beyondAnchor, 0, 'the anchor covers every entry');
    assert.equal(report.entries, entries.length);
    const reads = entries.filter((e) => e.body.patientId === fixture.patientId && e.body.resource === 'variants' && e.body.action === 'read');
    const byActor = (accountId: string, decision: string) => reads.filter((e) => e.body.actorId === accountId && e.body.decision === decision);
    // the probe read is one permit more than autocannon counted
    const permits = byActor(fixture.clinician.accountId, 'permit');
    assert.ok(permits.length >= permitted.ok2xx + 1, `every answered read is audited: ${permits.length} permits for ${permitted.ok2xx + 1} reads`);
    const denials = byActor(fixture.outsider.accountId, 'deny');
    assert.ok(denials.length >= refusals, `every refusal is audited: ${denials.length} denials for ${refusals} refusals`);
    assert.deepEqual(byActor(fixture.outsider.accountId, 'permit'), [], 'the outsider was never permitted');
    assert.deepEqual(byActor(fixture.clinician.accountId, 'deny'), [], 'the care-team clinician was never refused');
    const requestIds = new Set(reads.map((e) => e.body.requestId));
    assert.equal(requestIds.size, reads.length, 'each request is audited once, under its own request id');
  });
});
