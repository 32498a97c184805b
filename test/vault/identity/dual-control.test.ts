// Dual control of enrolment codes over a real sealed account log: a code a person issues (an admin
// for staff, registration staff or a counsellor for a patient's circle) is only the first half;
// a second, different person approves and receives the second half; the person redeems with both.
// Neither half alone redeems; only the roles named approve, never the issuer or the person
// enrolled; halves are kept only as hashes; a withdrawn enrolment redeems no more.
import { strict as assert } from 'node:assert';
import { IdentityError } from '../../../vault/identity/identity-errors.ts';
import type { IssuedEnrolment } from '../../../vault/identity/enrolment-service.ts';
import { HOST_ACTOR, type Principal } from '../../../vault/identity/principal.ts';
import type { Kit } from './identity-kit.ts';
import { actorOf, addPerson, openKit, PASSWORD } from './identity-kit.ts';

const EVIDENCE = 'HR record 2026-77 seen';
const isIdentityError = (code: string) => (e: unknown) => e instanceof IdentityError && e.code === code;

describe('IdentityService dual control of enrolments', () => {
  let kit: Kit;
  let admin: Principal;
  let privacy: Principal;
  let registrar: Principal;
  beforeEach(async () => {
    kit = await openKit();
    admin = actorOf(kit, (await addPerson(kit, 'root.admin', ['admin'])).accountId);
    privacy = actorOf(kit, (await addPerson(kit, 'po.pia', ['privacy_officer'])).accountId);
    registrar = actorOf(kit, (await addPerson(kit, 'reg.olga', ['registrar'])).accountId);
  });
  afterEach(async () => kit.close());

  const redeem = (username: string, code: string, secondCode?: string) => kit.identity.enrolments.redeem({ username, code, ...(secondCode !== undefined && { secondCode }), newPassword: PASSWORD });
  const reasonOf = async (username: string, code: string, secondCode?: string) => {
    const result = await redeem(username, code, secondCode);
    return result.ok ? 'ok' : result.reason;
  };
  const staffFirstHalf = async (username: string, role = 'clinician'): Promise<IssuedEnrolment> => (await kit.identity.createAccount({ username, roles: [role], kind: 'human' }, admin)).enrolment!;
  const failedAttempts = async () => (await kit.events()).filter((e) => e.type === 'enrolment.failed').length;

  it('redeems a staff enrolment only with both halves, in either order, never with one half or one half twice', async () => {
    const first = await staffFirstHalf('dr.ada');
    assert.deepEqual([first.half, first.approverRoles], ['first', ['privacy_officer']]);
    assert.equal(await reasonOf('dr.ada', first.code), 'awaiting_approval');
    const second = await kit.identity.enrolments.approve(first.enrolmentId, EVIDENCE, privacy);
    assert.equal(second.half, 'second');
    assert.equal(second.code.slice(0, 9), first.code.slice(0, 9), 'both halves name the same enrolment');
    assert.equal(second.expiresAt, first.expiresAt, 'approving does not extend the code');
    assert.equal(await reasonOf('dr.ada', first.code), 'half_missing');
    assert.equal(await reasonOf('dr.ada', second.code), 'half_missing');
    assert.equal(await failedAttempts(), 0, 'a right half alone guesses nothing: not counted');
    assert.equal(await reasonOf('dr.ada', first.code, first.code), 'wrong_code', 'one half twice');
    assert.equal(await failedAttempts(), 1);
    const done = await redeem('dr.ada', second.code.toLowerCase(), first.code);
    assert.ok(done.ok && done.totp, 'the halves in either order, as typed');
  });

  it('lets only a privacy officer approve a staff enrolment: never the admin, the host, other staff, or the person enrolled', async () => {
    const otherAdmin = actorOf(kit, (await addPerson(kit, 'root.two', ['admin'])).accountId);
    const counselor = actorOf(kit, (await addPerson(kit, 'gc.erin', ['genetic_counselor'])).accountId);
    const first = await staffFirstHalf('dr.ada');
    for (const actor of [admin, otherAdmin, registrar, counselor]) await assert.rejects(kit.identity.enrolments.approve(first.enrolmentId, EVIDENCE, actor), isIdentityError('not_permitted'), actor.username);
    await assert.rejects(kit.identity.enrolments.approve(first.enrolmentId, EVIDENCE, HOST_ACTOR), isIdentityError('not_permitted'));
    // a privacy officer's own reset needs another privacy officer
    const reset = await kit.identity.enrolments.resetStaffCredentials(privacy.accountId, 'totp', admin);
    await assert.rejects(kit.identity.enrolments.approve(reset.enrolmentId, EVIDENCE, privacy), isIdentityError('approver_is_subject'));
    const second = actorOf(kit, (await addPerson(kit, 'po.two', ['privacy_officer'])).accountId);
    await kit.identity.enrolments.approve(reset.enrolmentId, EVIDENCE, second);
    await assert.rejects(kit.identity.enrolments.approve(first.enrolmentId, ' ', second), isIdentityError('invalid_evidence'));
    await kit.identity.enrolments.approve(first.enrolmentId, EVIDENCE, second);
    await assert.rejects(kit.identity.enrolments.approve(first.enrolmentId, EVIDENCE, privacy), isIdentityError('enrolment_not_awaiting_approval'), 'approved once');
    await kit.identity.disableAccount(second.accountId, admin);
    const later = await staffFirstHalf('dr.bob');
    await assert.rejects(kit.identity.enrolments.approve(later.enrolmentId, EVIDENCE, second), isIdentityError('not_permitted'), 'a disabled privacy officer approves nothing');
  });

  it('gives the host a whole code that needs no approval', async () => {
    const { enrolment } = await kit.identity.createAccount({ username: 'dr.host', roles: ['clinician'], kind: 'human' }, HOST_ACTOR);
    assert.equal(enrolment!.half, 'whole');
    await assert.rejects(kit.identity.enrolments.approve(enrolment!.enrolmentId, EVIDENCE, privacy), isIdentityError('approval_not_needed'));
    assert.equal(await reasonOf('dr.host', enrolment!.code, enrolment!.code), 'wrong_code', 'a whole code takes no second code');
    assert.ok((await redeem('dr.host', enrolment!.code)).ok);
    await assert.rejects(kit.identity.enrolments.approve('enr_aaaaaaaa', EVIDENCE, privacy), isIdentityError('unknown_enrolment'));
  });

  it('lets registration staff, a counsellor or a privacy officer other than the issuer confirm a patient enrolment', async () => {
    const counselor = actorOf(kit, (await addPerson(kit, 'gc.erin', ['genetic_counselor'])).accountId);
    const clinician = actorOf(kit, (await addPerson(kit, 'dr.ada')).accountId);
    const link = { patientId: 'p_0123456789abcdef', role: 'proxy' as const, evidence: 'court order 2026-3' };
    for (const confirmer of [counselor, privacy]) {
      const first = await kit.identity.enrolments.issuePatientEnrolment(link, registrar);
      assert.deepEqual(first.approverRoles, ['registrar', 'genetic_counselor', 'privacy_officer']);
      for (const actor of [registrar, admin, clinician]) await assert.rejects(kit.identity.enrolments.approve(first.enrolmentId, EVIDENCE, actor), IdentityError, actor.username);
      const second = await kit.identity.enrolments.approve(first.enrolmentId, 'court order 2026-3 seen again', confirmer);
      assert.ok((await redeem(`proxy.${confirmer.username}`, first.code, second.code)).ok);
    }
    const byCounselor = await kit.identity.enrolments.issuePatientEnrolment(link, counselor);
    await assert.rejects(kit.identity.enrolments.approve(byCounselor.enrolmentId, EVIDENCE, counselor), isIdentityError('approver_is_issuer'));
    await kit.identity.enrolments.approve(byCounselor.enrolmentId, EVIDENCE, registrar);
  });

  it('withdraws the unredeemed enrolments for a patient that someone leaving the care team issued or approved, and no others', async () => {
    const counselor = actorOf(kit, (await addPerson(kit, 'gc.erin', ['genetic_counselor'])).accountId);
    const patient = 'p_0123456789abcdef';
    const link = { patientId: patient, role: 'proxy' as const, evidence: 'court order 2026-3' };
    const issued = await kit.identity.enrolments.issuePatientEnrolment(link, counselor);
    const approved = await kit.identity.enrolments.issuePatientEnrolment(link, registrar);
    const secondOfApproved = await kit.identity.enrolments.approve(approved.enrolmentId, EVIDENCE, counselor);
    const unrelated = await kit.identity.enrolments.issuePatientEnrolment(link, registrar);
    const otherPatient = await kit.identity.enrolments.issuePatientEnrolment({ ...link, patientId: 'p_fedcba9876543210' }, counselor);
    const redeemedFirst = await kit.identity.enrolments.issuePatientEnrolment(link, counselor);
    assert.ok((await redeem('proxy.kept', redeemedFirst.code, (await kit.identity.enrolments.approve(redeemedFirst.enrolmentId, EVIDENCE, privacy)).code)).ok);

    const withdrawn = await kit.identity.enrolments.withdrawVouchedBy(counselor.accountId, patient, registrar);
    assert.deepEqual(withdrawn.sort(), [issued.enrolmentId, approved.enrolmentId].sort());
    assert.equal(await reasonOf('proxy.one', approved.code, secondOfApproved.code), 'withdrawn');
    await assert.rejects(kit.identity.enrolments.approve(issued.enrolmentId, EVIDENCE, privacy), isIdentityError('enrolment_not_awaiting_approval'));
    assert.equal(kit.identity.enrolments.outline(unrelated.enrolmentId)?.status, 'awaiting_approval');
    assert.equal(kit.identity.enrolments.outline(otherPatient.enrolmentId)?.status, 'awaiting_approval');
    const identity = await kit.reopen();
    assert.equal(identity.enrolments.outline(issued.enrolmentId)?.status, 'withdrawn', 'withdrawal survives a restart');
  });

  it('keeps only hashes of both halves, and the approval survives a restart', async () => {
    const first = await staffFirstHalf('dr.ada');
    const second = await kit.identity.enrolments.approve(first.enrolmentId, EVIDENCE, privacy);
    const log = JSON.stringify(await kit.events());
    for (const code of [first.code, second.code]) assert.ok(!log.includes(code.replace(/-/g, '').slice(8)) && !log.includes(code), 'no half in the log');
    const identity = await kit.reopen();
    const done = await identity.enrolments.redeem({ username: 'dr.ada', code: first.code, secondCode: second.code, newPassword: PASSWORD });
    assert.ok(done.ok);
  });
});
