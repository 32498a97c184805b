// Host commands while the service is serving: the CLI's entries and the service's go into one
// audit chain that verifies, the two kinds interleave, and the service takes the CLI's entries
// into its own index (the patient's access log shows them).
import { strict as assert } from 'node:assert';
import pino from 'pino';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { runCli } from '../helpers/run-cli.ts';
import { buildFixtureVault, loginClinician, openFixtureService, readFixtureAudit, type FixtureVault } from '../helpers/service-fixture.ts';
import { buildVaultApp } from '../../vault/service/http-service.ts';
import { startServer } from '../../vault/http/start-server.ts';

const CLI_RUNS = 3;

describe('host commands and the service appending to one audit log', function () {
  this.timeout(180_000);
  let dir: { path: string; remove: () => Promise<void> };
  let fixture: FixtureVault;
  before(async () => {
    dir = await makeTempDir();
    fixture = await buildFixtureVault(dir.path, { variantsPerSample: 2_000 });
  });
  after(() => dir.remove());

  it('keeps one verifying chain while the CLI queries and the service answers reads at once', async () => {
    const service = await openFixtureService(fixture);
    const { app } = await buildVaultApp(service, pino({ level: 'silent' }), { tls: false });
    const server = await startServer(app, { host: '127.0.0.1', port: 0, plainHttp: true });
    try {
      const mrn = service.vault.catalog.patient(fixture.patientId)!.mrn;
      const token = await loginClinician(service, fixture);
      const env = { GENOVAULT_DATA_DIR: fixture.dataDir, GENOVAULT_MASTER_KEY: fixture.masterKeyBase64 };
      const commands = [['variants', '--patient', mrn, '--gene', fixture.gene], ['allele-counts', '--region', 'chr17:1-80000000'], ['variants', '--patient', mrn]];
      let cliDone = false;
      const cli = Promise.all(commands.slice(0, CLI_RUNS).map((args) => runCli(args, { env }))).finally(() => (cliDone = true));
      let reads = 0;
      const reader = async () => {
        while (!cliDone) {
          const r = await fetch(`${server.url}/v1/patients/${fixture.patientId}/variants?gene=${fixture.gene}`, { headers: { authorization: `Bearer ${token}` } });
          assert.equal(r.status, 200);
          await r.arrayBuffer();
          reads++;
        }
      };
      await Promise.all([reader(), reader(), cli]);
      for (const r of await cli) assert.equal(r.code, 0, r.stderr);
      assert.ok(reads > 10, `the service answered reads meanwhile (${reads})`);

      // the next append catches up with the CLI's entries: the patient's trail in the service shows them
      const last = await fetch(`${server.url}/v1/patients/${fixture.patientId}`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(last.status, 200);
      const hostEntries = await service.audit.query({ patientId: fixture.patientId, limit: 10_000 });
      assert.equal(hostEntries.filter((e) => e.body.actorId?.startsWith('os:') && e.body.command === 'variants').length, 2, 'the service indexed the CLI entries');
    } finally {
      await server.close(1000);
      await service.close();
    }

    const { report, entries } = await readFixtureAudit(fixture);
    assert.equal(report.ok, true, `one chain: ${JSON.stringify(report.firstBroken)}`);
    const host = entries.filter((e) => e.body.actorRoles.includes('host'));
    assert.equal(host.length, CLI_RUNS);
    const served = entries.filter((e) => e.body.decision === 'permit');
    assert.ok(host.some((h) => served.some((s) => s.seq > h.seq)) && host.some((h) => served.some((s) => s.seq < h.seq)), 'host and service entries interleave in the chain');
    const verify = await runCli(['audit', 'verify'], { env: { GENOVAULT_DATA_DIR: fixture.dataDir, GENOVAULT_MASTER_KEY: fixture.masterKeyBase64 } });
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  });
});
