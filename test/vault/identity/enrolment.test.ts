// Enrolment over a real sealed account log: a person redeems a one-time code to set their own
// password and receive their own TOTP secret; codes are single use, expire, and die after
// repeated wrong attempts; resets are re-enrolments; accounts of a patient's circle come only
// from registration staff or a genetic counselor, never an admin.
import { strict as assert } from 'node:assert';
import { hashPassword } from '../../../vault/identity/password-hash.ts';
import { IdentityError } from '../../../vault/identity/identity-errors.ts';
import type { EnrolmentFailure, EnrolmentSuccess } from '../../../vault/identity/enrolment-service.ts';
import { ENROLMENT_FAILED_MESSAGE } from '../../../vault/identity/enrolment-service.ts';
import { HOST_ACTOR, type Actor } from '../../../vault/identity/principal.ts';
import type { Kit } from './identity-kit.ts';
import { actorOf, addPerson, codeAt, kitApproval, openKit, PASSWORD, STEP, TEST_SCRYPT } from './identity-kit.ts';

const HOUR = 3_600_000;
const NEW_PASSWORD = 'Violet-lantern-1987';

const isIdentityError = (code: string, field?: string) => (e: unknown) => e instanceof IdentityError && e.code === code && (field === undefined || e.field === field);

describe('IdentityService enrolment', () => {
  let kit: Kit;
  beforeEach(async () => (kit = await openKit()));
  afterEach(async () => kit.close());

  /** `null`: no new password given */
  const redeem = (username: string, code: string, newPassword: string | null = PASSWORD) =>
    kit.identity.enrolments.redeem({ username, code, ...(newPassword !== null && { newPassword }) });
  async function refused(username: string, code: string, newPassword?: string | null): Promise<EnrolmentFailure> {
    const result = await redeem(username, code, newPassword);
    if (result.ok) assert.fail(`expected ${username}'s code to be refused`);
    return result;
  }
  async function redeemed(username: string, code: string, newPassword?: string | null): Promise<EnrolmentSuccess> {
    const result = await redeem(username, code, newPassword);
    if (!result.ok) assert.fail(`expected ${username}'s code to work, got ${result.reason}`);
    return result;
  }
  async function login(username: string, secret: string, password = PASSWORD) {
    kit.clock.t += STEP;
    return kit.identity.login({ username, password, totp: codeAt(kit, secret) });
  }
  /** Redeems a first half with the second half the kit's privacy officer approves. */
  async function redeemedWithApproval(username: string, first: { enrolmentId: string; code: string }): Promise<EnrolmentSuccess> {
    const result = await kit.identity.enrolments.redeem({ username, code: first.code, secondCode: await kitApproval(kit, first.enrolmentId), newPassword: PASSWORD });
    if (!result.ok) assert.fail(`expected ${username}'s code to work, got ${result.reason}`);
    return result;
  }
  const newStaff = async (username: string, roles = ['clinician']) => (await kit.identity.createAccount({ username, roles, kind: 'human' }, HOST_ACTOR)).enrolment!.code;

  it('lets the person redeem their code once, setting their password and their own TOTP secret, confirmed at first login', async () => {
    const code = await newStaff('dr.ada');
    assert.equal((await login('dr.ada', 'AAAAAAAAAAAAAAAA', PASSWORD)).ok, false, 'no password before enrolment');
    const done = await redeemed('Dr.Ada', code);
    assert.deepEqual(done.principal.roles, ['clinician']);
    assert.match(done.totp?.uri ?? '', /^otpauth:\/\/totp\/GenoVault:dr\.ada\?secret=/);
    assert.equal(kit.identity.getAccount(done.principal.accountId)?.enrolmentPending, false);
    assert.equal((await refused('dr.ada', code)).reason, 'redeemed', 'single use');
    const first = await login('dr.ada', done.totp!.secret);
    assert.ok(first.ok);
    assert.equal(kit.identity.getAccount(done.principal.accountId)?.totp, 'confirmed');
  });

  it('answers every refused code alike, counts wrong tries against the code and voids it after five', async () => {
    const code = await newStaff('dr.ada');
    await newStaff('dr.bob');
    const wrongSecret = code.slice(0, 10) + (code[10] === 'A' ? 'B' : 'A') + code.slice(11);
    const refusals = [
      await refused('dr.ada', 'not a code'),
      await refused('dr.ada', 'AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA'),
      await refused('dr.ada', wrongSecret),
      await refused('dr.bob', code),
      await refused('no such user!', code),
    ];
    assert.deepEqual(
      refusals.map((r) => r.reason),
      ['malformed_code', 'unknown_code', 'wrong_code', 'wrong_username', 'wrong_username'],
    );
    assert.deepEqual(new Set(refusals.map((r) => r.message)), new Set([ENROLMENT_FAILED_MESSAGE]));
    assert.deepEqual(refusals.map((r) => r.voidedNow), [false, false, false, false, false]);
    assert.equal((await refused('dr.ada', wrongSecret)).voidedNow, false, 'four wrong tries so far');
    const fifth = await refused('dr.ada', wrongSecret);
    assert.equal(fifth.voidedNow, true, 'the fifth wrong try on this code voids it');
    const afterwards = await refused('dr.ada', code);
    assert.equal(afterwards.reason, 'voided', 'even the right code is refused now');
    assert.ok(!(await kit.events()).some((e) => e.type === 'enrolment.redeemed'));
  });

  it('counts redemptions from a client against the per-minute attempts it shares with logins, before the code is looked at', async () => {
    await kit.close();
    kit = await openKit({ throttle: { clientAttemptsPerMinute: 3 } });
    const code = await newStaff('dr.ada');
    assert.equal((await kit.identity.login({ username: 'dr.nobody', password: 'Wrong-password-1' }, '10.7.7.7')).ok, false);
    for (let i = 0; i < 2; i++) {
      const wrong = await kit.identity.enrolments.redeem({ username: 'dr.ada', code: 'AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA', newPassword: PASSWORD }, '10.7.7.7');
      assert.ok(!wrong.ok && wrong.reason === 'unknown_code');
    }
    const throttled = await kit.identity.enrolments.redeem({ username: 'dr.ada', code, newPassword: PASSWORD }, '10.7.7.7');
    assert.ok(!throttled.ok && throttled.reason === 'throttled', 'the fourth attempt this minute, the right code included');
    assert.deepEqual([throttled.limit, throttled.retryAfterMs > 0, throttled.engagedNow], ['client', true, true]);
    assert.ok(!(await kit.events()).some((e) => e.type === 'enrolment.failed' || e.type === 'enrolment.redeemed'), 'the code was not looked at');
    const login = await kit.identity.login({ username: 'dr.nobody', password: 'Wrong-password-2' }, '10.7.7.7');
    assert.ok(!login.ok && login.reason === 'throttled', 'its logins wait too');
    assert.ok((await kit.identity.enrolments.redeem({ username: 'dr.ada', code, newPassword: PASSWORD }, '10.8.8.8')).ok, 'another client is not held back');
    kit.clock.t += 60_000;
    const other = await newStaff('dr.bob');
    assert.ok((await kit.identity.enrolments.redeem({ username: 'dr.bob', code: other, newPassword: PASSWORD }, '10.7.7.7')).ok, 'a minute later');
    for (let i = 0; i < 5; i++) await kit.identity.enrolments.redeem({ username: 'dr.carol', code: 'not a code' });
    assert.ok((await kit.identity.enrolments.redeem({ username: 'dr.carol', code: await newStaff('dr.carol'), newPassword: PASSWORD })).ok, 'the host and in-process callers are not throttled');
  });

  it('expires after the configured time (72 hours unless set)', async () => {
    const code = await newStaff('dr.ada');
    kit.clock.t += 72 * HOUR;
    assert.equal((await refused('dr.ada', code)).reason, 'expired');
    const identity = await kit.reopen({ enrolmentTtlMs: HOUR });
    const fresh = (await identity.enrolments.resetStaffCredentials(identity.listAccounts()[0]!.accountId, 'both', HOST_ACTOR)).code;
    kit.clock.t += HOUR - 1;
    assert.ok((await redeem('dr.ada', fresh)).ok, 'still valid a moment before the hour');
    const later = (await identity.enrolments.resetStaffCredentials(identity.listAccounts()[0]!.accountId, 'both', HOST_ACTOR)).code;
    kit.clock.t += HOUR;
    assert.equal((await refused('dr.ada', later)).reason, 'expired');
  });

  it('keeps the code unspent when the new password is missing or breaks the rules, naming the field', async () => {
    const code = await newStaff('dr.ada');
    await assert.rejects(redeem('dr.ada', code, null), isIdentityError('password_required', 'newPassword'));
    await assert.rejects(redeem('dr.ada', code, 'short'), isIdentityError('password_too_short', 'newPassword'));
    await assert.rejects(redeem('dr.ada', code, 'dr.ada-Is-my-name-1'), isIdentityError('password_contains_username', 'newPassword'));
    assert.ok((await redeem('dr.ada', code)).ok, 'the right input afterwards still redeems it');
  });

  it('makes a reset a re-enrolment: sessions end, the chosen credentials are cleared, the new code restores them', async () => {
    const { accountId, secret } = await addPerson(kit, 'dr.ada');
    const session = await login('dr.ada', secret);
    assert.ok(session.ok);

    const passwordReset = await kit.identity.enrolments.resetStaffCredentials(accountId, 'password', HOST_ACTOR);
    assert.equal(kit.identity.authenticateToken(session.token), null, 'sessions end at once');
    assert.equal((await login('dr.ada', secret)).ok, false, 'the old password no longer works');
    await assert.rejects(redeem('dr.ada', passwordReset.code, null), isIdentityError('password_required'));
    const afterPassword = await redeemed('dr.ada', passwordReset.code, NEW_PASSWORD);
    assert.equal(afterPassword.totp, undefined, 'a password reset keeps the TOTP secret');
    assert.ok((await login('dr.ada', secret, NEW_PASSWORD)).ok);

    const totpReset = await kit.identity.enrolments.resetStaffCredentials(accountId, 'totp', HOST_ACTOR);
    const refusedLogin = await login('dr.ada', secret, NEW_PASSWORD);
    assert.ok(!refusedLogin.ok && refusedLogin.reason === 'totp_not_enrolled', 'no login until the person enrols a new TOTP secret');
    await assert.rejects(redeem('dr.ada', totpReset.code, 'Another-passphrase-2'), isIdentityError('password_not_allowed', 'newPassword'));
    const afterTotp = await redeemed('dr.ada', totpReset.code, null);
    assert.notEqual(afterTotp.totp?.secret, secret);
    assert.equal((await login('dr.ada', secret, NEW_PASSWORD)).ok, false, 'the old TOTP secret is gone');
    assert.ok((await login('dr.ada', afterTotp.totp!.secret, NEW_PASSWORD)).ok);

    const older = await kit.identity.enrolments.resetStaffCredentials(accountId, 'both', HOST_ACTOR);
    const newer = await kit.identity.enrolments.resetStaffCredentials(accountId, 'both', HOST_ACTOR);
    assert.equal((await refused('dr.ada', older.code)).reason, 'superseded', 'a newer code replaces an older one');
    assert.ok((await redeem('dr.ada', newer.code)).ok);
  });

  it('lets only admins (or the host) reset staff, and never an account linked to a patient', async () => {
    const staff = await addPerson(kit, 'dr.ada');
    const patient = await addPerson(kit, 'pat.eve', ['patient'], 'pat_eve');
    const admin = actorOf(kit, (await addPerson(kit, 'root.admin', ['admin'])).accountId);
    const registrar = actorOf(kit, (await addPerson(kit, 'reg.olga', ['registrar'])).accountId);
    await assert.rejects(kit.identity.enrolments.resetStaffCredentials(staff.accountId, 'both', registrar), isIdentityError('not_permitted'));
    for (const actor of [admin, HOST_ACTOR] as Actor[]) {
      await assert.rejects(kit.identity.enrolments.resetStaffCredentials(patient.accountId, 'both', actor), isIdentityError('patient_linked_account'));
      await assert.rejects(kit.identity.enrolments.resetPatientLinkedCredentials(patient.accountId, 'pat_eve', 'both', actor), isIdentityError('not_permitted'));
    }
    await assert.rejects(kit.identity.enrolments.resetPatientLinkedCredentials(staff.accountId, 'pat_eve', 'both', registrar), isIdentityError('not_permitted'));
    const reset = await kit.identity.enrolments.resetPatientLinkedCredentials(patient.accountId, 'pat_eve', 'both', registrar);
    assert.equal((await refused('pat.eve', reset.code)).reason, 'awaiting_approval', 'the registrar holds half a code');
    await redeemedWithApproval('pat.eve', reset);
  });

  it('issues patient enrolments only to registration staff and genetic counselors, with evidence, and links the new account', async () => {
    const admin = actorOf(kit, (await addPerson(kit, 'root.admin', ['admin'])).accountId);
    const clinician = actorOf(kit, (await addPerson(kit, 'dr.ada')).accountId);
    const counselor = actorOf(kit, (await addPerson(kit, 'gc.erin', ['genetic_counselor'])).accountId);
    const registrar = actorOf(kit, (await addPerson(kit, 'reg.olga', ['registrar'])).accountId);
    const link = { patientId: 'p_0123456789abcdef', role: 'patient' as const, evidence: 'passport checked at the desk' };
    for (const actor of [admin, clinician, HOST_ACTOR] as Actor[]) {
      await assert.rejects(kit.identity.enrolments.issuePatientEnrolment(link, actor), isIdentityError('not_permitted'));
    }
    await assert.rejects(kit.identity.enrolments.issuePatientEnrolment({ ...link, evidence: ' ' }, registrar), isIdentityError('invalid_enrolment', 'evidence'));
    await assert.rejects(kit.identity.enrolments.issuePatientEnrolment({ ...link, evidence: 'ok\u202eevil' }, registrar), isIdentityError('invalid_enrolment', 'evidence'));
    await assert.rejects(kit.identity.enrolments.issuePatientEnrolment({ ...link, role: 'relative' }, registrar), isIdentityError('invalid_enrolment', 'relationship'));
    await assert.rejects(kit.identity.enrolments.issuePatientEnrolment({ ...link, relationship: 'parent' }, registrar), isIdentityError('invalid_enrolment', 'relationship'));

    const issued = await kit.identity.enrolments.issuePatientEnrolment(link, registrar);
    const secondCode = await kitApproval(kit, issued.enrolmentId);
    const both = (username: string) => kit.identity.enrolments.redeem({ username, code: issued.code, secondCode, newPassword: PASSWORD });
    await assert.rejects(both('Bad Name'), isIdentityError('invalid_username', 'username'));
    await assert.rejects(both('dr.ada'), isIdentityError('username_taken', 'username'));
    const patient = await both('eve.own.choice');
    assert.ok(patient.ok);
    assert.deepEqual(patient.principal, { accountId: patient.principal.accountId, username: 'eve.own.choice', kind: 'human', roles: ['patient'], patientId: link.patientId });
    assert.equal(kit.identity.getAccount(patient.principal.accountId)?.createdBy, registrar.accountId, 'attributed to whoever proofed the identity');
    await assert.rejects(kit.identity.enrolments.issuePatientEnrolment(link, counselor), isIdentityError('patient_account_exists'));

    const proxy = await redeemedWithApproval('max.proxy', await kit.identity.enrolments.issuePatientEnrolment({ ...link, role: 'proxy', evidence: 'court order 2025-17' }, counselor));
    assert.deepEqual(proxy.link, { patientId: link.patientId, role: 'proxy', evidence: 'court order 2025-17' });
    assert.equal(proxy.principal.patientId, undefined, 'a proxy is linked beside the patient, not as the patient');
    const relative = await redeemedWithApproval('sis.relative', await kit.identity.enrolments.issuePatientEnrolment({ ...link, role: 'relative', evidence: 'id card', relationship: 'sibling' }, registrar));
    assert.deepEqual(relative.principal.roles, ['relative']);
    assert.equal(relative.link?.relationship, 'sibling');
  });

  it('keeps only a hash of each code, and survives a restart: spent stays spent, tries keep counting', async () => {
    const spent = await newStaff('dr.ada');
    const open = await newStaff('dr.bob');
    await redeemed('dr.ada', spent);
    for (let i = 0; i < 4; i++) await refused('dr.bob', open.slice(0, -1) + (open.endsWith('A') ? 'B' : 'A'));
    const log = JSON.stringify(await kit.events());
    for (const code of [spent, open]) {
      const bare = code.replace(/-/g, '');
      assert.ok(!log.includes(bare.slice(8)) && !log.includes(code), 'no code or secret in the log');
    }
    const identity = await kit.reopen();
    assert.equal((await refused('dr.ada', spent)).reason, 'redeemed');
    const last = await identity.enrolments.redeem({ username: 'dr.bob', code: open.slice(0, -1) + (open.endsWith('A') ? 'B' : 'A'), newPassword: PASSWORD });
    assert.ok(!last.ok && last.voidedNow, 'the count carried over the restart');
  });

  it('still reads accounts an older vault created with a password, a patient link and an admin-enrolled TOTP secret', async () => {
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const at = new Date(kit.clock.t).toISOString();
    await kit.appendRaw({ type: 'account.created', accountId: 'acc_00000000000000aa', actorId: 'acc_00000000000000ad', at, username: 'old.patient', kind: 'human', roles: ['patient'], patientId: 'p_00000000000000aa', passwordHash: await hashPassword(PASSWORD, TEST_SCRYPT) });
    await kit.appendRaw({ type: 'totp.enrolled', accountId: 'acc_00000000000000aa', actorId: 'acc_00000000000000ad', at, secret });
    const identity = await kit.reopen();
    const result = await login('old.patient', secret);
    assert.ok(result.ok, 'logs in as before');
    assert.equal(result.principal.patientId, 'p_00000000000000aa');
    assert.equal(identity.getAccount('acc_00000000000000aa')?.totp, 'confirmed');
  });
});
