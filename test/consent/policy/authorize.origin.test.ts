// A decision's audit entry carries where the request came from when the caller says so: the
// source address, the client's own request id and the route, beside the server's request id.
import assert from 'node:assert/strict';
import { createAuthorizer, type AccessRequest, type AuthorizationAuditEvent } from '../../../consent/policy/authorize.ts';
import { InMemoryRelationships } from './helpers/relationships.ts';

const request: AccessRequest = { subject: { userId: 'dr-b', roles: ['clinician'] }, patientId: 'p-1', resource: 'variants', action: 'read', purpose: 'treatment' };

describe('authorize(): the origin of a decision', () => {
  it('records source address, client request id and route with permits and refusals alike', async () => {
    const recorded: AuthorizationAuditEvent[] = [];
    const authorizer = await createAuthorizer({ facts: new InMemoryRelationships().addToCareTeam('dr-a', 'p-1'), audit: (e) => Promise.resolve(void recorded.push(e)) });
    const origin = { sourceAddress: '192.0.2.7', clientRequestId: 'client-77-abc', route: 'GET /v1/patients/:id/variants' };
    await authorizer.authorize(request, { requestId: 'req-1', ...origin });
    await authorizer.authorize({ ...request, subject: { userId: 'dr-a', roles: ['clinician'] } }, { requestId: 'req-2', ...origin });
    assert.deepEqual(
      recorded.map((e) => [e.requestId, e.decision, e.sourceAddress, e.clientRequestId, e.route]),
      [['req-1', 'deny', ...Object.values(origin)], ['req-2', 'permit', ...Object.values(origin)]],
    );
  });

  it('adds no origin fields the caller did not give', async () => {
    const recorded: AuthorizationAuditEvent[] = [];
    const authorizer = await createAuthorizer({ facts: new InMemoryRelationships(), audit: (e) => Promise.resolve(void recorded.push(e)) });
    await authorizer.authorize(request, { requestId: 'req-3' });
    assert.ok(!('sourceAddress' in recorded[0]!) && !('clientRequestId' in recorded[0]!) && !('route' in recorded[0]!));
  });
});
