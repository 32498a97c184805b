// Finding: an admin read any patient by creating a login for them (POST /v1/users with role
// patient and a patient id returned the TOTP secret to the admin; a proxy account and PUT
// .../proxies did the same). Replayed over HTTPS against a real server with the vault's CA: an
// admin never receives a credential and never makes a patient-linked account; people enrol
// themselves with one-time codes that registration staff or a counsellor issue after proofing
// their identity (a first half; a second person confirms and issues the other); each such step
// is flagged for the privacy officer and the ethics board.
import { strict as assert } from 'node:assert';
import type { HttpResult } from '../helpers/http-client.ts';
import { worldForSuite, type World } from './service-world.ts';

const NEW_PASSWORD = 'My-own-Passphrase-2026';
type Issued = { enrolmentId: string; code: string; expiresAt: string; half: string };
type Redeemed = { account: { accountId: string; username: string; roles: string[] }; totp?: { secret: string; uri: string } };

describe('enrolment instead of admin-made credentials (HTTPS)', function () {
  this.timeout(120_000);
  const suite = worldForSuite({ https: true });
  let w: World;
  before(() => (w = suite.w));

  const redeem = (body: Record<string, unknown>) => w.http<Redeemed & Record<string, unknown>>('/enrolments', { method: 'POST', body });
  const loginWith = (username: string, password: string, secret: string) => w.attemptLogin(username, password, secret);
  const flaggedEntries = async (response: HttpResult<unknown>) => (await w.auditOf(response)).filter((e) => e.body.flagged === true);

  it('refuses an admin creating a patient, proxy or relative account, audited and flagged', async () => {
    const admin = await w.login('admin');
    for (const role of ['patient', 'proxy', 'relative']) {
      const r = await w.http('/users', { method: 'POST', token: admin, body: { username: `fake.${role}`, roles: [role] } });
      assert.equal(r.status, 403, role);
      assert.equal(r.body.code, 'patient_link_requires_enrolment');
      const [entry] = await flaggedEntries(r);
      assert.equal(entry?.body.action, 'user.create');
      assert.equal(entry?.body.decision, 'failure');
    }
    const old = await w.http('/users', { method: 'POST', token: admin, body: { username: 'fake.patient', roles: ['patient'], patientId: w.patientA, password: NEW_PASSWORD } });
    assert.equal(old.status, 400, 'the old body (patientId, password) is refused by name');
    assert.ok(!w.service.identity.listAccounts().some((a) => a.username.startsWith('fake.')));
    const link = await w.http(`/patients/${w.patientA}/proxies/${w.accounts.clin_b!.accountId}`, { method: 'PUT', token: admin });
    assert.equal(link.status, 405, 'no route links a proxy by hand');
  });

  it('gives an admin creating a clinician no password or TOTP secret, and nothing it received logs in as that clinician', async () => {
    const created = await w.http<{ account: { accountId: string; totp: string }; enrolment: Issued }>('/users', { method: 'POST', token: await w.login('admin'), body: { username: 'dr.new', roles: ['clinician'] } });
    assert.equal(created.status, 201);
    assert.deepEqual(Object.keys(created.body).sort(), ['account', 'enrolment']);
    assert.deepEqual(Object.keys(created.body.enrolment).sort(), ['approverRoles', 'code', 'enrolmentId', 'expiresAt', 'half']);
    assert.equal(created.body.account.totp, 'none', 'no TOTP secret exists yet, so none can have been handed out');
    assert.doesNotMatch(created.text, /password|secret|otpauth/i);
    const { code } = created.body.enrolment;
    for (const attempt of [{ password: code }, { password: code, totp: code.replace(/\D/g, '').slice(0, 6).padEnd(6, '0') }, { password: code.replace(/-/g, '') }]) {
      w.clock.now += 31_000; // past the wait the login throttle asks for after a failure
      const r = await w.http('/sessions', { method: 'POST', body: { username: 'dr.new', ...attempt } });
      assert.equal(r.status, 401, JSON.stringify(attempt));
    }
    // the privacy officer approves; the person redeems both halves and logs in
    const mine = await redeem({ username: 'dr.new', code, secondCode: await w.secondHalf(created.body.enrolment.enrolmentId), newPassword: NEW_PASSWORD });
    assert.equal(mine.status, 201, mine.text);
    assert.deepEqual(mine.body.account.roles, ['clinician']);
    assert.equal((await loginWith('dr.new', NEW_PASSWORD, mine.body.totp!.secret)).status, 201);
  });

  it('spends a code once, expires it, voids it after repeated wrong tries, and answers every refusal alike, audited', async () => {
    const admin = await w.login('admin');
    /** both halves: the admin's, and the privacy officer's */
    const issue = async (username: string) => {
      const { enrolmentId, code } = (await w.http<{ enrolment: Issued }>('/users', { method: 'POST', token: admin, body: { username, roles: ['researcher'] } })).body.enrolment;
      return { code, secondCode: await w.secondHalf(enrolmentId) };
    };
    const once = await issue('res.once');
    assert.equal((await redeem({ username: 'res.once', ...once, newPassword: NEW_PASSWORD })).status, 201);
    const refusals = [await redeem({ username: 'res.once', ...once, newPassword: NEW_PASSWORD })];

    const guessed = await issue('res.guess');
    const wrong = guessed.secondCode.slice(0, -1) + (guessed.secondCode.endsWith('A') ? 'B' : 'A');
    for (let i = 0; i < 5; i++) refusals.push(await redeem({ username: 'res.guess', code: guessed.code, secondCode: wrong, newPassword: NEW_PASSWORD }));
    refusals.push(await redeem({ username: 'res.guess', ...guessed, newPassword: NEW_PASSWORD }));
    refusals.push(await redeem({ username: 'someone.else', code: 'AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA', newPassword: NEW_PASSWORD }));

    const late = await issue('res.late');
    w.clock.now += 72 * 3_600_000 + 1;
    refusals.push(await redeem({ username: 'res.late', ...late, newPassword: NEW_PASSWORD }));

    for (const r of refusals) {
      assert.equal(r.status, 400);
      assert.equal(r.body.code, 'enrolment_failed');
      assert.equal(r.body.detail, refusals[0]!.body.detail, 'one message for every refusal');
    }
    const reasons = await Promise.all(
      refusals.map(async (r) => (await w.auditOf(r)).find((e) => e.body.action === 'enrolment.redeem')?.body.reason?.split(' ')[0]),
    );
    assert.deepEqual(reasons, ['redeemed', 'wrong_code', 'wrong_code', 'wrong_code', 'wrong_code', 'wrong_code', 'voided', 'unknown_code', 'expired']);
    const voided = (await w.service.audit.query({ limit: 10_000 })).filter((e) => e.body.action === 'enrolment.void');
    assert.equal(voided.length, 1, 'the fifth wrong try voided the code, and that is audited');
    assert.ok(!refusals.some((r) => r.text.includes(wrong) || r.text.includes(guessed.code) || r.text.includes(guessed.secondCode)), 'no code echoed');
  });

  it('lets registration staff and a counsellor on the care team issue patient enrolments; refuses admins, clinicians and others', async () => {
    const body = { role: 'proxy', evidence: 'health care power of attorney, scanned ref. 77' };
    for (const user of ['admin', 'clin_a', 'auditor', 'pat_a', 'privacy']) {
      const r = await w.http(`/patients/${w.patientA}/enrolments`, { method: 'POST', token: await w.login(user), body });
      assert.equal(r.status, 404, user);
      assert.equal((await w.auditOf(r))[0]?.body.decision, 'deny');
    }
    const counselor = await w.login('counselor');
    assert.equal((await w.http(`/patients/${w.patientA}/enrolments`, { method: 'POST', token: counselor, body })).status, 201, 'on the care team of A');
    assert.equal((await w.http(`/patients/${w.patientB}/enrolments`, { method: 'POST', token: counselor, body })).status, 404, 'not on the care team of B');
    const registrar = await w.login('registrar');
    assert.equal((await w.http(`/patients/${w.patientB}/enrolments`, { method: 'POST', token: registrar, body })).status, 201);
    assert.equal((await w.http(`/patients/${w.patientB}/enrolments`, { method: 'POST', token: registrar, body: { role: 'proxy' } })).status, 400, 'evidence is required');
    const second = await w.http(`/patients/${w.patientA}/enrolments`, { method: 'POST', token: registrar, body: { role: 'patient', evidence: 'passport' } });
    assert.equal(second.status, 409, 'patient A already has an account of their own');
  });

  it('enrols a patient end to end: issued in person, redeemed by the patient, who logs in to their own record; flagged for oversight', async () => {
    const registrar = await w.login('registrar');
    const issued = await w.http<Issued>(`/patients/${w.patientB}/enrolments`, { method: 'POST', token: registrar, body: { role: 'patient', evidence: 'passport checked at the front desk' } });
    assert.equal(issued.status, 201, issued.text);
    assert.match(issued.body.code, /^([A-Z2-7]{4}-){7}[A-Z2-7]{4}$/);
    assert.equal(issued.body.half, 'first');
    const secondCode = await w.secondHalf(issued.body.enrolmentId);
    const weak = await redeem({ username: 'grace.b', code: issued.body.code, secondCode, newPassword: 'short' });
    assert.equal(weak.status, 400);
    assert.equal((weak.body as unknown as { errors: { path: string }[] }).errors[0]?.path, 'body.newPassword');
    const mine = await redeem({ username: 'grace.b', code: issued.body.code.toLowerCase(), secondCode, newPassword: NEW_PASSWORD });
    assert.equal(mine.status, 201, mine.text);
    assert.deepEqual(mine.body.account.roles, ['patient']);
    const session = await loginWith('grace.b', NEW_PASSWORD, mine.body.totp!.secret);
    assert.equal(session.status, 201);
    const token = session.body.token;
    assert.equal((await w.http(`/patients/${w.patientB}`, { token })).status, 200);
    assert.equal((await w.http(`/patients/${w.patientA}`, { token })).status, 404);

    for (const reviewer of ['privacy', 'ethics']) {
      const events = await w.http<{ items: { action: string; patientId: string; decision: string; flagged: boolean }[] }>('/audit/events?flagged=true&resource=patient_account&limit=1000', { token: await w.login(reviewer) });
      assert.equal(events.status, 200, reviewer);
      const about = events.body.items.filter((e) => e.patientId === w.patientB && e.decision === 'success');
      assert.ok(about.some((e) => e.action === 'enrolment.issue'), `${reviewer} sees who issued the code`);
      assert.ok(about.some((e) => e.action === 'enrolment.approve'), `${reviewer} sees who confirmed it`);
      assert.ok(about.some((e) => e.action === 'enrolment.redeem'), `${reviewer} sees when it was redeemed`);
    }
    assert.equal((await w.http('/audit/events?flagged=true', { token: await w.login('clin_a') })).status, 403);
  });

  it('links a proxy only through enrolment, and lets registration staff remove one, audited and flagged', async () => {
    const registrar = await w.login('registrar');
    const issued = await w.http<Issued>(`/patients/${w.patientB}/enrolments`, { method: 'POST', token: registrar, body: { role: 'proxy', evidence: 'guardianship order 2026-5' } });
    const mine = await redeem({ username: 'guardian.b', code: issued.body.code, secondCode: await w.secondHalf(issued.body.enrolmentId), newPassword: NEW_PASSWORD });
    assert.equal(mine.status, 201);
    const proxyToken = (await loginWith('guardian.b', NEW_PASSWORD, mine.body.totp!.secret)).body.token;
    assert.equal((await w.http(`/patients/${w.patientB}`, { token: proxyToken })).status, 200);
    const path = `/patients/${w.patientB}/proxies/${mine.body.account.accountId}`;
    assert.equal((await w.http(path, { method: 'DELETE', token: await w.login('admin') })).status, 404, 'not an admin path');
    const removed = await w.http(path, { method: 'DELETE', token: registrar });
    assert.equal(removed.status, 204);
    assert.equal((await w.http(`/patients/${w.patientB}`, { token: proxyToken })).status, 404);
    assert.equal((await flaggedEntries(removed))[0]?.body.action, 'proxy.remove');
  });
});
