// Account administration: bad input refused with typed errors and nothing stored; only admins
// (or the host CLI) manage staff accounts, and they never handle anyone's password or TOTP secret
// nor any account linked to a patient; secrets never appear in listings; API tokens for services.
import { strict as assert } from 'node:assert';
import { IdentityError } from '../../../vault/identity/identity-errors.ts';
import type { NewAccount } from '../../../vault/identity/identity-service.ts';
import type { Actor, Principal } from '../../../vault/identity/principal.ts';
import { HOST_ACTOR } from '../../../vault/identity/principal.ts';
import { PERSONAL_ROLES, ROLES, SERVICE_ROLES, STAFF_ROLES } from '../../../vault/identity/roles.ts';
import type { Kit } from './identity-kit.ts';
import { addPerson, codeAt, openKit, PASSWORD, STEP } from './identity-kit.ts';

const isIdentityError = (code: string, field?: string) => (e: unknown) =>
  e instanceof IdentityError && e.code === code && (field === undefined || e.field === field);

describe('IdentityService accounts', () => {
  let kit: Kit;
  beforeEach(async () => (kit = await openKit()));
  afterEach(async () => kit.close());

  async function loginAs(username: string, secret: string): Promise<Principal> {
    kit.clock.t += STEP; // a fresh TOTP step for every login
    const result = await kit.identity.login({ username, password: PASSWORD, totp: codeAt(kit, secret) });
    assert.ok(result.ok, `login as ${username}`);
    return result.principal;
  }

  it('creates an account of every staff role, with an enrolment code and no credentials: whole from the host, a first half from an admin', async () => {
    for (const role of STAFF_ROLES) {
      const { account, enrolment } = await kit.identity.createAccount({ username: `user.${role}`, roles: [role], kind: 'human', ...(role === 'insurer' ? { insurerType: 'life' as const } : {}) }, HOST_ACTOR);
      assert.deepEqual(account.roles, [role]);
      assert.equal(account.createdBy, 'host');
      assert.equal(account.totp, 'none');
      assert.equal(account.enrolmentPending, true);
      assert.match(enrolment?.code ?? '', /^([A-Z2-7]{4}-){7}[A-Z2-7]{4}$/);
      assert.equal(enrolment?.half, 'whole', 'the host needs no second person');
    }
    for (const role of SERVICE_ROLES) {
      const { account, enrolment } = await kit.identity.createAccount({ username: `svc.${role}`, roles: [role], kind: 'service' }, HOST_ACTOR);
      assert.deepEqual([account.kind, account.roles, enrolment], ['service', [role], undefined]);
    }
    assert.equal(kit.identity.listAccounts().length, STAFF_ROLES.length + SERVICE_ROLES.length);
    const admin = await addPerson(kit, 'root.admin', ['admin']);
    const byAdmin = await kit.identity.createAccount({ username: 'by.admin', roles: ['researcher'], kind: 'human' }, await loginAs('root.admin', admin.secret));
    assert.deepEqual([byAdmin.enrolment?.half, byAdmin.enrolment?.approverRoles], ['first', ['privacy_officer']]);
  });

  it('keeps service roles on service accounts and every other role on people', async () => {
    assert.deepEqual([...SERVICE_ROLES], ROLES.filter((role) => role.endsWith('_service')));
    assert.ok(SERVICE_ROLES.includes('ehr_service'));
    for (const role of ROLES.filter((r) => !SERVICE_ROLES.includes(r))) {
      await assert.rejects(kit.identity.createAccount({ username: `svc.${role}`, roles: [role], kind: 'service' }, HOST_ACTOR), isIdentityError('role_not_for_kind', 'roles'), role);
      const mixed = isIdentityError(role === 'admin' ? 'role_conflict' : 'role_not_for_kind', 'roles');
      await assert.rejects(kit.identity.createAccount({ username: `mix.${role}`, roles: ['ehr_service', role], kind: 'service' }, HOST_ACTOR), mixed, role);
    }
    for (const role of SERVICE_ROLES) {
      await assert.rejects(kit.identity.createAccount({ username: `person.${role}`, roles: [role], kind: 'human' }, HOST_ACTOR), isIdentityError('role_not_for_kind', 'roles'), role);
    }
    const ehr = await kit.identity.createAccount({ username: 'ehr.link', roles: ['ehr_service'], kind: 'service' }, HOST_ACTOR);
    await assert.rejects(kit.identity.setRoles(ehr.account.accountId, ['clinician'], HOST_ACTOR), isIdentityError('role_not_for_kind', 'roles'));
    assert.equal(kit.identity.listAccounts().length, 1);
  });

  it('refuses accounts of a patient, proxy or relative, whoever asks for them outside a patient enrolment', async () => {
    const admin = await addPerson(kit, 'root.admin', ['admin']);
    const before = (await kit.events()).length;
    for (const role of PERSONAL_ROLES) {
      const actors: Actor[] = [HOST_ACTOR, { accountId: admin.accountId, username: 'root.admin', kind: 'human', roles: ['admin'] }];
      for (const actor of actors) {
        await assert.rejects(kit.identity.createAccount({ username: `x.${role}`, roles: [role], kind: 'human' }, actor), isIdentityError('patient_link_requires_enrolment', 'roles'));
        await assert.rejects(kit.identity.createAccount({ username: `y.${role}`, roles: ['researcher', role], kind: 'human' }, actor), isIdentityError('patient_link_requires_enrolment', 'roles'));
      }
    }
    assert.equal((await kit.events()).length, before, 'nothing stored');
  });

  it('refuses bad input with a typed error naming the field, and stores nothing', async () => {
    await addPerson(kit, 'dr.ada');
    const eventsBefore = (await kit.events()).length;
    const base: NewAccount = { username: 'new.user', roles: ['clinician'], kind: 'human' };
    const cases: [Partial<NewAccount>, string, string][] = [
      [{ username: 'ab' }, 'invalid_username', 'username'],
      [{ username: 'bad name' }, 'invalid_username', 'username'],
      [{ username: 'DR.ADA' }, 'username_taken', 'username'],
      [{ roles: [] }, 'invalid_roles', 'roles'],
      [{ roles: ['clinician', 'surgeon'] }, 'invalid_roles', 'roles[1]'],
      [{ roles: ['clinician', 'clinician'] }, 'invalid_roles', 'roles[1]'],
      [{ roles: ['admin', 'auditor'] }, 'role_conflict', 'roles'],
      [{ roles: ['admin', 'clinician'] }, 'role_conflict', 'roles'],
      [{ roles: ['patient'] }, 'patient_link_requires_enrolment', 'roles'],
      [{ kind: 'service', roles: ['patient'] }, 'role_not_for_kind', 'roles'],
      [{ kind: 'service', roles: ['clinician'] }, 'role_not_for_kind', 'roles'],
      [{ roles: ['ehr_service'] }, 'role_not_for_kind', 'roles'],
      [{ kind: 'robot' as 'service' }, 'wrong_account_kind', 'kind'],
    ];
    for (const [change, code, field] of cases) {
      await assert.rejects(kit.identity.createAccount({ ...base, ...change }, HOST_ACTOR), isIdentityError(code, field), `${code} for ${JSON.stringify(change)}`);
    }
    assert.equal((await kit.events()).length, eventsBefore);
    assert.equal(kit.identity.listAccounts().length, 1);
  });

  it('lets one of two concurrent creations of the same username win', async () => {
    const input: NewAccount = { username: 'twin', roles: ['clinician'], kind: 'human' };
    const results = await Promise.allSettled([kit.identity.createAccount(input, HOST_ACTOR), kit.identity.createAccount(input, HOST_ACTOR)]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    assert.equal(kit.identity.listAccounts().length, 1);
  });

  it('lets only admins manage accounts: every other role is refused', async () => {
    const admin = await addPerson(kit, 'root.admin', ['admin']);
    const adminPrincipal = await loginAs('root.admin', admin.secret);
    const target = await addPerson(kit, 'target.user');
    for (const role of ROLES.filter((r) => r !== 'admin' && !SERVICE_ROLES.includes(r))) {
      const person = await addPerson(kit, `some.${role}`, [role], role === 'patient' ? 'pat_9' : undefined);
      const actor = await loginAs(`some.${role}`, person.secret);
      const forbidden = isIdentityError('not_permitted');
      await assert.rejects(kit.identity.createAccount({ username: `x.${role}`, roles: ['clinician'], kind: 'human' }, actor), forbidden, role);
      await assert.rejects(kit.identity.setRoles(target.accountId, ['auditor'], actor), forbidden, role);
      await assert.rejects(kit.identity.disableAccount(target.accountId, actor), forbidden, role);
      await assert.rejects(kit.identity.changePassword(target.accountId, { newPassword: 'Violet-lantern-1987', currentPassword: PASSWORD }, actor), forbidden, role);
      await assert.rejects(kit.identity.enrolments.resetStaffCredentials(target.accountId, 'both', actor), forbidden, role);
      if (!PERSONAL_ROLES.includes(role)) await assert.rejects(kit.identity.setRoles(person.accountId, ['admin'], actor), forbidden, `${role} promoting themselves`);
    }
    const service = await kit.identity.createAccount({ username: 'ehr.link', roles: ['ehr_service'], kind: 'service' }, HOST_ACTOR);
    const serviceActor: Principal = { accountId: service.account.accountId, username: 'ehr.link', kind: 'service', roles: ['ehr_service'] };
    await assert.rejects(kit.identity.createAccount({ username: 'x.service', roles: ['clinician'], kind: 'human' }, serviceActor), isIdentityError('not_permitted'));
    await assert.rejects(kit.identity.enrolments.resetStaffCredentials(target.accountId, 'both', serviceActor), isIdentityError('not_permitted'));
    const made = await kit.identity.createAccount({ username: 'by.admin', roles: ['auditor'], kind: 'human' }, adminPrincipal);
    assert.equal(made.account.createdBy, admin.accountId);
  });

  it('takes an admin power away the moment the admin is demoted or disabled', async () => {
    const admin = await addPerson(kit, 'root.admin', ['admin']);
    const stale = await loginAs('root.admin', admin.secret);
    const other = await addPerson(kit, 'other.admin', ['admin']);
    await kit.identity.setRoles(admin.accountId, ['auditor'], HOST_ACTOR);
    const input: NewAccount = { username: 'late', roles: ['clinician'], kind: 'human' };
    await assert.rejects(kit.identity.createAccount(input, stale), isIdentityError('not_permitted'));
    await kit.identity.setRoles(admin.accountId, ['admin'], HOST_ACTOR);
    await kit.identity.disableAccount(admin.accountId, { ...stale, accountId: other.accountId, username: 'other.admin' });
    await assert.rejects(kit.identity.createAccount(input, stale), isIdentityError('not_permitted'));
  });

  it('stops an admin from changing their own roles or disabling themselves', async () => {
    const admin = await addPerson(kit, 'root.admin', ['admin']);
    const me = await loginAs('root.admin', admin.secret);
    await assert.rejects(kit.identity.setRoles(admin.accountId, ['clinician'], me), isIdentityError('not_permitted'));
    await assert.rejects(kit.identity.disableAccount(admin.accountId, me), isIdentityError('not_permitted'));
  });

  it('applies role changes to live sessions at once', async () => {
    const { accountId, secret } = await addPerson(kit, 'dr.ada');
    kit.clock.t += STEP;
    const login = await kit.identity.login({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) });
    assert.ok(login.ok);
    await kit.identity.setRoles(accountId, ['researcher'], HOST_ACTOR);
    assert.deepEqual(kit.identity.authenticateToken(login.token)?.roles, ['researcher']);
  });

  it('lets people change only their own password, giving the current one: an admin sets nobody\u2019s', async () => {
    const { accountId, secret } = await addPerson(kit, 'dr.ada');
    const admin = await addPerson(kit, 'root.admin', ['admin']);
    const adminPrincipal = await loginAs('root.admin', admin.secret);
    for (const actor of [HOST_ACTOR, adminPrincipal] as Actor[]) {
      await assert.rejects(kit.identity.changePassword(accountId, { newPassword: 'Violet-lantern-1987', currentPassword: PASSWORD }, actor), isIdentityError('not_permitted'));
    }
    const me = await loginAs('dr.ada', secret);
    await assert.rejects(kit.identity.changePassword(accountId, { newPassword: 'Violet-lantern-1987' }, me), isIdentityError('current_password_wrong', 'currentPassword'));
    await assert.rejects(
      kit.identity.changePassword(accountId, { newPassword: 'Violet-lantern-1987', currentPassword: 'Wrong-password-1' }, me),
      isIdentityError('current_password_wrong'),
    );
    await assert.rejects(kit.identity.changePassword(accountId, { newPassword: 'too short', currentPassword: PASSWORD }, me), isIdentityError('password_too_short'));
    await kit.identity.changePassword(accountId, { newPassword: 'Violet-lantern-1987', currentPassword: PASSWORD }, me);
  });

  it('lets only the holder confirm their pending TOTP secret', async () => {
    const { account, enrolment } = await kit.identity.createAccount({ username: 'dr.ada', roles: ['clinician'], kind: 'human' }, HOST_ACTOR);
    const redeemed = await kit.identity.enrolments.redeem({ username: 'dr.ada', code: enrolment!.code, newPassword: PASSWORD });
    assert.ok(redeemed.ok && redeemed.totp);
    const { secret } = redeemed.totp;
    await assert.rejects(kit.identity.confirmTotp(account.accountId, codeAt(kit, secret), HOST_ACTOR), isIdentityError('not_permitted'));
    await assert.rejects(kit.identity.confirmTotp(account.accountId, '000000', redeemed.principal), isIdentityError('totp_code_invalid'));
    await kit.identity.confirmTotp(account.accountId, codeAt(kit, secret), redeemed.principal);
    const me = await loginAs('dr.ada', secret);
    await assert.rejects(kit.identity.confirmTotp(account.accountId, codeAt(kit, secret), me), isIdentityError('totp_not_pending'));
  });

  it('never changes the roles of an account linked to a patient, nor gives a staff account a patient role', async () => {
    const patient = await addPerson(kit, 'pat.eve', ['patient'], 'pat_eve');
    const proxy = await addPerson(kit, 'proxy.max', ['proxy'], 'pat_eve');
    const staff = await addPerson(kit, 'dr.ada');
    for (const target of [patient, proxy]) {
      await assert.rejects(kit.identity.setRoles(target.accountId, ['clinician'], HOST_ACTOR), isIdentityError('patient_linked_account'));
    }
    for (const role of PERSONAL_ROLES) await assert.rejects(kit.identity.setRoles(staff.accountId, [role], HOST_ACTOR), isIdentityError('patient_link_requires_enrolment'));
    assert.deepEqual(kit.identity.getAccount(staff.accountId)?.roles, ['clinician']);
  });

  it('authenticates service accounts by API token, shown once and stored hashed, until revoked', async () => {
    const { account: ehr } = await kit.identity.createAccount({ username: 'ehr.link', roles: ['ehr_service'], kind: 'service' }, HOST_ACTOR);
    const { tokenId, token } = await kit.identity.issueApiToken(ehr.accountId, 'EHR integration', HOST_ACTOR);
    assert.match(token, /^gvt_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(kit.identity.authenticateToken(token), { accountId: ehr.accountId, username: 'ehr.link', kind: 'service', roles: ['ehr_service'] });
    assert.equal(kit.identity.authenticateToken(`${token}x`), null);
    const issued = (await kit.events()).find((e) => e.type === 'api_token.issued');
    assert.ok(issued?.type === 'api_token.issued' && !JSON.stringify(issued).includes(token));

    const identity = await kit.reopen();
    assert.equal(identity.authenticateToken(token)?.accountId, ehr.accountId);
    await identity.revokeApiToken(tokenId, HOST_ACTOR);
    assert.equal(identity.authenticateToken(token), null);
    const person = await addPerson(kit, 'dr.ada');
    await assert.rejects(identity.issueApiToken(person.accountId, 'nope', HOST_ACTOR), isIdentityError('wrong_account_kind'));
    await assert.rejects(identity.revokeApiToken('tok_missing', HOST_ACTOR), isIdentityError('unknown_api_token'));
  });

  it('stops API tokens of a disabled service account', async () => {
    const { account: ehr } = await kit.identity.createAccount({ username: 'ehr.link', roles: ['ehr_service'], kind: 'service' }, HOST_ACTOR);
    const { token } = await kit.identity.issueApiToken(ehr.accountId, 'EHR', HOST_ACTOR);
    await kit.identity.disableAccount(ehr.accountId, HOST_ACTOR);
    assert.equal(kit.identity.authenticateToken(token), null);
    await kit.identity.enableAccount(ehr.accountId, HOST_ACTOR);
    assert.ok(kit.identity.authenticateToken(token));
  });

  it('lists accounts without any hash, secret or token', async () => {
    const { secret } = await addPerson(kit, 'dr.ada');
    const { account: ehr } = await kit.identity.createAccount({ username: 'ehr.link', roles: ['ehr_service'], kind: 'service' }, HOST_ACTOR);
    const { token } = await kit.identity.issueApiToken(ehr.accountId, 'EHR', HOST_ACTOR);
    const listing = JSON.stringify(kit.identity.listAccounts());
    const events = JSON.stringify(await kit.events());
    const secrets = [secret, token, ...[...events.matchAll(/\$scrypt\$[^"]+/g)].map((m) => m[0]), ...[...events.matchAll(/"tokenHash":"([0-9a-f]+)"/g)].map((m) => m[1]!)];
    assert.ok(secrets.length >= 4);
    for (const value of secrets) assert.ok(!listing.includes(value), 'listing leaks a secret');
    assert.ok(!/scrypt|secret|hash/i.test(listing), listing);
  });
});
