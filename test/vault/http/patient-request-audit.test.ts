// Every request to a patient route is audited whatever its outcome, with the server's request id,
// the client's id beside it and the source address; a request whose decision was already audited
// is not logged twice.
import assert from 'node:assert/strict';
import { z } from 'zod';
import { createHttpApp } from '../../../vault/http/app.ts';
import { defineRoute, defineRouteTable } from '../../../vault/http/route.ts';
import { needsOutcomeEntry, patientIdInPath } from '../../../vault/http/patient-request-audit.ts';
import type { PatientRequestOutcome } from '../../../vault/http/patient-request-audit.ts';
import { startServer } from '../../../vault/http/start-server.ts';
import type { RunningServer } from '../../../vault/http/start-server.ts';
import { ApiError } from '../../../vault/http/api-error.ts';
import { IdSchema } from '../../../schemas/http/common.ts';
import { bearerAuthenticator, GOOD_TOKEN, logSink, recordOutcomes, send, testRoutes } from './http-test-kit.ts';

const ID = '0b7c3f7e-4a51-4c56-9f5e-1c2d3e4f5a6b';

/** A patient route whose handler plays an authorization decision, then answers or fails. */
const decidedRoutes = defineRouteTable('decided', [
  defineRoute({
    method: 'get',
    path: '/patients/:pid/decided',
    summary: 'Plays a decision',
    tags: ['test'],
    auth: 'session',
    touchesPatientData: true,
    patientParam: 'pid',
    request: { params: z.object({ pid: IdSchema }), query: z.object({ decision: z.enum(['permit', 'deny']), then: z.enum(['answer', 'fail', 'crash']) }) },
    responses: { 200: { description: 'answered' } },
    handler: ({ query }, ctx) => {
      ctx.state.auditedDecision = query.decision;
      if (query.then === 'fail') throw new ApiError({ code: 'not_found', status: 404, title: 'Not found' });
      if (query.then === 'crash') throw new Error('a fault after the decision');
      return { ok: true };
    },
  }),
]);

