// Request ids, the access log line, redaction of PHI and secrets, and security headers.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RequestIdSchema } from '../../../schemas/http/common.ts';
import { createHttpApp } from '../../../vault/http/app.ts';
import { clientRequestIdOf } from '../../../vault/http/request-id.ts';
import { startServer } from '../../../vault/http/start-server.ts';
import type { RunningServer } from '../../../vault/http/start-server.ts';
import { bearerAuthenticator, discardOutcomes, logSink, send, testRoutes } from './http-test-kit.ts';
import type { LogSink } from './http-test-kit.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ID = '0b7c3f7e-4a51-4c56-9f5e-1c2d3e4f5a6b';

describe('HTTP request logging and headers', () => {
  let server: RunningServer;
  let sink: LogSink;

  beforeEach(async () => {
    sink = logSink();
    const { app } = createHttpApp({ logger: sink.logger, routeTables: [testRoutes], tls: false, authenticate: bearerAuthenticator, auditPatientRequest: discardOutcomes });
    server = await startServer(app, { host: '127.0.0.1', port: 0, plainHttp: true });
  });
  afterEach(() => server?.close());

  function accessLine(requestId: string): Record<string, unknown> {
    const line = sink.lines().find((l) => l.requestId === requestId && l.msg === 'request');
    assert.ok(line, `an access log line for ${requestId}`);
    return line;
  }

  it('gives every response a fresh UUID request id when the client sends none', async () => {
    const a = await send(`${server.url}/v1/whoami`);
    const b = await send(`${server.url}/v1/nothing`);
    assert.match(String(a.headers['x-request-id']), UUID);
    assert.match(String(b.headers['x-request-id']), UUID);
    assert.notEqual(a.headers['x-request-id'], b.headers['x-request-id']);
  });

  it('makes its own request id even when the client sends one, and logs the client\u2019s beside it', async () => {
    const reply = await send(`${server.url}/v1/things/${ID}?region=chr1:1-2`, { headers: { 'x-request-id': 'proxy-req-000123' } });
    const requestId = String(reply.headers['x-request-id']);
    assert.match(requestId, UUID, 'the server chooses the id: a client cannot pick or reuse the audit key');
    const line = accessLine(requestId);
    assert.equal(line.clientRequestId, 'proxy-req-000123');
    assert.equal(line.method, 'GET');
    assert.equal(line.route, 'GET /v1/things/:id');
    assert.equal(line.status, 200);
    assert.equal(typeof line.durationMs, 'number');
  });

  it('replaces a malformed incoming request id instead of logging it', async () => {
    const reply = await send(`${server.url}/v1/whoami`, { headers: { 'x-request-id': 'bad id {"level":60}' } });
    assert.match(String(reply.headers['x-request-id']), UUID);
    assert.doesNotMatch(sink.raw(), /bad id/);
  });

  it('logs the route pattern, never the raw URL or its query string', async () => {
    const reply = await send(`${server.url}/v1/things/${ID}?region=chr13:32315474-32400266`);
    const line = accessLine(String(reply.headers['x-request-id']));
    assert.equal(line.route, 'GET /v1/things/:id');
    assert.doesNotMatch(sink.raw(), new RegExp(`${ID}|32315474|region=`));
  });

  it('logs unmatched requests with a null route and their status', async () => {
    const reply = await send(`${server.url}/v1/patients/MRN-555?name=Ada`);
    const line = accessLine(String(reply.headers['x-request-id']));
    assert.equal(line.route, null);
    assert.equal(line.status, 404);
    assert.doesNotMatch(sink.raw(), /MRN-555|Ada/);
  });

  it('redacts PHI-shaped fields and credentials from every log line', async () => {
    const reply = await send(`${server.url}/v1/log-phi`, {
      headers: { authorization: 'Bearer secret-token-xyz', cookie: 'genovault_session=cookie-secret-abc' },
    });
    assert.equal(reply.status, 204);
    const raw = sink.raw();
    for (const leaked of ['MRN-123', 'Ada', '1815-12-10', 'secret-token-xyz', 'cookie-secret-abc']) {
      assert.ok(!raw.includes(leaked), `${leaked} must not reach the log`);
    }
    // the lines are still there, with the values censored
    const probe = sink.lines().find((l) => l.msg === 'probe');
    assert.equal(probe?.mrn, '[redacted]');
    assert.equal((probe?.patient as Record<string, unknown>).birthDate, '[redacted]');
  });

  it('sets the security headers on successes and on problems alike, without HSTS over plain HTTP', async () => {
    for (const path of ['/v1/whoami', '/v1/nothing', '/v1/boom']) {
      const reply = await send(`${server.url}${path}`);
      assert.equal(reply.headers['x-content-type-options'], 'nosniff', path);
      assert.equal(reply.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'", path);
      assert.equal(reply.headers['referrer-policy'], 'no-referrer', path);
      assert.equal(reply.headers['cache-control'], 'no-store', path);
      assert.equal(reply.headers['strict-transport-security'], undefined, path);
    }
  });
});

describe('createLogger', () => {
  it('never logs an error message, however the error is passed', () => {
    const sink = logSink();
    const err = new Error('no variants for MRN-9 (Grace Hopper)');
    sink.logger.error(err);
    sink.logger.error({ err }, 'failed');
    sink.logger.child({ requestId: 'r-12345678' }).warn(err, 'child failed');
    assert.doesNotMatch(sink.raw(), /MRN-9|Grace|Hopper/);
    const lines = sink.lines();
    assert.equal(lines.length, 3);
    for (const line of lines) assert.equal((line.err as { type: string }).type, 'Error');
  });
});

describe('clientRequestIdOf', () => {
  it('keeps only ids that are safe to log, for any incoming value', () => {
    fc.assert(
      fc.property(fc.option(fc.string({ unit: 'binary', maxLength: 200 }), { nil: undefined }), (incoming) => {
        const id = clientRequestIdOf(incoming);
        if (id === null) return;
        assert.equal(id, incoming);
        assert.ok(RequestIdSchema.safeParse(id).success);
        assert.ok(!/[\r\n"{}]/.test(id));
      }),
    );
  });

  it('keeps a well-formed incoming id and never a repeated header', () => {
    assert.equal(clientRequestIdOf('abc-12345'), 'abc-12345');
    assert.equal(clientRequestIdOf(['abc-12345', 'def-67890']), null);
    assert.equal(clientRequestIdOf('bad id {"level":60}'), null);
  });
});
