// Replays, over HTTPS with the vault's own CA, the two ways the review turned lockout against
// users and the guess it must still stop: an attacker failing against a clinician's username
// locks only their own client out, and the clinician logs in from theirs; a guess spread over
// many client addresses is held back once the account's hourly failure limit is reached, while
// the clinician still logs in. Redeeming enrolment codes counts against the same per-client
// limit. Client addresses are loopback addresses (127.0.0.x).
import { strict as assert } from 'node:assert';
import { PASSWORD, worldForSuite, type World } from './service-world.ts';

describe('login throttling against a victim (HTTPS)', function () {
  this.timeout(120_000);
  // an hourly limit of 8 failures per account (default 100), so the distributed guess stays short
  const suite = worldForSuite({ https: true, config: { loginAccountFailuresPerHour: '8' } });
  let w: World;
  before(() => (w = suite.w));

  const guess = (username: string, from: string, password = 'Not-the-password-1') =>
    w.http('/sessions', { method: 'POST', localAddress: from, body: { username, password, totp: '123456' } });
  const auditOf = async (accountId: string) => (await w.service.audit.query({ actorId: accountId, limit: 1000 })).map((e) => e.body);

  it('locks the attacking client out after five failures, and the clinician still logs in and reads from their own', async () => {
    const victim = w.accounts.clin_a!;
    for (let i = 0; i < 5; i++) {
      const r = await guess('clin_a', '127.0.0.2');
      assert.equal(r.status, 401, r.text);
      assert.equal(r.body.code, 'login_failed');
      const early = await guess('clin_a', '127.0.0.2');
      assert.equal(early.status, 429, 'a guess before the wait is over is refused unchecked');
      assert.match(early.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.ok(Number(early.headers.get('retry-after')) >= 1);
      w.clock.now += 10_000; // 10 s: past the 1, 2, 4, 8 s waits
    }
    const locked = await w.http('/sessions', { method: 'POST', localAddress: '127.0.0.2', body: { username: 'clin_a', password: PASSWORD, totp: '000000' } });
    assert.equal(locked.status, 429, 'locked out, whatever it sends');
    assert.equal(Number(locked.headers.get('retry-after')), 15 * 60 - 10, 'until 15 min after the fifth failure');
    assert.equal(locked.body.code, 'login_throttled');
    assert.ok(!locked.text.includes('clin_a') && !/lock/i.test(String(locked.body.detail)), 'says nothing about the account');

    const token = await w.login('clin_a', PASSWORD, { localAddress: '127.0.0.3' });
    assert.equal((await w.http(`/patients/${w.patientA}/variants`, { token })).status, 200);

    const audit = await auditOf(victim.accountId);
    assert.equal(audit.filter((e) => e.action === 'login' && e.decision === 'failure' && e.reason === 'bad_password').length, 5);
    assert.ok(audit.some((e) => e.action === 'lockout' && e.reason === 'too_many_failures'));
    assert.ok(audit.some((e) => e.action === 'login.throttle' && e.decision === 'deny' && e.reason === 'client_account_locked'));
    assert.ok(audit.some((e) => e.action === 'login' && e.decision === 'success' && e.sourceAddress === '127.0.0.3'));
    assert.ok(
      audit.filter((e) => e.action === 'login' && e.decision === 'failure').every((e) => e.sourceAddress === '127.0.0.2'),
      'each failure names the address it came from',
    );
  });

  it('holds a guess spread over many addresses to the hourly limit, and the counselor still logs in', async () => {
    const victim = w.accounts.counselor!;
    const attackers = ['127.0.0.20', '127.0.0.21', '127.0.0.22', '127.0.0.23'];
    for (let round = 0; round < 2; round++) {
      for (const from of attackers) assert.equal((await guess('counselor', from)).status, 401);
      w.clock.now += 10_000;
    }
    // eight failures: every address that has failed is now held back, though under its own limits
    for (const from of attackers) {
      const r = await guess('counselor', from);
      assert.equal(r.status, 429, `${from} is held back`);
      assert.ok(Number(r.headers.get('retry-after')) > 50 * 60, 'until the oldest failure is an hour old');
    }
    // a fresh address gets one guess, then is held back like the others
    assert.equal((await guess('counselor', '127.0.0.30')).status, 401);
    w.clock.now += 10_000;
    assert.equal((await guess('counselor', '127.0.0.30')).status, 429);
    // the counselor, from a client that has not failed, is let in
    await w.login('counselor', PASSWORD, { localAddress: '127.0.0.4' });
    const audit = await auditOf(victim.accountId);
    assert.equal(audit.filter((e) => e.action === 'lockout' && e.reason === 'account_failure_limit').length, 1, 'reaching the limit is audited once');
    assert.ok(audit.some((e) => e.action === 'login.throttle' && e.reason === 'account'));
    const listed = await w.http<{ items: { username: string; locked: boolean }[] }>('/users', { token: await w.login('admin') });
    assert.equal(listed.body.items.find((a) => a.username === 'counselor')?.locked, true, 'admins see the account under attack as locked');
  });

  it('counts enrolment code redemptions against the per-minute attempts a client shares with its logins', async () => {
    const created = await w.http<{ enrolment: { code: string; enrolmentId: string } }>('/users', { method: 'POST', token: await w.login('admin'), body: { username: 'dr.enrolled', roles: ['clinician'] } });
    // the privacy officer approves a staff account as the second person: the code comes in two halves
    const secondCode = await w.secondHalf(created.body.enrolment.enrolmentId);
    const redeem = (from: string, code: string) => w.http('/enrolments', { method: 'POST', localAddress: from, body: { username: 'dr.enrolled', code, secondCode, newPassword: 'My-own-Passphrase-2026' } });
    const bogus = 'AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA';
    for (let i = 0; i < 20; i++) assert.equal((await redeem('127.0.0.40', bogus)).status, 400, `attempt ${i + 1} of the 20 a minute`);
    const throttled = await redeem('127.0.0.40', created.body.enrolment.code);
    assert.equal(throttled.status, 429, 'the right code too: it is not looked at');
    assert.equal(throttled.body.code, 'enrolment_throttled');
    assert.match(throttled.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.ok(Number(throttled.headers.get('retry-after')) >= 1);
    const [entry] = await w.auditOf(throttled);
    assert.deepEqual([entry?.body.action, entry?.body.decision, entry?.body.reason, entry?.body.sourceAddress], ['enrolment.throttle', 'deny', 'client', '127.0.0.40']);
    assert.equal((await redeem('127.0.0.40', bogus)).status, 429);
    assert.equal((await w.auditOf(await redeem('127.0.0.40', bogus))).length, 0, 'the throttle is audited when it starts refusing, not for every attempt');
    assert.equal((await guess('clin_b', '127.0.0.40', PASSWORD)).status, 429, 'its logins wait as well');
    const elsewhere = await redeem('127.0.0.41', created.body.enrolment.code);
    assert.equal(elsewhere.status, 201, 'the person, from their own address');
    assert.equal((await w.auditOf(elsewhere)).find((e) => e.body.action === 'enrolment.redeem')?.body.sourceAddress, '127.0.0.41');
  });
});
