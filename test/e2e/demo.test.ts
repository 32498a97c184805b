// `npm run demo` end to end (without serving): it builds the vault from nothing, prints the
// summary and the logins, and a printed login really works against the vault it built.
import { strict as assert } from 'node:assert';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { runCli, runNode, type CliResult } from '../helpers/run-cli.ts';
import { loadConfig } from '../../vault/config/load-config.ts';
import { openVaultService } from '../../vault/service/open-service.ts';
import { currentTotp } from '../../vault/identity/totp.ts';

const DEMO = fileURLToPath(new URL('../../vault/demo/run-demo.ts', import.meta.url));

function runDemo(args: string[]): Promise<CliResult> {
  return runNode(['--import', 'tsx', DEMO, ...args], { env: { GENOVAULT_MASTER_KEY: '', GENOVAULT_DEMO_NO_SERVE: '' } });
}

interface PrintedLogin {
  username: string;
  password: string;
  secret: string;
}

function loginOf(stdout: string, role: string): PrintedLogin {
  const match = new RegExp(`^  ${role} +(\\S+) +(\\S+) +([A-Z2-7]{32})$`, 'm').exec(stdout);
  assert.ok(match, `no login printed for ${role}`);
  return { username: match[1]!, password: match[2]!, secret: match[3]! };
}