describe('auditing every request to a patient route', () => {
  let server: RunningServer;
  let recorded: ReturnType<typeof recordOutcomes>;
  let failAudit = false;

  before(async () => {
    recorded = recordOutcomes();
    const auditor = (outcome: PatientRequestOutcome) => (failAudit ? Promise.reject(new Error('audit log unavailable')) : recorded.auditor(outcome));
    const isPatientId = (segment: string) => IdSchema.safeParse(segment).success;
    const { app } = createHttpApp({ logger: logSink().logger, routeTables: [testRoutes, decidedRoutes], tls: false, authenticate: bearerAuthenticator, auditPatientRequest: auditor, isPatientId });
    server = await startServer(app, { host: '127.0.0.1', port: 0, plainHttp: true });
  });
  beforeEach(() => {
    recorded.outcomes.length = 0;
    failAudit = false;
  });
  after(() => server?.close());

  const only = (requestId: unknown): PatientRequestOutcome => {
    const matching = recorded.outcomes.filter((o) => o.requestId === requestId);
    assert.equal(matching.length, 1, `exactly one outcome for ${String(requestId)}: ${JSON.stringify(recorded.outcomes)}`);
    return matching[0]!;
  };

  it('records a refused filter (400) with the route, status, code, patient, source address and both request ids', async () => {
    const reply = await send(`${server.url}/v1/things/${ID}?region=chr1:1-2%27%20OR%201=1`, { headers: { 'x-request-id': 'client-chosen-id-1' } });
    assert.equal(reply.status, 400);
    const outcome = only(reply.headers['x-request-id']);
    assert.notEqual(outcome.requestId, 'client-chosen-id-1', 'the audit key is the server\u2019s id');
    assert.deepEqual(
      { ...outcome, requestId: undefined },
      { requestId: undefined, clientRequestId: 'client-chosen-id-1', sourceAddress: '127.0.0.1', route: 'GET /v1/things/:id', status: 400, code: 'validation_failed', patientId: ID, patientIdProblem: null, principal: undefined, decided: undefined },
    );
  });

  it('records a malformed patient id as null with a reason, never the raw value', async () => {
    const reply = await send(`${server.url}/v1/things/MRN-12345%0Aforged`);
    assert.equal(reply.status, 400);
    const outcome = only(reply.headers['x-request-id']);
    assert.equal(outcome.patientId, null);
    assert.equal(outcome.patientIdProblem, 'malformed_patient_id');
    assert.ok(!JSON.stringify(outcome).includes('MRN-12345'));
  });

  it('records a 401 before authentication, a 405 on a patient path, and an answer no decision covered', async () => {
    const unauthenticated = await send(`${server.url}/v1/patients/${ID}/decided?decision=permit&then=answer`);
    assert.equal(unauthenticated.status, 401);
    assert.deepEqual(only(unauthenticated.headers['x-request-id']).code, 'unauthenticated');
    const wrongMethod = await send(`${server.url}/v1/patients/${ID}/decided`, { method: 'DELETE', headers: { authorization: `Bearer ${GOOD_TOKEN}` } });
    assert.equal(wrongMethod.status, 405);
    const outcome405 = only(wrongMethod.headers['x-request-id']);
    assert.equal(outcome405.route, 'DELETE /v1/patients/:pid/decided');
    assert.equal(outcome405.patientId, ID);
    const answered = await send(`${server.url}/v1/things/${ID}`);
    assert.equal(answered.status, 200);
    assert.equal(only(answered.headers['x-request-id']).decided, undefined);
  });

  it('does not log a decision twice, but records a permitted request that then failed', async () => {
    const auth = { authorization: `Bearer ${GOOD_TOKEN}` };
    for (const [query, status, logged] of [
      ['decision=permit&then=answer', 200, false],
      ['decision=deny&then=fail', 404, false],
      ['decision=permit&then=fail', 404, true],
      ['decision=permit&then=crash', 500, true],
    ] as const) {
      const reply = await send(`${server.url}/v1/patients/${ID}/decided?${query}`, { headers: auth });
      assert.equal(reply.status, status, query);
      const outcomes = recorded.outcomes.filter((o) => o.requestId === reply.headers['x-request-id']);
      assert.equal(outcomes.length, logged ? 1 : 0, query);
      if (logged) assert.deepEqual([outcomes[0]!.decided, outcomes[0]!.principal], ['permit', { userId: 'u-1' }]);
    }
  });

  it('leaves requests to routes that touch no patient data alone', async () => {
    await send(`${server.url}/v1/whoami`);
    await send(`${server.url}/v1/nothing`);
    await send(`${server.url}/v1/things`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    assert.deepEqual(recorded.outcomes, []);
  });

  it('records a path that names a patient but matches no route, with a null route; other unmatched paths are left alone', async () => {
    const unmatched = await send(`${server.url}/V1/PATIENTS/${ID}/decided`, { headers: { 'x-request-id': 'client-probe-1' } });
    assert.equal(unmatched.status, 404);
    assert.deepEqual(
      { ...only(unmatched.headers['x-request-id']), requestId: undefined },
      { requestId: undefined, clientRequestId: 'client-probe-1', sourceAddress: '127.0.0.1', route: null, status: 404, code: 'not_found', patientId: ID, patientIdProblem: null, principal: undefined, decided: undefined },
    );
    await send(`${server.url}/v1/nowhere/${ID.slice(1)}`);
    await send(`${server.url}/v1/nowhere/%E0%A4%A`);
    assert.equal(recorded.outcomes.length, 1, 'an id that is not well formed, or a path that does not decode, names no patient');
  });

  it('finds a well-formed patient id among the decoded segments of a path', () => {
    const isId = (s: string) => /^p_[0-9a-f]{16}$/.test(s);
    assert.equal(patientIdInPath('/v1//patients/p_0123456789abcdef/', isId), 'p_0123456789abcdef');
    assert.equal(patientIdInPath('/v1/patients/p%5F0123456789abcdef', isId), 'p_0123456789abcdef');
    assert.equal(patientIdInPath('/v1/patients/P_0123456789ABCDEF', isId), null);
    assert.equal(patientIdInPath('/v1/%zz/p_0123456789abcdeX', isId), null);
  });

  it('answers 503 instead of an unaudited answer when the outcome cannot be recorded', async () => {
    failAudit = true;
    const reply = await send(`${server.url}/v1/things/${ID}`);
    assert.equal(reply.status, 503);
    assert.equal(reply.json<{ code: string }>().code, 'audit_unavailable');
    assert.ok(!reply.text.includes(ID));
  });

  it('refuses to build an app whose patient routes have no auditor (deny by default)', () => {
    assert.throws(() => createHttpApp({ logger: logSink().logger, routeTables: [testRoutes], tls: false, authenticate: bearerAuthenticator }), /touches patient data but no request auditor/);
  });

  it('refuses a patient route under /patients/:x that does not say which parameter names the patient', () => {
    assert.throws(
      () => defineRoute({ method: 'get', path: '/patients/:id/notes', summary: 's', tags: [], auth: 'none', touchesPatientData: true, request: { params: z.object({ id: z.string() }) }, responses: { 200: { description: 'd' } }, handler: () => undefined }),
      /declare patientParam: 'id'/,
    );
  });
});

describe('needsOutcomeEntry', () => {
  it('logs every outcome without a decision, failures after a permit, and nothing more after a refusal', () => {
    for (const status of [200, 204, 400, 401, 404, 413, 415, 429, 500, 503]) {
      assert.equal(needsOutcomeEntry(undefined, status), true, `undecided ${status}`);
      assert.equal(needsOutcomeEntry('deny', status), false, `denied ${status}`);
      assert.equal(needsOutcomeEntry('permit', status), status >= 400, `permitted ${status}`);
    }
  });
});
