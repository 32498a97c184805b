// SIGKILL the service in the middle of a load run: every request the client saw acknowledged
// (2xx) is in the audit log, the chain verifies, and the service restarts on the same log,
// keeping every entry it found and chaining new ones after them.
import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { buildFixtureVault, readFixtureAudit, type FixtureVault } from '../helpers/service-fixture.ts';
import { startChildServer, type ChildServer } from '../../bench/http/child-server.ts';
import { loginOverHttp } from '../../bench/http/http-login.ts';
import { variantsPath } from '../../bench/http/variant-load.ts';
import { TOTP_STEP_SECONDS } from '../../vault/identity/totp.ts';

const CLIENTS = 8;
const KILL_AFTER_MS = 2_000;
/** a bound on every client loop, whatever happens to the server */
const CLIENT_DEADLINE_MS = 15_000;

interface LoadOutcome {
  acknowledged: Set<string>;
  failed: number;
}

/** CLIENTS loops reading variants, each request under its own client id, until `stopped()` or the deadline. */
async function readUntilStopped(url: string, token: string, fixture: FixtureVault, stopped: () => boolean): Promise<LoadOutcome> {
  const outcome: LoadOutcome = { acknowledged: new Set(), failed: 0 };
  const target = `${url}${variantsPath(fixture.patientId, fixture.gene)}`;
  const deadline = Date.now() + CLIENT_DEADLINE_MS;
  const client = async (c: number) => {
    for (let n = 0; !stopped() && Date.now() < deadline; n++) {
      const requestId = `crash-${c}-${n}`;
      try {
        const response = await fetch(target, { headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId } });
        // acknowledged the moment a 2xx status arrives, before the body: the strictest reading
        if (response.status >= 200 && response.status < 300) outcome.acknowledged.add(requestId);
        await response.arrayBuffer();
      } catch {
        outcome.failed++; // the kill cut this one off; it was never acknowledged
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  return outcome;
}

describe('the service killed mid-load', function () {
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

  it('keeps every acknowledged request in a verifying audit chain, across SIGKILL and restart', async () => {
    child = await startChildServer(fixture);
    const running = child;
    const token = await loginOverHttp(running.url, fixture.clinician);
    let killed = false;
    const load = readUntilStopped(running.url, token, fixture, () => killed);
    await sleep(KILL_AFTER_MS);
    const exit = await running.kill();
    killed = true;
    child = undefined;
    const { acknowledged, failed } = await load;
    assert.equal(exit.signal, 'SIGKILL');
    assert.ok(acknowledged.size >= 20, `the load ran before the kill (${acknowledged.size} acknowledged)`);
    assert.ok(failed >= 1, 'requests were in flight when the server died');

    const afterKill = await readFixtureAudit(fixture);
    assert.equal(afterKill.report.ok, true, `audit chain verifies after SIGKILL: ${JSON.stringify(afterKill.report.firstBroken)}`);
    // the server makes its own request ids; the client's is kept beside them
    const audited = new Map(afterKill.entries.map((e) => [e.body.clientRequestId, e.body]));
    const missing = [...acknowledged].filter((id) => audited.get(id)?.decision !== 'permit');
    assert.deepEqual(missing, [], 'every acknowledged request has its permit in the audit log');

    // Restart on the same files: the log reopens (discarding any torn tail) and keeps chaining.
    child = await startChildServer(fixture);
    const secondToken = await loginOverHttp(child.url, fixture.clinician, Date.now() + TOTP_STEP_SECONDS * 1000);
    const after = await fetch(`${child.url}${variantsPath(fixture.patientId, fixture.gene)}`, { headers: { authorization: `Bearer ${secondToken}`, 'x-request-id': 'after-restart-1' } });
    assert.equal(after.status, 200);
    assert.deepEqual(await child.stop(), { code: 0, signal: null });
    child = undefined;

    const afterRestart = await readFixtureAudit(fixture);
    assert.equal(afterRestart.report.ok, true, `audit chain verifies after restart: ${JSON.stringify(afterRestart.report.firstBroken)}`);
    assert.equal(afterRestart.report.tornTail, undefined, 'the restart discarded any torn tail');
    const before = afterKill.entries.map((e) => `${e.seq}:${e.hash}`);
    assert.deepEqual(afterRestart.entries.slice(0, before.length).map((e) => `${e.seq}:${e.hash}`), before, 'every entry found after the kill is kept unchanged');
    const restarted = afterRestart.entries.find((e) => e.body.clientRequestId === 'after-restart-1');
    assert.equal(restarted?.body.decision, 'permit', 'the restarted service audits on the same chain');
    assert.ok(restarted.seq > before.length);
  });
});