describe('npm run demo', function () {
  this.timeout(180_000);
  let dir: { path: string; remove: () => Promise<void> };
  let out: string;
  let run: { code: number; stdout: string; stderr: string };
  before(async () => {
    dir = await makeTempDir('genovault-demo-');
    out = join(dir.path, 'demo');
    run = await runDemo(['--no-serve', '--out', out]);
  });
  after(() => dir.remove());

  it('builds the vault and prints the summary, the examples and a login for every role', () => {
    assert.equal(run.code, 0, run.stderr);
    const summary = /Demo population: (\d+) patients, (\d+) samples, ([\d,]+) calls in (\d+) sealed partitions/.exec(run.stdout);
    assert.ok(summary, run.stdout);
    assert.deepEqual([summary[1], summary[2]], ['229', '229'], '24 synthetic exomes, 5 real genomes, a research cohort of 200');
    assert.ok(Number(summary[3]!.replace(/,/g, '')) > 24 * 15_000, 'about 20,000 calls per synthetic exome');
    assert.match(run.stdout, /at rest: [\d.]+ MB, all of it encrypted/);
    assert.match(run.stdout, /^BRCA1 variants of patient p_[0-9a-f]{16} \(\d+\):$/m);
    assert.match(run.stdout, /^pathogenic or likely pathogenic variants of the same patient, all genes \([1-9]\d*\):$/m);
    assert.match(run.stdout, /^carriers of chr17:\d+:[ACGT]+:[ACGT]+ among the vault's \d+ GRCh38 samples covering it \([1-9]\):$/m);
    assert.match(run.stdout, /^allele counts over BRCA1 \(chr17:43044295-43125483, GRCh38\): [1-9]\d* variant sites across 224 samples \(left out: 5 on GRCh37, 0 not covering it\)/m);
    for (const role of ['admin', 'registrar', 'clinician', 'genetic_counselor', 'patient', 'proxy', 'relative', 'researcher', 'ethics_board', 'privacy_officer', 'insurer', 'external_recipient', 'auditor']) loginOf(run.stdout, role);
    assert.match(run.stdout, /^The demo enrolled every person itself: each account got a one-time enrolment code/m, 'the demo says it did each person\u2019s enrolment step');
    assert.match(run.stdout, /^ {2}ehr_service +demo\.ehr +API token: gvt_\S+$/m);
    assert.match(run.stdout, /CODE=\$\(npx genovault totp [A-Z2-7]{32}\)/);
    assert.match(run.stdout, /curl --cacert \S+ca-certificate\.pem -X POST https:\/\/localhost:8443\/v1\/sessions/);
    const project = /^Research project (rp_[0-9a-f]{16}) .*\n^approved by demo\.ethics_board for records answers/m.exec(run.stdout)?.[1];
    assert.ok(project, 'the demo research project is printed as approved');
    assert.match(run.stdout, new RegExp(`-d '\\{"level":"count",.*/v1/projects/${project}/cohort-queries$`, 'm'), 'a count to try');
    assert.match(run.stdout, new RegExp(`-d '\\{"level":"aggregate",.*/v1/projects/${project}/cohort-queries$`, 'm'), 'an aggregate to try');
    assert.match(run.stdout, new RegExp(`/v1/beacon/g_variants\\?geneId=TP53&assemblyId=GRCh38&requestedGranularity=count&datasetIds=${project}'`), 'a Beacon query to try');
    assert.match(run.stdout, /^Consents: every role permitted one thing and refused another/m, 'the consent trials are printed (test/e2e/demo-consents.test.ts runs them)');
    assert.match(run.stdout, /^ {2}gv_login demo\.insurer 'Insurer#Demo-[0-9a-f]{8}' [A-Z2-7]{32}$/m);
    assert.match(run.stdout, /^Not served \(--no-serve\)\. To serve it: npx genovault serve --data-dir \S+\/vault /m, 'says how to serve what it built');
  });

  it('prints logins that work: the clinician treats the focus patient, the patient account is that patient', async () => {
    const focus = /\/v1\/patients\/(p_[0-9a-f]{16})\/variants\?gene=BRCA1/.exec(run.stdout)?.[1];
    assert.ok(focus, 'the curl example names the focus patient');
    const dataDir = join(out, 'vault');
    const service = await openVaultService(loadConfig({ dataDir, masterKeyFile: join(out, 'vault.master-key'), logLevel: 'silent' }, {}));
    try {
      const clinician = loginOf(run.stdout, 'clinician');
      // from another client: this one would be asked to wait a second after a failure
      const denied = await service.identity.login({ username: clinician.username, password: `${clinician.password}!`, totp: currentTotp(clinician.secret) }, '10.0.0.2');
      assert.equal(denied.ok, false);
      const login = await service.identity.login({ username: clinician.username, password: clinician.password, totp: currentTotp(clinician.secret) });
      assert.ok(login.ok, login.ok ? '' : login.reason);
      const ask = (patientId: string) =>
        service.authorizer.authorize({ subject: { userId: login.principal.accountId, roles: login.principal.roles }, patientId, resource: 'variants', action: 'read', purpose: 'treatment' }, { requestId: 'demo-test' });
      assert.equal((await ask(focus)).allowed, true, 'on the focus patient\u2019s care team');
      const stranger = service.vault.catalog.data.patients.map((p) => p.patientId).find((id) => !service.clinical.isOnCareTeam(login.principal.accountId, id));
      assert.equal((await ask(stranger!)).allowed, false, 'not on every care team');
      assert.ok((await service.queries.variantsOfPatient(focus, { gene: 'BRCA1' })).variants.length > 0);

      const patient = loginOf(run.stdout, 'patient');
      const self = await service.identity.login({ username: patient.username, password: patient.password, totp: currentTotp(patient.secret) });
      assert.ok(self.ok);
      assert.equal(self.principal.patientId, focus);
      const record = service.clinical.get(focus);
      assert.ok(record && record.mrn === service.vault.catalog.patient(focus)?.mrn, 'records carry the ingested MRNs');

      // the patient, proxy and relative came from the registrar's patient enrolments, flagged for review
      const byName = (username: string) => service.identity.listAccounts().find((a) => a.username === username)!;
      const registrar = byName(loginOf(run.stdout, 'registrar').username);
      for (const role of ['patient', 'proxy', 'relative']) assert.equal(byName(loginOf(run.stdout, role).username).createdBy, registrar.accountId, role);
      assert.equal(service.clinical.relativeOf(byName(loginOf(run.stdout, 'relative').username).accountId, focus), 'sibling');
      const flagged = await service.audit.query({ flagged: true, resource: 'patient_account', limit: 100 });
      assert.equal(flagged.filter((e) => e.body.action === 'enrolment.issue').length, 3);
      assert.equal(flagged.filter((e) => e.body.action === 'enrolment.redeem').length, 3);
      assert.equal(flagged.filter((e) => e.body.action === 'enrolment.approve').length, 3, 'a second person confirmed each');
      // staff other than the first admin and privacy officer: created by the admin, approved by the privacy officer
      const admin = byName(loginOf(run.stdout, 'admin').username);
      const approvals = (await service.audit.query({ flagged: true, resource: 'account', limit: 100 })).filter((e) => e.body.action === 'enrolment.approve');
      assert.equal(approvals.length, 8);
      assert.ok(approvals.every((e) => e.body.actorId === byName(loginOf(run.stdout, 'privacy_officer').username).accountId));
      assert.equal(byName(loginOf(run.stdout, 'clinician').username).createdBy, admin.accountId);
      assert.equal(admin.createdBy, 'host');
    } finally {
      await service.close();
    }
    const verify = await runCli(['audit', 'verify', '--data-dir', dataDir], { env: { GENOVAULT_MASTER_KEY_FILE: join(out, 'vault.master-key') } });
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  });

  it('refuses to wipe a folder it did not make', async () => {
    const foreign = join(dir.path, 'foreign');
    await mkdir(foreign);
    await writeFile(join(foreign, 'keep.txt'), 'mine');
    const r = await runDemo(['--no-serve', '--out', foreign]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not empty and was not made by the demo; refusing to wipe it/);
    assert.equal(await readFile(join(foreign, 'keep.txt'), 'utf8'), 'mine');
  });
});
