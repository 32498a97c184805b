// A service replaces its own API token over HTTPS, and the access policy decides it on its own
// resource (`api_token`): a person (an administrator, whose lines are about `account`) is refused
// and the refusal audited, and a policy version that takes a service's line away refuses that
// service even when it gives it a line on `account`.
import { strict as assert } from 'node:assert';
import { worldForSuite, type World } from './service-world.ts';
import { HOST_ACTOR } from '../../vault/identity/principal.ts';
import type { HttpResult } from '../helpers/http-client.ts';
import { callerFor, replacingRule, shippedPolicy } from './policy-kit.ts';

/** A service account with one role and a token issued on the host, as `genovault users add` and `issue-token` make them. */
async function serviceWithToken(w: World, username: string, role: 'lab_service' | 'ehr_service'): Promise<string> {
  const { account } = await w.service.identity.createAccount({ username, roles: [role], kind: 'service' }, HOST_ACTOR);
  return (await w.service.identity.issueApiToken(account.accountId, 'deploy', HOST_ACTOR)).token;
}

/** The authorization decision a rotation request was given: [decision, resource, rule id]. */
async function rotationDecision(w: World, response: HttpResult<unknown>): Promise<[string, string, string | null] | undefined> {
  const decided = (await w.auditOf(response)).find((e) => e.body.action === 'update' && e.body.resource === 'api_token');
  return decided && [decided.body.decision, decided.body.resource, decided.body.rule?.split(', ')[1] ?? null];
}

describe('POST /v1/api-tokens/current/rotate: decided by the policy on its own resource (HTTPS)', function () {
  this.timeout(120_000);
  const world = worldForSuite({ https: true });
  const tokens = new Map<string, string>();
  const rotate = (w: World, token: string) => w.http<{ token: string; code?: string }>('/api-tokens/current/rotate', { method: 'POST', token, body: {} });

  it('permits a service its own token by its line, and refuses an administrator (whose lines are about accounts), each decision audited', async () => {
    const { w } = world;
    const lab = await serviceWithToken(w, 'lab-rotator', 'lab_service');
    const rotated = await rotate(w, lab);
    assert.equal(rotated.status, 201, rotated.text);
    assert.deepEqual(await rotationDecision(w, rotated), ['permit', 'api_token', 'lab-rotates-own-api-token']);

    const admin = await rotate(w, await w.login('admin'));
    assert.equal(admin.status, 403, admin.text);
    assert.equal(admin.body.code, 'forbidden', 'refused by the policy, before any token is looked at');
    assert.deepEqual(await rotationDecision(w, admin), ['deny', 'api_token', 'admin-never-rotates-api-tokens']);
    assert.equal((await w.auditOf(admin)).some((e) => e.body.action === 'token.rotate'), false, 'nothing was attempted');
  });

  it('refuses a service whose line a newer policy version took away, even with a line on account; another service rotates on', async () => {
    const { w } = world;
    const lab = await serviceWithToken(w, 'lab-second', 'lab_service');
    const ehr = await serviceWithToken(w, 'ehr-second', 'ehr_service');
    const text = replacingRule(await shippedPolicy(), 'lab-rotates-own-api-token', 'p, lab-manages-accounts, lab_service, account, *, operations, any, allow');
    const proposed = await callerFor(w, tokens, 'privacy')<{ proposalId: string }>('POST', '/policy/proposals', { text, rationale: 'the laboratory gets its tokens from the host only' });
    assert.equal(proposed.status, 201, proposed.text);
    const decided = await callerFor(w, tokens, 'ethics')('POST', `/policy/proposals/${proposed.body.proposalId}/decision`, { decision: 'approve', reason: 'reviewed with the what-if replay' });
    assert.equal(decided.status, 200, decided.text);

    const refused = await rotate(w, lab);
    assert.equal(refused.status, 403, refused.text);
    assert.deepEqual(await rotationDecision(w, refused), ['deny', 'api_token', null]);
    assert.equal((await w.auditOf(refused)).some((e) => e.body.action === 'token.rotate'), false, 'nothing was rotated');
    const other = await rotate(w, ehr);
    assert.equal(other.status, 201, other.text);
    assert.deepEqual(await rotationDecision(w, other), ['permit', 'api_token', 'ehr-rotates-own-api-token']);
  });
});
