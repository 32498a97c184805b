// Password + TOTP login end to end over a real sealed log: replay protection, the TOTP window,
// lockout and its expiry, one public message for every failure, and state that survives a restart.
import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import type { LoginFailure } from '../../../vault/identity/login-attempt.ts';
import { LOGIN_FAILED_MESSAGE } from '../../../vault/identity/login-attempt.ts';
import { HOST_ACTOR } from '../../../vault/identity/principal.ts';
import type { Kit } from './identity-kit.ts';
import { addPerson, codeAt, openKit, PASSWORD, STEP } from './identity-kit.ts';

const MIN = 60_000;

describe('IdentityService login', () => {
  let kit: Kit;
  beforeEach(async () => (kit = await openKit()));
  afterEach(async () => kit.close());

  async function failure(credentials: { username: string; password: string; totp?: string }): Promise<LoginFailure> {
    const result = await kit.identity.login(credentials);
    if (result.ok) assert.fail(`expected a refusal for ${credentials.username}`);
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
    const results = await Promise.all([kit.identity.login(credentials), kit.identity.login(credentials)]);
    assert.deepEqual(results.map((r) => (r.ok ? 'ok' : r.reason)).sort(), ['ok', 'totp_replayed']);
  });

  it('accepts codes one step early or late, and refuses two steps away', async () => {
    const { secret } = await addPerson(kit, 'dr.ada');
    kit.clock.t += STEP; // so the step before now was not spent by the enrollment
    assert.equal((await failure({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret, -2) })).reason, 'bad_totp');
    assert.equal((await failure({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret, 2) })).reason, 'bad_totp');
    assert.ok((await kit.identity.login({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret, -1) })).ok);
    assert.ok((await kit.identity.login({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret, 1) })).ok);
  });

  it('locks after 5 consecutive failures, refuses even the right credentials, and unlocks after 15 min', async () => {
    const { secret } = await addPerson(kit, 'dr.ada');
    for (let i = 1; i <= 5; i++) {
      const refused = await failure({ username: 'dr.ada', password: `Wrong-password-${i}`, totp: codeAt(kit, secret) });
      assert.equal(refused.reason, 'bad_password');
      assert.equal(refused.lockedNow, i === 5, `attempt ${i}`);
    }
    const locked = await failure({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) });
    assert.equal(locked.reason, 'locked');
    assert.equal(locked.lockedUntil, new Date(kit.clock.t + 15 * MIN).toISOString());
    assert.equal(kit.identity.listAccounts()[0]!.locked, true);
    kit.clock.t += 15 * MIN - 1;
    assert.equal((await failure({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) })).reason, 'locked');
    kit.clock.t += 1;
    assert.ok((await kit.identity.login({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) })).ok);
  });

  it('counts wrong TOTP codes towards the lockout, and a success resets the count', async () => {
    const { secret } = await addPerson(kit, 'dr.ada');
    const wrongCode = (Number(codeAt(kit, secret)) + 1) % 1_000_000;
    const bad = { username: 'dr.ada', password: PASSWORD, totp: String(wrongCode).padStart(6, '0') };
    for (let i = 0; i < 4; i++) assert.equal((await failure(bad)).reason, 'bad_totp');
    assert.ok((await kit.identity.login({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) })).ok);
    for (let i = 0; i < 4; i++) assert.equal((await failure({ ...bad, password: 'Wrong-password-1' })).lockedNow, false);
    kit.clock.t += STEP;
    assert.equal((await failure({ username: 'dr.ada', password: PASSWORD })).reason, 'totp_missing');
    assert.equal((await failure({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) })).reason, 'locked');
  });

  it('honours a configured failure limit and lock period', async () => {
    await kit.close();
    kit = await openKit({ maxFailedLogins: 2, lockoutMs: 1 * MIN });
    const { secret } = await addPerson(kit, 'dr.ada');
    await failure({ username: 'dr.ada', password: 'Wrong-password-1' });
    assert.equal((await failure({ username: 'dr.ada', password: 'Wrong-password-2' })).lockedNow, true);
    kit.clock.t += 1 * MIN;
    assert.ok((await kit.identity.login({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) })).ok);
  });

  it('gives the same public message for every kind of failure, and a distinct reason for the audit', async () => {
    const { secret } = await addPerson(kit, 'dr.ada');
    const { accountId: gone } = await addPerson(kit, 'dr.gone');
    await kit.identity.disableAccount(gone, HOST_ACTOR);
    await kit.identity.createAccount({ username: 'ehr', roles: ['clinician'], kind: 'service' }, HOST_ACTOR);
    const nurse = await addPerson(kit, 'new.nurse');
    await kit.identity.enrolments.resetStaffCredentials(nurse.accountId, 'totp', HOST_ACTOR); // password kept, TOTP to enrol again
    const used = codeAt(kit, secret);
    assert.ok((await kit.identity.login({ username: 'dr.ada', password: PASSWORD, totp: used })).ok);

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
    for (let i = 0; i < 3; i++) await failure({ username: 'dr.ada', password: 'Wrong-password-2' });
    refusals.push(await failure({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret, 1) }));

    assert.deepEqual(
      refusals.map((r) => r.reason),
      ['unknown_user', 'unknown_user', 'bad_password', 'totp_replayed', 'bad_totp', 'totp_missing', 'disabled', 'service_account', 'totp_not_enrolled', 'locked'],
    );
    assert.deepEqual(new Set(refusals.map((r) => r.message)), new Set([LOGIN_FAILED_MESSAGE]));
    assert.equal(LOGIN_FAILED_MESSAGE, 'invalid credentials or account locked');
  });

  it('spends a password hash on unknown users, so timing does not reveal who exists', async function () {
    this.timeout(30_000);
    await kit.close();
    kit = await openKit({ scrypt: { log2N: 14, r: 8, p: 1 } });
    await addPerson(kit, 'dr.ada');
    const time = async (username: string) => {
      const start = performance.now();
      await kit.identity.login({ username, password: 'Wrong-password-1' });
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
    assert.ok(unknown > known * 0.5, `unknown ${unknown.toFixed(1)} ms vs known ${known.toFixed(1)} ms (medians of 4)`);
  });

  it('restores accounts, lockouts and the last used TOTP step after a restart', async () => {
    const { accountId, secret } = await addPerson(kit, 'dr.ada');
    await addPerson(kit, 'pat.eve', ['patient'], 'pat_eve');
    const code = codeAt(kit, secret);
    assert.ok((await kit.identity.login({ username: 'dr.ada', password: PASSWORD, totp: code })).ok);
    for (let i = 0; i < 5; i++) await kit.identity.login({ username: 'pat.eve', password: 'Wrong-password-1' });
    const before = kit.identity.listAccounts();

    const identity = await kit.reopen();
    assert.deepEqual(identity.listAccounts(), before);
    assert.equal((await failure({ username: 'dr.ada', password: PASSWORD, totp: code })).reason, 'totp_replayed');
    assert.equal((await failure({ username: 'pat.eve', password: PASSWORD })).reason, 'locked');
    kit.clock.t += STEP;
    const again = await identity.login({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) });
    assert.ok(again.ok && again.principal.accountId === accountId);
  });

  it('ends sessions when the password changes or the account is disabled', async () => {
    const { accountId, secret } = await addPerson(kit, 'dr.ada');
    const first = await kit.identity.login({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) });
    assert.ok(first.ok);
    await kit.identity.changePassword(accountId, { newPassword: 'Violet-lantern-1987', currentPassword: PASSWORD }, first.principal);
    assert.equal(kit.identity.authenticateToken(first.token), null);
    kit.clock.t += STEP;
    assert.equal((await failure({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) })).reason, 'bad_password');
    const second = await kit.identity.login({ username: 'dr.ada', password: 'Violet-lantern-1987', totp: codeAt(kit, secret) });
    assert.ok(second.ok);
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
