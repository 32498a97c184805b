// The lifecycle of accounts and API tokens in the identity service: tokens expire (older tokens
// too, counted from issue), rotate with a bounded overlap, revoke, list without secrets; unlock
// and enable clear login throttling; only admins (or the host) may do any of it.
import { strict as assert } from 'node:assert';
import { IdentityError } from '../../../vault/identity/identity-errors.ts';
import { HOST_ACTOR, type Principal } from '../../../vault/identity/principal.ts';
import { isLoginRefusal } from '../../../vault/identity/throttled-login.ts';
import type { Kit } from './identity-kit.ts';
import { addPerson, codeAt, openKit, PASSWORD, STEP } from './identity-kit.ts';

const DAY = 86_400_000;
const MIN = 60_000;
const isIdentityError = (code: string, field?: string) => (e: unknown) => e instanceof IdentityError && e.code === code && (field === undefined || e.field === field);

describe('IdentityService account lifecycle', () => {
  let kit: Kit;
  let ehr: string;
  beforeEach(async () => {
    kit = await openKit();
    ehr = (await kit.identity.createAccount({ username: 'ehr.link', roles: ['ehr_service'], kind: 'service' }, HOST_ACTOR)).account.accountId;
  });
  afterEach(async () => kit.close());

  it('gives every token an expiry (90 days unless asked, at most 365) and refuses it from then on', async () => {
    const standard = await kit.identity.issueApiToken(ehr, { label: 'EHR' }, HOST_ACTOR);
    const short = await kit.identity.issueApiToken(ehr, { label: 'EHR short', lifetimeDays: 7 }, HOST_ACTOR);
    assert.equal(standard.expiresAt, new Date(kit.clock.t + 90 * DAY).toISOString());
    assert.equal(short.expiresAt, new Date(kit.clock.t + 7 * DAY).toISOString());
    for (const days of [0, 366, 1.5]) {
      await assert.rejects(kit.identity.issueApiToken(ehr, { label: 'x', lifetimeDays: days }, HOST_ACTOR), isIdentityError('invalid_token_lifetime', 'expiresInDays'));
    }
    kit.clock.t += 7 * DAY - 1;
    assert.ok(kit.identity.authenticateToken(short.token));
    kit.clock.t += 1;
    assert.equal(kit.identity.authenticateToken(short.token), null, 'expired');
    assert.ok(kit.identity.authenticateToken(standard.token));
    kit.clock.t += 83 * DAY;
    assert.equal(kit.identity.authenticateToken(standard.token), null, 'expired after 90 days');
    const listed = kit.identity.listApiTokens(ehr, HOST_ACTOR);
    assert.deepEqual(listed.map((t) => [t.label, t.state]), [['EHR', 'expired'], ['EHR short', 'expired']]);
  });

  it('lets a token issued before tokens expired expire 90 days after its issue', async () => {
    const issuedAt = kit.clock.t - 30 * DAY;
    const token = 'gvt_legacy-token-for-tests-0123456789abcdefghijklmnop';
    const { createHash } = await import('node:crypto');
    await kit.appendRaw({ type: 'api_token.issued', accountId: ehr, actorId: 'host', at: new Date(issuedAt).toISOString(), tokenId: 'tok_legacy', tokenHash: createHash('sha256').update(token).digest('hex'), label: 'old' });
    const identity = await kit.reopen();
    assert.equal(identity.authenticateToken(token)?.accountId, ehr);
    assert.equal(identity.listApiTokens(ehr, HOST_ACTOR)[0]?.expiresAt, new Date(issuedAt + 90 * DAY).toISOString());
    kit.clock.t = issuedAt + 90 * DAY;
    assert.equal(identity.authenticateToken(token), null);
  });

  it('rotates: the replacement works at once, the old token only for the overlap, and neither rotates twice', async () => {
    const old = await kit.identity.issueApiToken(ehr, { label: 'EHR' }, HOST_ACTOR);
    kit.clock.t += DAY;
    const fresh = await kit.identity.rotateApiToken(ehr, old.tokenId, {}, HOST_ACTOR);
    assert.equal(fresh.previousExpiresAt, new Date(kit.clock.t + 60 * MIN).toISOString());
    assert.equal(fresh.expiresAt, new Date(kit.clock.t + 90 * DAY).toISOString());
    assert.ok(kit.identity.authenticateToken(old.token) && kit.identity.authenticateToken(fresh.token));
    await assert.rejects(kit.identity.rotateApiToken(ehr, old.tokenId, {}, HOST_ACTOR), isIdentityError('api_token_inactive', 'tokenId'));
    kit.clock.t += 60 * MIN;
    assert.equal(kit.identity.authenticateToken(old.token), null, 'rotated out after the overlap');
    assert.ok(kit.identity.authenticateToken(fresh.token));
    const listed = kit.identity.listApiTokens(ehr, HOST_ACTOR);
    assert.deepEqual(
      listed.map((t) => [t.tokenId, t.state, t.replacedBy ?? null, t.rotatedFrom ?? null]),
      [[old.tokenId, 'expired', fresh.tokenId, null], [fresh.tokenId, 'active', null, old.tokenId]],
    );
    // the same after a restart: the rotation is in the log
    const identity = await kit.reopen();
    assert.deepEqual(identity.listApiTokens(ehr, HOST_ACTOR), listed);
    assert.equal(identity.authenticateToken(old.token), null);
  });

  it('rotates with no overlap when so configured, and never stretches an old token past its own expiry', async () => {
    const identity = await kit.reopen({ apiTokens: { rotationOverlapMs: 0 } });
    const old = await identity.issueApiToken(ehr, { label: 'EHR', lifetimeDays: 1 }, HOST_ACTOR);
    const fresh = await identity.rotateApiToken(ehr, old.tokenId, { lifetimeDays: 30 }, HOST_ACTOR);
    assert.equal(identity.authenticateToken(old.token), null);
    assert.equal(fresh.expiresAt, new Date(kit.clock.t + 30 * DAY).toISOString());
    const long = await (await kit.reopen({ apiTokens: { rotationOverlapMs: 7 * DAY } })).issueApiToken(ehr, { label: 'EHR2', lifetimeDays: 1 }, HOST_ACTOR);
    const rotated = await kit.identity.rotateApiToken(ehr, long.tokenId, {}, HOST_ACTOR);
    assert.equal(rotated.previousExpiresAt, long.expiresAt);
  });

  it('revokes at once, idempotently, and only through the account that owns the token', async () => {
    const issued = await kit.identity.issueApiToken(ehr, { label: 'EHR' }, HOST_ACTOR);
    const other = (await kit.identity.createAccount({ username: 'lab.link', roles: ['ehr_service'], kind: 'service' }, HOST_ACTOR)).account.accountId;
    await assert.rejects(kit.identity.revokeApiToken(issued.tokenId, HOST_ACTOR, other), isIdentityError('unknown_api_token'));
    assert.ok(kit.identity.authenticateToken(issued.token));
    await kit.identity.revokeApiToken(issued.tokenId, HOST_ACTOR, ehr);
    assert.equal(kit.identity.authenticateToken(issued.token), null);
    const eventsBefore = (await kit.events()).length;
    await kit.identity.revokeApiToken(issued.tokenId, HOST_ACTOR, ehr);
    assert.equal((await kit.events()).length, eventsBefore, 'revoking twice writes nothing');
    await assert.rejects(kit.identity.rotateApiToken(ehr, issued.tokenId, {}, HOST_ACTOR), isIdentityError('api_token_inactive'));
    const [listed] = kit.identity.listApiTokens(ehr, HOST_ACTOR);
    assert.equal(listed?.state, 'revoked');
    assert.equal(listed?.revokedAt, new Date(kit.clock.t).toISOString());
    assert.ok(!JSON.stringify(kit.identity.listApiTokens(ehr, HOST_ACTOR)).includes(issued.token.slice(4)));
  });

  it('lets only the host issue or rotate tokens, only admins and the host list, revoke, unlock or enable', async () => {
    const clinician = await addPerson(kit, 'dr.ada');
    const admin = await addPerson(kit, 'root.admin', ['admin']);
    const as = async (username: string, secret: string): Promise<Principal> => {
      kit.clock.t += STEP;
      const r = await kit.identity.login({ username, password: PASSWORD, totp: codeAt(kit, secret) });
      assert.ok(r.ok);
      return r.principal;
    };
    const doctor = await as('dr.ada', clinician.secret);
    const issued = await kit.identity.issueApiToken(ehr, { label: 'EHR' }, HOST_ACTOR);
    const root = await as('root.admin', admin.secret);
    for (const actor of [doctor, root]) {
      await assert.rejects(kit.identity.issueApiToken(ehr, { label: 'x' }, actor), isIdentityError('token_issued_on_host'));
      await assert.rejects(kit.identity.rotateApiToken(ehr, issued.tokenId, {}, actor), isIdentityError('token_issued_on_host'));
      await assert.rejects(kit.identity.rotatePresentedApiToken(issued.token, {}, actor), isIdentityError('not_permitted'), 'only the token\u2019s own service rotates it');
    }
    const attempts = [
      () => kit.identity.revokeApiToken(issued.tokenId, doctor, ehr),
      () => Promise.resolve().then(() => kit.identity.listApiTokens(ehr, doctor)),
      () => Promise.resolve().then(() => kit.identity.unlockAccount(clinician.accountId, doctor)),
      () => kit.identity.enableAccount(clinician.accountId, doctor),
      () => kit.identity.disableAccount(admin.accountId, doctor),
    ];
    for (const attempt of attempts) await assert.rejects(attempt(), isIdentityError('not_permitted'));
    assert.equal(kit.identity.listApiTokens(ehr, root).length, 1);
    assert.throws(() => kit.identity.unlockAccount('acc_0000000000000000', root), isIdentityError('unknown_account'));
  });

  it('lets a service rotate the token it presents, and nothing else', async () => {
    const issued = await kit.identity.issueApiToken(ehr, { label: 'EHR' }, HOST_ACTOR);
    const other = await kit.identity.issueApiToken(ehr, { label: 'EHR 2' }, HOST_ACTOR);
    const self = kit.identity.authenticateToken(issued.token)!;
    const rotated = await kit.identity.rotatePresentedApiToken(issued.token, { lifetimeDays: 30 }, self);
    assert.equal(rotated.tokenIdReplaced, issued.tokenId);
    assert.equal(kit.identity.authenticateToken(rotated.token)?.accountId, ehr);
    await assert.rejects(kit.identity.rotatePresentedApiToken(issued.token, {}, self), isIdentityError('api_token_inactive'), 'a rotated-out token rotates no more');
    const lab = (await kit.identity.createAccount({ username: 'lab.link', roles: ['ehr_service'], kind: 'service' }, HOST_ACTOR)).account.accountId;
    const labToken = await kit.identity.issueApiToken(lab, { label: 'lab' }, HOST_ACTOR);
    await assert.rejects(kit.identity.rotatePresentedApiToken(other.token, {}, kit.identity.authenticateToken(labToken.token)!), isIdentityError('not_permitted'), 'not another service\u2019s token');
    await kit.identity.disableAccount(ehr, HOST_ACTOR);
    await assert.rejects(kit.identity.rotatePresentedApiToken(other.token, {}, self), isIdentityError('not_permitted'), 'a disabled service rotates nothing');
  });

  it('unlock, and enable, forget the failures and locks against an account', async () => {
    const { accountId, secret } = await addPerson(kit, 'dr.ada');
    const lockOut = async (client: string) => {
      for (let i = 0; i < 5; i++) {
        const r = await kit.identity.login({ username: 'dr.ada', password: 'Wrong-password-1' }, client);
        assert.ok(!r.ok && !isLoginRefusal(r));
        kit.clock.t += 10_000;
      }
      kit.clock.t += STEP;
      const r = await kit.identity.login({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) }, client);
      assert.ok(!r.ok && isLoginRefusal(r) && r.limit === 'client_account_locked');
      assert.equal(kit.identity.getAccount(accountId)?.locked, true);
    };
    await lockOut('10.0.0.1');
    kit.identity.unlockAccount(accountId, HOST_ACTOR);
    assert.equal(kit.identity.getAccount(accountId)?.locked, false);
    assert.ok((await kit.identity.login({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) }, '10.0.0.1')).ok);
    await lockOut('10.0.0.2');
    await kit.identity.disableAccount(accountId, HOST_ACTOR);
    await kit.identity.enableAccount(accountId, HOST_ACTOR);
    kit.clock.t += STEP;
    assert.ok((await kit.identity.login({ username: 'dr.ada', password: PASSWORD, totp: codeAt(kit, secret) }, '10.0.0.2')).ok);
  });
});
