// Password + TOTP login end to end over a real sealed log: replay protection, the TOTP window,
// lockout of one client and its expiry, one public message for every failure, and state that
// survives a restart.
import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import type { LoginCredentials, LoginFailure } from '../../../vault/identity/login-attempt.ts';
import { LOGIN_FAILED_MESSAGE } from '../../../vault/identity/login-attempt.ts';
import type { LoginRefusal } from '../../../vault/identity/throttled-login.ts';
import { isLoginRefusal, LOGIN_THROTTLED_MESSAGE } from '../../../vault/identity/throttled-login.ts';
import { HOST_ACTOR } from '../../../vault/identity/principal.ts';
import type { Kit } from './identity-kit.ts';
import { addPerson, codeAt, openKit, PASSWORD, STEP } from './identity-kit.ts';

const MIN = 60_000;

describe('IdentityService login', () => {
  let kit: Kit;
  beforeEach(async () => (kit = await openKit()));
  afterEach(async () => kit.close());

  /** An evaluated failure (not a throttle refusal); waits out the doubling delay after earlier failures first. */
  async function failureFrom(credentials: LoginCredentials, client?: string): Promise<LoginFailure> {
    let result = await kit.identity.login(credentials, client);
    if (!result.ok && isLoginRefusal(result) && result.limit === 'client_account_delay') {
      kit.clock.t += result.retryAfterMs;
      result = await kit.identity.login(credentials, client);
    }
    if (result.ok || isLoginRefusal(result)) assert.fail(`expected a failed login for ${credentials.username}, got ${result.ok ? 'a session' : result.limit}`);
    return result;
  }
  const failure = (credentials: LoginCredentials) => failureFrom(credentials);

  /** A login that must succeed; waits out the doubling delay after earlier failures first. */
  async function success(credentials: LoginCredentials, client?: string) {
    let result = await kit.identity.login(credentials, client);
    if (!result.ok && isLoginRefusal(result) && result.limit === 'client_account_delay') {
      kit.clock.t += result.retryAfterMs;
      result = await kit.identity.login(credentials, client);
    }
    if (!result.ok) assert.fail(`expected ${credentials.username} to log in, got ${result.reason}`);
    return result;
  }

  async function refusal(credentials: LoginCredentials, client?: string): Promise<LoginRefusal> {
    const result = await kit.identity.login(credentials, client);
    if (!isLoginRefusal(result)) assert.fail(`expected ${credentials.username} to be refused before any check`);
    return result;
  }

  it('logs in with password and TOTP, authenticates the token, and logs out', async () => {
    const { accountId, secret } = await addPerson(kit, 'dr.ada');
    const result = await kit.identity.login({ username: 'Dr.Ada', password: PASSWORD, totp: codeAt(kit, secret) });
    assert.ok(result.ok);
    assert.deepEqual(result.principal, { accountId, username: 'dr.ada', kind: 'human', roles: ['clinician'] });
    assert.deepEqual(kit.identity.authenticateToken(result.token), result.principal);
    assert.equal(kit.identity.logout(result.token), true);
    assert.equal(kit.identity.authenticateToken(result.token), null);
  });

  it('never accepts the same TOTP step twice, nor an earlier one', async () => {
    const { secret } = await addPerson(kit, 'dr.ada');
    const code = codeAt(kit, secret);
    assert.ok((await kit.identity.login({ username: 'dr.ada', password: PASSWORD, totp: code })).ok);
    assert.equal((await failure({ username: 'dr.ada', password: PASSWORD, totp: code })).reason, 'totp_replayed');
    assert.equal((await failure({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret, -1) })).reason, 'totp_replayed');
    kit.clock.t += STEP;
    assert.ok((await kit.identity.login({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) })).ok);
  });

  it('lets only one of two concurrent logins with the same code through', async () => {
    const { secret } = await addPerson(kit, 'dr.ada');
    const credentials = { username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) };
    // from two clients: from one, the second would wait its turn (one attempt at a time per client and name)
    const results = await Promise.all([kit.identity.login(credentials, '10.0.0.1'), kit.identity.login(credentials, '10.0.0.2')]);
    assert.deepEqual(results.map((r) => (r.ok ? 'ok' : r.reason)).sort(), ['ok', 'totp_replayed']);
  });

  it('accepts codes one step early or late, and refuses two steps away', async () => {
    const { secret } = await addPerson(kit, 'dr.ada');
    kit.clock.t += STEP; // so the step before now was not spent by the enrollment
    assert.equal((await failure({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret, -2) })).reason, 'bad_totp');
    assert.equal((await failure({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret, 2) })).reason, 'bad_totp');
    // from another client, which has not failed and need not wait
    assert.ok((await kit.identity.login({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret, -1) }, '10.0.0.9')).ok);
    assert.ok((await kit.identity.login({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret, 1) }, '10.0.0.9')).ok);
  });

  it('makes a client wait 1, 2, 4, 8 s between failures, then locks it out for 15 min, while the person logs in from elsewhere', async () => {
    const { secret } = await addPerson(kit, 'dr.ada');
    const wrong = (i: number) => ({ username: 'dr.ada', password: `Wrong-password-${i}`, totp: codeAt(kit, secret) });
    for (let i = 1; i <= 5; i++) {
      const refused = await kit.identity.login(wrong(i), '10.6.6.6');
      assert.ok(!refused.ok && !isLoginRefusal(refused));
      assert.equal(refused.reason, 'bad_password');
      assert.equal(refused.lockedNow, i === 5, `attempt ${i}`);
      if (i === 5) break;
      const early = await refusal(wrong(i), '10.6.6.6');
      assert.deepEqual([early.reason, early.limit, early.retryAfterMs], ['throttled', 'client_account_delay', 1000 * 2 ** (i - 1)]);
      kit.clock.t += early.retryAfterMs;
    }
    const locked = await refusal({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) }, '10.6.6.6');
    assert.deepEqual([locked.limit, locked.retryAfterMs, locked.message], ['client_account_locked', 15 * MIN, LOGIN_THROTTLED_MESSAGE]);
    assert.equal(kit.identity.listAccounts()[0]!.locked, true, 'admins see the account as locked');
    // the person, from their own client: in at once
    assert.ok((await kit.identity.login({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) }, '10.1.1.1')).ok);
    kit.clock.t += 15 * MIN - 1;
    assert.equal((await refusal({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) }, '10.6.6.6')).limit, 'client_account_locked');
    kit.clock.t += 1;
    assert.ok((await kit.identity.login({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) }, '10.6.6.6')).ok);
  });

  it('refuses an account whose enrolment is pending as a wrong password, counted like one; its redemption forgets every lock on the name', async () => {
    const { accountId, secret } = await addPerson(kit, 'dr.ada');
    await kit.identity.enrolments.resetStaffCredentials(accountId, 'password', HOST_ACTOR);
    const pending = await failureFrom({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) }, '10.6.6.6');
    assert.equal(pending.reason, 'bad_password', 'the cleared password matches nothing');
    for (let i = 2; i <= 5; i++) assert.equal((await failureFrom({ username: 'dr.ada', password: PASSWORD }, '10.6.6.6')).lockedNow, i === 5);
    assert.equal((await refusal({ username: 'dr.ada', password: PASSWORD }, '10.6.6.6')).limit, 'client_account_locked');
    assert.equal(kit.identity.getAccount(accountId)?.locked, true);

    const { code } = await kit.identity.enrolments.resetStaffCredentials(accountId, 'password', HOST_ACTOR);
    assert.ok((await kit.identity.enrolments.redeem({ username: 'dr.ada', code, newPassword: 'Violet-lantern-1987' })).ok);
    assert.equal(kit.identity.getAccount(accountId)?.locked, false, 'the person has proven themselves with the code');
    kit.clock.t += STEP;
    assert.ok((await kit.identity.login({ username: 'dr.ada', password: 'Violet-lantern-1987', totp: codeAt(kit, secret) }, '10.6.6.6')).ok, 'back in from the client that was locked out');
  });

  it('throttles unknown usernames exactly like known ones', async () => {
    await addPerson(kit, 'dr.ada');
    const pattern = async (username: string, client: string) => {
      const seen: string[] = [];
      for (let i = 0; i < 10; i++) {
        const r = await kit.identity.login({ username, password: `Wrong-password-${i}`, totp: '123456' }, client);
        seen.push(r.ok ? 'ok' : isLoginRefusal(r) ? `${r.limit}:${r.retryAfterMs}` : `401:${String(r.lockedNow)}`);
        if (!r.ok && isLoginRefusal(r) && r.limit === 'client_account_delay') kit.clock.t += r.retryAfterMs;
      }
      return seen;
    };
    const known = await pattern('dr.ada', '10.0.0.1');
    assert.deepEqual(await pattern('dr.nobody', '10.0.0.2'), known);
    assert.ok(known.includes('client_account_locked:900000'), known.join(' '));
  });

  it('counts wrong TOTP codes towards the lockout, and a success resets the count', async () => {
    const { secret } = await addPerson(kit, 'dr.ada');
    const wrongCode = (Number(codeAt(kit, secret)) + 1) % 1_000_000;
    const bad = { username: 'dr.ada', password: PASSWORD, totp: String(wrongCode).padStart(6, '0') };
    for (let i = 0; i < 4; i++) assert.equal((await failure(bad)).reason, 'bad_totp');
    kit.clock.t += STEP; // past the wait after the fourth failure, and a fresh code
    assert.ok((await kit.identity.login({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) })).ok);
    for (let i = 0; i < 4; i++) assert.equal((await failure({ ...bad, password: 'Wrong-password-1' })).lockedNow, false);
    kit.clock.t += STEP;
    assert.equal((await failure({ username: 'dr.ada', password: PASSWORD })).lockedNow, true, 'a missing code counts too');
    assert.equal((await refusal({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) })).limit, 'client_account_locked');
  });

  it('honours a configured failure limit and lock period', async () => {
    await kit.close();
    kit = await openKit({ maxFailedLogins: 2, lockoutMs: 1 * MIN });
    const { secret } = await addPerson(kit, 'dr.ada');
    await failure({ username: 'dr.ada', password: 'Wrong-password-1' });
    assert.equal((await failure({ username: 'dr.ada', password: 'Wrong-password-2' })).lockedNow, true);
    assert.equal((await refusal({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) })).retryAfterMs, 1 * MIN);
    kit.clock.t += 1 * MIN;
    assert.ok((await kit.identity.login({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) })).ok);
  });

  it('gives the same public message for every kind of failure, and a distinct reason for the audit', async () => {
    const { secret } = await addPerson(kit, 'dr.ada');
    const { accountId: gone } = await addPerson(kit, 'dr.gone');
    await kit.identity.disableAccount(gone, HOST_ACTOR);
    await kit.identity.createAccount({ username: 'ehr', roles: ['ehr_service'], kind: 'service' }, HOST_ACTOR);
    const nurse = await addPerson(kit, 'new.nurse');
    await kit.identity.enrolments.resetStaffCredentials(nurse.accountId, 'totp', HOST_ACTOR); // password kept, TOTP to enrol again
    const used = codeAt(kit, secret);
    assert.ok((await kit.identity.login({ username: 'dr.ada', password: PASSWORD, totp: used })).ok);

    let client = 0;
    const failure = (credentials: LoginCredentials) => failureFrom(credentials, `10.0.0.${++client}`);
    const refusals = [
      await failure({ username: 'nobody', password: PASSWORD, totp: '123456' }),
      await failure({ username: '../../etc', password: PASSWORD }),
      await failure({ username: 'dr.ada', password: 'Wrong-password-1', totp: codeAt(kit, secret, 1) }),
      await failure({ username: 'dr.ada', password: PASSWORD, totp: used }),
      await failure({ username: 'dr.ada', password: PASSWORD, totp: '12345' }),
      await failure({ username: 'dr.ada', password: PASSWORD }),
      await failure({ username: 'dr.gone', password: PASSWORD }),
      await failure({ username: 'ehr', password: PASSWORD }),
      await failure({ username: 'new.nurse', password: PASSWORD, totp: '123456' }),
    ];

    assert.deepEqual(
      refusals.map((r) => r.reason),
      ['unknown_user', 'unknown_user', 'bad_password', 'totp_replayed', 'bad_totp', 'totp_missing', 'disabled', 'service_account', 'totp_not_enrolled'],
    );
    assert.deepEqual(new Set(refusals.map((r) => r.message)), new Set([LOGIN_FAILED_MESSAGE]));
    assert.equal(LOGIN_FAILED_MESSAGE, 'invalid credentials or account locked');
    // a throttled attempt says only that: the same words whoever, whatever was typed
    for (let i = 0; i < 4; i++) await failureFrom({ username: 'dr.ada', password: 'Wrong-password-2' }, '10.0.9.9');
    const throttled = await refusal({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret, 1) }, '10.0.9.9');
    assert.equal(throttled.message, LOGIN_THROTTLED_MESSAGE);
  });

  it('spends a password hash on unknown users, so timing does not reveal who exists', async function () {
    this.timeout(30_000);
    await kit.close();
    kit = await openKit({ scrypt: { log2N: 14, r: 8, p: 1 } });
    await addPerson(kit, 'dr.ada');
    let client = 0;
    const time = async (username: string) => {
      const start = performance.now();
      // each try from its own client, so the throttle's wait after a failure never answers first
      const result = await kit.identity.login({ username, password: 'Wrong-password-1' }, `10.0.0.${++client}`);
      assert.ok(!result.ok && !isLoginRefusal(result));
      return performance.now() - start;
    };
    await time('nobody'); // warm up the dummy hash
    // medians of alternating tries: one try each moves by 2-3x on a busy 2-core machine
    const knownTimes: number[] = [];
    const unknownTimes: number[] = [];
    for (let i = 0; i < 4; i++) {
      knownTimes.push(await time('dr.ada'));
      unknownTimes.push(await time('nobody'));
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const [known, unknown] = [median(knownTimes), median(unknownTimes)];
    // without the dummy hash an unknown name answers in well under a millisecond; a loaded machine
    // moves either median by up to 2-3x, so the bound is loose
    assert.ok(unknown > known * 0.2, `unknown ${unknown.toFixed(1)} ms vs known ${known.toFixed(1)} ms (medians of 4)`);
  });

  it('restores accounts and the last used TOTP step after a restart; throttling starts afresh', async () => {
    const { accountId, secret } = await addPerson(kit, 'dr.ada');
    const eve = await addPerson(kit, 'pat.eve', ['patient'], 'pat_eve');
    const code = codeAt(kit, secret);
    assert.ok((await kit.identity.login({ username: 'dr.ada', password: PASSWORD, totp: code })).ok);
    for (let i = 0; i < 5; i++) await failure({ username: 'pat.eve', password: 'Wrong-password-1' });
    assert.equal((await refusal({ username: 'pat.eve', password: PASSWORD })).limit, 'client_account_locked');
    const before = kit.identity.listAccounts().map((a) => ({ ...a, locked: false }));

    const identity = await kit.reopen();
    assert.deepEqual(identity.listAccounts(), before);
    assert.equal((await failure({ username: 'dr.ada', password: PASSWORD, totp: code })).reason, 'totp_replayed');
    kit.clock.t += STEP;
    assert.ok((await identity.login({ username: 'pat.eve', password: PASSWORD, totp: codeAt(kit, eve.secret) })).ok, 'locks live in memory only');
    const again = await identity.login({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) });
    assert.ok(again.ok && again.principal.accountId === accountId);
  });

  it('replays the failures and locks older versions wrote to the log as nothing: they lock nobody out', async () => {
    const { accountId, secret } = await addPerson(kit, 'dr.ada');
    const at = new Date(kit.clock.t).toISOString();
    for (let i = 0; i < 5; i++) await kit.appendRaw({ type: 'login.failed', accountId, at, ...(i === 4 && { lockedUntil: new Date(kit.clock.t + 15 * MIN).toISOString() }) });
    const identity = await kit.reopen();
    assert.equal(identity.getAccount(accountId)?.locked, false);
    assert.ok((await identity.login({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) })).ok);
  });

  it('refuses, at login and by session, an account an older version let hold a service role as a person', async () => {
    const { accountId, secret } = await addPerson(kit, 'dr.ada');
    const session = await kit.identity.login({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) });
    assert.ok(session.ok);
    await kit.appendRaw({ type: 'account.roles_changed', accountId, actorId: 'host', at: new Date(kit.clock.t).toISOString(), roles: ['clinician', 'ehr_service'] });
    const identity = await kit.reopen();
    kit.clock.t += STEP;
    const refused = await identity.login({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) }, '10.0.0.7');
    assert.ok(!refused.ok && !isLoginRefusal(refused));
    assert.equal(refused.reason, 'roles_refused');
    assert.deepEqual(identity.accountsWithRefusedRoles().map((a) => [a.accountId, a.rolesRefused]), [[accountId, true]]);
  });

  it('ends sessions when the password changes or the account is disabled', async () => {
    const { accountId, secret } = await addPerson(kit, 'dr.ada');
    const first = await kit.identity.login({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) });
    assert.ok(first.ok);
    await kit.identity.changePassword(accountId, { newPassword: 'Violet-lantern-1987', currentPassword: PASSWORD }, first.principal);
    assert.equal(kit.identity.authenticateToken(first.token), null);
    kit.clock.t += STEP;
    assert.equal((await failure({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) })).reason, 'bad_password');
    const second = await success({ username: 'dr.ada', password: 'Violet-lantern-1987', totp: codeAt(kit, secret) });
    await kit.identity.disableAccount(accountId, HOST_ACTOR);
    assert.equal(kit.identity.authenticateToken(second.token), null);
  });

  it('confirms a pending TOTP enrollment at the first login that uses it', async () => {
    const { account, enrolment } = await kit.identity.createAccount({ username: 'dr.ada', roles: ['clinician'], kind: 'human' }, HOST_ACTOR);
    const redeemed = await kit.identity.enrolments.redeem({ username: 'dr.ada', code: enrolment!.code, newPassword: PASSWORD });
    assert.ok(redeemed.ok && redeemed.totp);
    const { secret, uri } = redeemed.totp;
    assert.equal(uri, `otpauth://totp/GenoVault:dr.ada?secret=${secret}&issuer=GenoVault`);
    assert.equal(kit.identity.getAccount(account.accountId)!.totp, 'pending');
    assert.ok((await kit.identity.login({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) })).ok);
    assert.equal(kit.identity.getAccount(account.accountId)!.totp, 'confirmed');
  });

  it('upgrades a weaker password hash at the next successful login', async () => {
    const { secret } = await addPerson(kit, 'dr.ada');
    const identity = await kit.reopen({ scrypt: { log2N: 9, r: 8, p: 1 } });
    assert.ok((await identity.login({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) })).ok);
    const rehash = (await kit.events()).find((e) => e.type === 'account.password_changed' && e.reason === 'rehash');
    assert.ok(rehash && rehash.type === 'account.password_changed' && rehash.passwordHash.startsWith('$scrypt$ln=9,'));
    kit.clock.t += STEP;
    assert.ok((await identity.login({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) })).ok);
  });

  it('keeps usernames, hashes and TOTP secrets out of the bytes on disk', async () => {
    const { secret } = await addPerson(kit, 'dr.ada');
    const hash = (await kit.events()).find((e) => e.type === 'enrolment.redeemed');
    assert.ok(hash?.type === 'enrolment.redeemed' && hash.passwordHash);
    const raw = await readFile(kit.path);
    for (const plain of ['dr.ada', secret, hash.passwordHash, 'clinician']) assert.equal(raw.indexOf(plain), -1, plain);
  });
});
