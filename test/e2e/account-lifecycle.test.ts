// Account lifecycle over HTTPS with the vault's own CA: disabling ends sessions and stops API
// tokens, enabling restores them, unlocking clears a lockout; expired, revoked and rotated-out
// tokens are refused; tokens come from the host and a service rotates its own; every lifecycle
// route is for admins only, and each action is audited with its decision and its outcome.
import { strict as assert } from 'node:assert';
import { HOST_ACTOR } from '../../vault/identity/principal.ts';
import { PASSWORD, USERS, worldForSuite, type World } from './service-world.ts';

const DAY = 86_400_000;

describe('account lifecycle (HTTPS)', function () {
  this.timeout(120_000);
  const suite = worldForSuite({ https: true });
  let w: World;
  let ehr: string;
  before(async () => {
    w = suite.w;
    ehr = (await w.service.identity.createAccount({ username: 'ehr.gateway', roles: ['ehr_service'], kind: 'service' }, HOST_ACTOR)).account.accountId;
  });

  const asAdmin = async (method: string, path: string, body?: unknown) => w.http(path, { method, token: await w.login('admin'), ...(body === undefined ? {} : { body }) });
  /** tokens are issued on the host */
  const issue = (request: { label: string; lifetimeDays?: number } = { label: 'integration' }) => w.service.identity.issueApiToken(ehr, request, HOST_ACTOR);
  const rotateOwn = (token: string, body: Record<string, unknown> = {}) => w.http('/api-tokens/current/rotate', { method: 'POST', token, body });
  /** an EHR write that needs an authenticated, enabled service account */
  const ehrWrite = (token: string) => w.http(`/patients/${w.patientB}/care-team/${w.accounts.clin_b!.accountId}`, { method: 'PUT', token });
  const auditEntries = async (action: string) => (await w.service.audit.query({ limit: 10_000 })).map((e) => e.body).filter((e) => e.action === action);

  it('disabling ends a person\u2019s sessions and stops a service\u2019s tokens; enabling restores both', async () => {
    const person = w.accounts.clin_a!;
    const session = await w.login('clin_a');
    const { token } = await issue();
    assert.equal((await w.http(`/patients/${w.patientA}`, { token: session })).status, 200);
    assert.equal((await ehrWrite(token)).status, 204);

    for (const accountId of [person.accountId, ehr]) assert.equal((await asAdmin('POST', `/users/${accountId}/disable`)).status, 204);
    assert.equal((await w.http(`/patients/${w.patientA}`, { token: session })).status, 401, 'the session ended');
    assert.equal((await ehrWrite(token)).status, 401, 'the token stopped');
    await assert.rejects(w.login('clin_a'), /401/, 'a disabled person cannot log in');

    for (const accountId of [person.accountId, ehr]) assert.equal((await asAdmin('POST', `/users/${accountId}/enable`)).status, 204);
    assert.equal((await ehrWrite(token)).status, 204, 'the unexpired token works again');
    assert.equal((await w.http(`/patients/${w.patientA}`, { token: await w.login('clin_a') })).status, 200);
    assert.equal((await w.http(`/patients/${w.patientA}`, { token: session })).status, 401, 'the old session stays ended');

    const disabled = (await auditEntries('user.disable')).map((e) => [e.decision, e.reason, e.actorId].join(' '));
    assert.deepEqual(disabled.sort(), [`success ${person.accountId} ${w.accounts.admin!.accountId}`, `success ${ehr} ${w.accounts.admin!.accountId}`].sort());
    assert.equal((await asAdmin('POST', `/users/${w.accounts.admin!.accountId}/disable`)).status, 403, 'an admin cannot disable themselves');
    const [latest] = await auditEntries('user.disable'); // newest first
    assert.deepEqual([latest?.decision, latest?.reason], ['failure', `${w.accounts.admin!.accountId} not_permitted`], 'the refused action is audited as a failure');
    assert.deepEqual([latest?.sourceAddress, latest?.route], ['127.0.0.1', 'POST /v1/users/:accountId/disable'], 'with where it came from');
  });

  it('unlocking lets a locked-out client log in at once', async () => {
    const from = '127.0.0.5';
    for (let i = 0; i < 5; i++) {
      const r = await w.http('/sessions', { method: 'POST', localAddress: from, body: { username: 'clin_b', password: 'Not-the-password-1' } });
      assert.equal(r.status, 401);
      w.clock.now += 10_000;
    }
    await assert.rejects(w.login('clin_b', PASSWORD, { localAddress: from }), /429/);
    const before = await w.http<{ items: { accountId: string; locked: boolean }[] }>('/users', { token: await w.login('admin') });
    assert.equal(before.body.items.find((a) => a.accountId === w.accounts.clin_b!.accountId)?.locked, true);
    assert.equal((await asAdmin('POST', `/users/${w.accounts.clin_b!.accountId}/unlock`)).status, 204);
    await w.login('clin_b', PASSWORD, { localAddress: from });
    assert.deepEqual((await auditEntries('user.unlock')).map((e) => [e.decision, e.reason]), [['success', w.accounts.clin_b!.accountId]]);
    assert.equal((await asAdmin('POST', '/users/acc_0000000000000000/unlock')).status, 404);
  });

  it('refuses expired, revoked and rotated-out tokens, and lists tokens without them', async () => {
    const short = await issue({ label: 'short', lifetimeDays: 1 });
    assert.equal(short.expiresAt, new Date(w.clock.now + DAY).toISOString());
    const revoked = await issue({ label: 'revoked' });
    const old = await issue({ label: 'rotated' });
    const tooLong = await rotateOwn(old.token, { expiresInDays: 400 });
    assert.equal(tooLong.status, 400);
    assert.equal((tooLong.body.errors as { path: string }[])[0]?.path, 'body.expiresInDays');

    assert.equal((await asAdmin('DELETE', `/users/${ehr}/api-tokens/${revoked.tokenId}`)).status, 204);
    assert.equal((await ehrWrite(revoked.token)).status, 401, 'revoked');

    const rotation = await rotateOwn(old.token);
    assert.equal(rotation.status, 201, rotation.text);
    const fresh = rotation.body as { tokenId: string; token: string; previous: { tokenId: string; expiresAt: string } };
    assert.equal(fresh.previous.expiresAt, new Date(w.clock.now + 60 * 60_000).toISOString(), 'the old token works for the hour of overlap');
    assert.equal((await ehrWrite(old.token)).status, 204);
    assert.equal((await ehrWrite(fresh.token)).status, 204);
    assert.equal(fresh.previous.tokenId, old.tokenId);
    assert.equal((await rotateOwn(old.token)).status, 409, 'a token is rotated once');
    w.clock.now += 61 * 60_000;
    assert.equal((await ehrWrite(old.token)).status, 401, 'rotated out');
    assert.equal((await ehrWrite(fresh.token)).status, 204);
    assert.equal((await ehrWrite(short.token)).status, 204);
    w.clock.now += DAY;
    assert.equal((await ehrWrite(short.token)).status, 401, 'expired');
    assert.equal((await ehrWrite(fresh.token)).status, 204);

    const listing = await asAdmin('GET', `/users/${ehr}/api-tokens`);
    assert.equal(listing.status, 200);
    const items = listing.body.items as { tokenId: string; label: string; state: string; expiresAt: string; replacedBy?: string }[];
    const mine = [short, revoked, old, fresh].map((t) => t.tokenId);
    const byLabel = Object.fromEntries(items.filter((t) => mine.includes(t.tokenId)).map((t) => [t.tokenId === fresh.tokenId ? 'replacement' : t.label, t.state]));
    assert.deepEqual(byLabel, { short: 'expired', revoked: 'revoked', rotated: 'expired', replacement: 'active' });
    assert.equal(items.find((t) => t.tokenId === old.tokenId)?.replacedBy, fresh.tokenId);
    for (const secret of [short.token, revoked.token, old.token, fresh.token]) assert.ok(!listing.text.includes(secret.slice(4)), 'no token in the listing');
    assert.ok(!/hash/i.test(listing.text));
    for (const action of ['token.revoke', 'token.rotate', 'token.list']) assert.ok((await auditEntries(action)).some((e) => e.decision === 'success'), action);
    assert.ok((await auditEntries('token.rotate')).some((e) => e.decision === 'failure' && e.reason === `${ehr} invalid_token_lifetime`));
    assert.ok((await auditEntries('token.rotate')).every((e) => e.flagged === true), 'every rotation is reviewed');
  });

  it('refuses every lifecycle route to every other role and to the EHR service, and audits each refusal', async () => {
    const { token: ehrToken } = await issue({ label: 'probe' });
    const target = w.accounts.clin_b!.accountId;
    const tokenId = 'tok_0123456789abcdef';
    const routes: [string, string, unknown?][] = [
      ['POST', `/users/${target}/disable`],
      ['POST', `/users/${target}/enable`],
      ['POST', `/users/${target}/unlock`],
      ['GET', `/users/${ehr}/api-tokens`],
      ['DELETE', `/users/${ehr}/api-tokens/${tokenId}`],
    ];
    const mounted = w.routes.filter((r) => /\/users\/:accountId\/(disable|enable|unlock|api-tokens)/.test(r.fullPath)).map((r) => `${r.route.method.toUpperCase()} ${r.fullPath}`);
    assert.equal(mounted.length, routes.length, `every lifecycle route is probed: ${mounted.join(', ')}`);
    const callers: [string, string][] = [...USERS.filter((u) => u !== 'admin').map((u): [string, string] => [u, '']), ['ehr.gateway', ehrToken]];
    for (const [who, fixedToken] of callers) {
      const token = fixedToken || (await w.login(who));
      for (const [method, path, body] of routes) {
        const r = await w.http(path, { method, token, ...(body === undefined ? {} : { body }) });
        assert.equal(r.status, 403, `${who} ${method} ${path}`);
        const [decision] = (await w.service.audit.query({ limit: 10_000 })).filter((e) => e.body.requestId === r.headers.get('x-request-id'));
        assert.equal(decision?.body.decision, 'deny', `${who} ${method} ${path} is audited`);
      }
    }
    for (const [method, path, body] of routes) assert.equal((await w.http(path, { method, ...(body === undefined ? {} : { body }) })).status, 401);
    assert.equal(w.service.identity.getAccount(target)?.disabled, false, 'nothing changed');
  });
});
