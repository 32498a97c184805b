// `genovault users` through the real CLI: the first admin is made on the host with an enrolment
// code (never a password or TOTP secret), redeems it there with `users enrol`, and logs in with
// what only they received; resets re-enrol; bad input is refused by name and changes nothing.
import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashTree } from '../../helpers/hash-tree.ts';
import { currentTotp } from '../../../vault/identity/totp.ts';
import { makeCliVault, printed, type CliVault } from './cli-vault-kit.ts';

const CODE_LABEL = /enrolment code \(shown once; hand it to the person, who redeems it\):/;
const SECRET_LABEL = /TOTP secret \(shown once; add it to an authenticator app\):/;
const ADMIN_PASSWORD = 'Root-admin-Passphrase-1';

describe('genovault users', function () {
  this.timeout(120_000);
  let v: CliVault;
  beforeEach(async () => {
    v = await makeCliVault();
  });
  afterEach(() => v.remove());

  /** `users add` then `users enrol` with the printed code, as the first admin does on a fresh vault. */
  async function addAndEnrol(role: string, username: string, password: string): Promise<{ added: string; secret: string }> {
    const added = await v.cli(['users', 'add', '--role', role, '--username', username]);
    assert.equal(added.code, 0, added.stderr);
    const enrolled = await v.cli(['users', 'enrol', '--username', username], { GENOVAULT_ENROLMENT_CODE: printed(added.stdout, CODE_LABEL), GENOVAULT_NEW_PASSWORD: password });
    assert.equal(enrolled.code, 0, enrolled.stderr);
    return { added: added.stdout, secret: printed(enrolled.stdout, SECRET_LABEL) };
  }

  it('creates the first admin with an enrolment code only; the admin enrols at the host and logs in; all audited', async () => {
    const r = await v.cli(['users', 'add', '--role', 'admin', '--username', 'Root.Admin']);
    assert.equal(r.code, 0, r.stderr);
    const code = printed(r.stdout, CODE_LABEL);
    assert.match(code, /^([A-Z2-7]{4}-){7}[A-Z2-7]{4}$/);
    assert.match(r.stdout, /genovault users enrol --data-dir \S+ --username root\.admin/);
    assert.match(r.stdout, /\/v1\/enrolments/);
    assert.doesNotMatch(r.stdout, /password \(generated|TOTP secret \(shown once|otpauth:/, 'no password or TOTP secret for whoever ran add');

    const list = await v.cli(['users', 'list']);
    assert.match(list.stdout, /^root\.admin\tacc_[0-9a-f]{16}\thuman\tadmin\tno\tnone\tenrolment-pending\t/m);
    assert.ok(!list.stdout.includes(code));

    const codeFile = join(v.root, 'code.txt');
    const passwordFile = join(v.root, 'pw.txt');
    await writeFile(codeFile, `${code.toLowerCase()}\n`, { mode: 0o600 });
    await writeFile(passwordFile, `${ADMIN_PASSWORD}\n`, { mode: 0o600 });
    const enrolled = await v.cli(['users', 'enrol', '--username', 'root.admin', '--code-file', codeFile, '--password-file', passwordFile]);
    assert.equal(enrolled.code, 0, enrolled.stderr);
    const secret = printed(enrolled.stdout, SECRET_LABEL);
    assert.match(enrolled.stdout, new RegExp(`otpauth://totp/GenoVault:root\\.admin\\?secret=${secret}`));
    assert.match(enrolled.stdout, new RegExp(`CODE=\\$\\(genovault totp ${secret}\\)`));
    assert.ok(!enrolled.stdout.includes(ADMIN_PASSWORD));
    const again = await v.cli(['users', 'enrol', '--username', 'root.admin', '--code-file', codeFile, '--password-file', passwordFile]);
    assert.equal(again.code, 1, 'the code is spent');
    assert.match(again.stderr, /the enrolment code is not valid/);

    const service = await v.openService();
    try {
      const login = await service.identity.login({ username: 'root.admin', password: ADMIN_PASSWORD, totp: currentTotp(secret) });
      assert.ok(login.ok, login.ok ? '' : login.reason);
      assert.deepEqual(login.principal.roles, ['admin']);
      const events = await service.audit.query({ limit: 20 });
      const actions = events.map((e) => `${e.body.action}:${e.body.decision}`);
      assert.ok(actions.includes('user.create:success') && actions.includes('enrolment.redeem:success') && actions.includes('enrolment.redeem:failure'), actions.join(' '));
      assert.ok(events.some((e) => e.body.action === 'user.create' && e.body.actorId === 'host' && e.body.reason === login.principal.accountId && e.body.flagged === true), 'a host creation needs no second person, and is flagged');
    } finally {
      await service.close();
    }
  });

  it('refuses a wrong code or a weak password at enrolment, by name, leaving the code usable', async () => {
    const added = await v.cli(['users', 'add', '--role', 'auditor,ethics_board', '--username', 'aud.one']);
    const code = printed(added.stdout, CODE_LABEL);
    const wrong = await v.cli(['users', 'enrol', '--username', 'aud.one'], { GENOVAULT_ENROLMENT_CODE: code.replace(/^.{4}/, 'AAAA'), GENOVAULT_NEW_PASSWORD: 'Audit-the-logs-77' });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /^error: the enrolment code is not valid/m);
    const weak = await v.cli(['users', 'enrol', '--username', 'aud.one'], { GENOVAULT_ENROLMENT_CODE: code, GENOVAULT_NEW_PASSWORD: 'short' });
    assert.equal(weak.code, 1);
    assert.match(weak.stderr, /password must have at least 12 characters/);
    const noPassword = await v.cli(['users', 'enrol', '--username', 'aud.one'], { GENOVAULT_ENROLMENT_CODE: code });
    assert.equal(noPassword.code, 2, 'no terminal to ask: says where to give it');
    assert.match(noPassword.stderr, /GENOVAULT_NEW_PASSWORD/);
    const ok = await v.cli(['users', 'enrol', '--username', 'aud.one'], { GENOVAULT_ENROLMENT_CODE: code, GENOVAULT_NEW_PASSWORD: 'Audit-the-logs-77' });
    assert.equal(ok.code, 0, ok.stderr);
    const service = await v.openService();
    try {
      const login = await service.identity.login({ username: 'aud.one', password: 'Audit-the-logs-77', totp: currentTotp(printed(ok.stdout, SECRET_LABEL)) });
      assert.ok(login.ok);
      assert.deepEqual(login.principal.roles, ['auditor', 'ethics_board']);
    } finally {
      await service.close();
    }
  });

  it('resets a staff account at the host: the old credentials stop working, the new code restores them', async () => {
    const { secret } = await addAndEnrol('clinician', 'dr.one', 'First-Passphrase-11');
    const reset = await v.cli(['users', 'reset', '--username', 'dr.one', '--credentials', 'totp']);
    assert.equal(reset.code, 0, reset.stderr);
    assert.match(reset.stdout, /reset totp of dr\.one .*sessions have ended/);
    const code = printed(reset.stdout, CODE_LABEL);
    const service = await v.openService();
    try {
      const refused = await service.identity.login({ username: 'dr.one', password: 'First-Passphrase-11', totp: currentTotp(secret) });
      assert.ok(!refused.ok && refused.reason === 'totp_not_enrolled');
    } finally {
      await service.close();
    }
    const enrolled = await v.cli(['users', 'enrol', '--username', 'dr.one'], { GENOVAULT_ENROLMENT_CODE: code });
    assert.equal(enrolled.code, 0, enrolled.stderr);
    const service2 = await v.openService();
    try {
      const login = await service2.identity.login({ username: 'dr.one', password: 'First-Passphrase-11', totp: currentTotp(printed(enrolled.stdout, SECRET_LABEL)) });
      assert.ok(login.ok, 'the kept password and the new TOTP secret log in');
      const resets = await service2.audit.query({ actorId: 'host', limit: 50 });
      assert.ok(resets.some((e) => e.body.action === 'credentials.reset' && e.body.decision === 'success'));
    } finally {
      await service2.close();
    }
    const bad = await v.cli(['users', 'reset', '--username', 'dr.one', '--credentials', 'everything']);
    assert.equal(bad.code, 2);
    const nobody = await v.cli(['users', 'reset', '--username', 'nobody']);
    assert.equal(nobody.code, 1);
    assert.match(nobody.stderr, /no such account/);
  });

  it('makes an EHR service account with an API token shown once', async () => {
    const r = await v.cli(['users', 'add', '--role', 'ehr_service', '--username', 'ehr']);
    assert.equal(r.code, 0, r.stderr);
    const token = printed(r.stdout, /API token \(shown once, keep it secret\):/);
    assert.doesNotMatch(r.stdout, /TOTP|password|enrolment code/);
    const service = await v.openService();
    try {
      assert.deepEqual(service.identity.authenticateToken(token)?.roles, ['ehr_service']);
      assert.equal(service.identity.authenticateToken(`${token}x`), null);
    } finally {
      await service.close();
    }
  });

  it('refuses an unknown role, a patient-linked role, a bad username and a missing subcommand, changing nothing', async () => {
    const before = await hashTree(v.dataDir);
    const badRole = await v.cli(['users', 'add', '--role', 'superuser', '--username', 'eve']);
    assert.equal(badRole.code, 2);
    assert.match(badRole.stderr, /--role: unknown role "superuser"; one of clinician, /);
    for (const role of ['patient', 'proxy', 'relative', 'researcher,patient']) {
      const personal = await v.cli(['users', 'add', '--role', role, '--username', 'pat.one']);
      assert.equal(personal.code, 2, role);
      assert.match(personal.stderr, /is made only by a patient enrolment/);
    }
    const oldFlag = await v.cli(['users', 'add', '--role', 'patient', '--username', 'pat.one', '--patient', 'MRN0000009']);
    assert.equal(oldFlag.code, 2);
    const badName = await v.cli(['users', 'add', '--role', 'admin', '--username', 'x!']);
    assert.equal(badName.code, 1);
    assert.match(badName.stderr, /username must be 3-64 characters/);
    const noSub = await v.cli(['users']);
    assert.equal(noSub.code, 2);
    assert.deepEqual(await hashTree(v.dataDir), before, 'refused input leaves the vault byte-for-byte as it was');
  });

  it('refuses a taken username', async () => {
    assert.equal((await v.cli(['users', 'add', '--role', 'clinician', '--username', 'dr.one'])).code, 0);
    const again = await v.cli(['users', 'add', '--role', 'researcher', '--username', 'DR.ONE']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /that username is taken/);
  });

  it('refuses to open the vault with a wrong master key', async () => {
    const { newMasterKey } = await import('../../../vault/crypto/master-key.ts');
    const r = await v.cli(['users', 'list'], { GENOVAULT_MASTER_KEY: newMasterKey('other').bytes.toString('base64') });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: .*(key|manifest)/im);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });
});
