// `genovault users` through the real CLI: the first admin made on the host can log in with what
// was printed once; bad input is refused by name and leaves the vault as it was.
import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashTree } from '../../helpers/hash-tree.ts';
import { currentTotp } from '../../../vault/identity/totp.ts';
import { makeCliVault, printed, type CliVault } from './cli-vault-kit.ts';

const SECRET_LABEL = /TOTP secret \(shown once; add it to an authenticator app\):/;

describe('genovault users', function () {
  this.timeout(120_000);
  let v: CliVault;
  beforeEach(async () => {
    v = await makeCliVault();
  });
  afterEach(() => v.remove());

  it('creates the first admin with a generated password and TOTP secret that log in, and audits it', async () => {
    const r = await v.cli(['users', 'add', '--role', 'admin', '--username', 'Root.Admin']);
    assert.equal(r.code, 0, r.stderr);
    const password = printed(r.stdout, /password \(generated, shown once\):/);
    const secret = printed(r.stdout, SECRET_LABEL);
    assert.match(r.stdout, new RegExp(`otpauth://totp/GenoVault:root\\.admin\\?secret=${secret}`));
    assert.match(r.stdout, new RegExp(`CODE=\\$\\(genovault totp ${secret}\\)`));
    assert.ok(password.length >= 20);

    const list = await v.cli(['users', 'list']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^root\.admin\tacc_[0-9a-f]{16}\thuman\tadmin\t\.\tpending\tactive\t/m);
    assert.ok(!list.stdout.includes(password) && !list.stdout.includes(secret), 'a listing never shows secrets');

    const service = await v.openService();
    try {
      // from another client: this one would be asked to wait a second after a failure
      const wrong = await service.identity.login({ username: 'root.admin', password: `${password}x`, totp: currentTotp(secret) }, '10.0.0.2');
      assert.equal(wrong.ok, false);
      const login = await service.identity.login({ username: 'root.admin', password, totp: currentTotp(secret) });
      assert.ok(login.ok, login.ok ? '' : login.reason);
      assert.deepEqual(login.principal.roles, ['admin']);
      assert.equal(service.identity.getAccount(login.principal.accountId)?.totp, 'confirmed', 'the first login confirms the TOTP secret');
      const events = await service.audit.query({ limit: 10 });
      assert.ok(events.some((e) => e.body.action === 'user.create' && e.body.actorId === 'host' && e.body.reason === login.principal.accountId));
    } finally {
      await service.close();
    }
  });

  it('takes the password from --password-file (first line) or GENOVAULT_NEW_PASSWORD, and never prints it', async () => {
    const file = join(v.root, 'pw.txt');
    await writeFile(file, 'Counsel-me-4-tests\nsecond line ignored\n', { mode: 0o600 });
    const fromFile = await v.cli(['users', 'add', '--role', 'genetic_counselor', '--username', 'gc.one', '--password-file', file]);
    assert.equal(fromFile.code, 0, fromFile.stderr);
    const fromEnv = await v.cli(['users', 'add', '--role', 'auditor,ethics_board', '--username', 'aud.one'], { GENOVAULT_NEW_PASSWORD: 'Audit-the-logs-77' });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    for (const r of [fromFile, fromEnv]) {
      assert.doesNotMatch(r.stdout, /password \(generated/);
      assert.ok(!r.stdout.includes('Counsel-me-4-tests') && !r.stdout.includes('Audit-the-logs-77'));
    }
    const service = await v.openService();
    try {
      const a = await service.identity.login({ username: 'gc.one', password: 'Counsel-me-4-tests', totp: currentTotp(printed(fromFile.stdout, SECRET_LABEL)) });
      const b = await service.identity.login({ username: 'aud.one', password: 'Audit-the-logs-77', totp: currentTotp(printed(fromEnv.stdout, SECRET_LABEL)) });
      assert.ok(a.ok && b.ok);
      assert.deepEqual(b.principal.roles, ['auditor', 'ethics_board']);
    } finally {
      await service.close();
    }
  });

  it('makes an EHR service account with an API token shown once', async () => {
    const r = await v.cli(['users', 'add', '--role', 'ehr_service', '--username', 'ehr']);
    assert.equal(r.code, 0, r.stderr);
    const token = printed(r.stdout, /API token \(shown once, keep it secret\):/);
    assert.doesNotMatch(r.stdout, /TOTP|password/);
    const service = await v.openService();
    try {
      assert.deepEqual(service.identity.authenticateToken(token)?.roles, ['ehr_service']);
      assert.equal(service.identity.authenticateToken(`${token}x`), null);
    } finally {
      await service.close();
    }
  });

  it('refuses an unknown role, a weak password, a bad username and a patient account without a patient, changing nothing', async () => {
    const before = await hashTree(v.dataDir);
    const badRole = await v.cli(['users', 'add', '--role', 'superuser', '--username', 'eve']);
    assert.equal(badRole.code, 2);
    assert.match(badRole.stderr, /--role: unknown role "superuser"; one of clinician, /);
    const weak = await v.cli(['users', 'add', '--role', 'admin', '--username', 'weak.admin'], { GENOVAULT_NEW_PASSWORD: 'short' });
    assert.equal(weak.code, 1);
    assert.match(weak.stderr, /^error: password must have at least 12 characters/m);
    const common = await v.cli(['users', 'add', '--role', 'admin', '--username', 'weak.admin'], { GENOVAULT_NEW_PASSWORD: 'weak.admin-Pass1' });
    assert.equal(common.code, 1);
    assert.match(common.stderr, /password must not contain the username/);
    const badName = await v.cli(['users', 'add', '--role', 'admin', '--username', 'x!']);
    assert.equal(badName.code, 1);
    assert.match(badName.stderr, /username must be 3-64 characters/);
    const noPatient = await v.cli(['users', 'add', '--role', 'patient', '--username', 'pat.one']);
    assert.equal(noPatient.code, 2);
    assert.match(noPatient.stderr, /needs --patient MRN/);
    const noSub = await v.cli(['users']);
    assert.equal(noSub.code, 2);
    assert.deepEqual(await hashTree(v.dataDir), before, 'refused input leaves the vault byte-for-byte as it was');
  });

  it('refuses a taken username and a patient MRN the vault does not know', async () => {
    assert.equal((await v.cli(['users', 'add', '--role', 'clinician', '--username', 'dr.one'])).code, 0);
    const again = await v.cli(['users', 'add', '--role', 'researcher', '--username', 'DR.ONE']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /that username is taken/);
    const before = await hashTree(v.dataDir);
    const unknown = await v.cli(['users', 'add', '--role', 'patient', '--username', 'pat.two', '--patient', 'MRN9999999']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no patient with that MRN/);
    assert.ok(!unknown.stderr.includes('MRN9999999'), 'the MRN is not echoed');
    assert.deepEqual(await hashTree(v.dataDir), before);
  });

  it('links a patient account to the patient its MRN names', async () => {
    const vcf = fileURLToPath(new URL('../../fixtures/conformance/examples/simple.vcf', import.meta.url));
    const ingest = await v.cli(['ingest', '--patient', 'MRN0000009', '--sample', 'NA00001', vcf]);
    assert.equal(ingest.code, 0, ingest.stderr);
    const r = await v.cli(['users', 'add', '--role', 'patient', '--username', 'pat.nine', '--patient', 'MRN0000009'], { GENOVAULT_NEW_PASSWORD: 'My-own-genome-99' });
    assert.equal(r.code, 0, r.stderr);
    const service = await v.openService();
    try {
      const login = await service.identity.login({ username: 'pat.nine', password: 'My-own-genome-99', totp: currentTotp(printed(r.stdout, SECRET_LABEL)) });
      assert.ok(login.ok);
      assert.equal(login.principal.patientId, service.vault.catalog.patientByMrn('MRN0000009')?.patientId);
    } finally {
      await service.close();
    }
  });

  it('refuses to open the vault with a wrong master key', async () => {
    const { newMasterKey } = await import('../../../vault/crypto/master-key.ts');
    const r = await v.cli(['users', 'list'], { GENOVAULT_MASTER_KEY: newMasterKey('other').bytes.toString('base64') });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: .*(key|manifest)/im);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });
});
