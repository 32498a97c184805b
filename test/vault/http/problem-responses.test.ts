// Every failure answers RFC 9457 problem+json with a stable code, naming the bad field.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import fc from 'fast-check';
import { createHttpApp } from '../../../vault/http/app.ts';
import { startServer } from '../../../vault/http/start-server.ts';
import type { RunningServer } from '../../../vault/http/start-server.ts';
import { bearerAuthenticator, discardOutcomes, GOOD_TOKEN, logSink, send, testRoutes } from './http-test-kit.ts';
import type { LogSink, Reply } from './http-test-kit.ts';
import type { Problem } from '../../../schemas/http/problem.ts';

const ID = '0b7c3f7e-4a51-4c56-9f5e-1c2d3e4f5a6b';

/** Checks the problem+json envelope; returns the body with `errors` present (empty when absent). */
function assertProblem(reply: Reply, status: number, code: string): Problem & { errors: NonNullable<Problem['errors']> } {
  assert.equal(reply.status, status, reply.text);
  assert.match(String(reply.headers['content-type']), /^application\/problem\+json/);
  const body = reply.json<Problem>();
  assert.equal(body.status, status);
  assert.equal(body.code, code);
  assert.equal(typeof body.title, 'string');
  assert.equal(body.instance, reply.headers['x-request-id']);
  return { ...body, errors: body.errors ?? [] };
}

describe('HTTP problem responses', () => {
  let server: RunningServer;
  let sink: LogSink;

  before(async () => {
    sink = logSink();
    const { app } = createHttpApp({ logger: sink.logger, routeTables: [testRoutes], tls: false, authenticate: bearerAuthenticator, auditPatientRequest: discardOutcomes });
    server = await startServer(app, { host: '127.0.0.1', port: 0, plainHttp: true });
  });
  after(() => server?.close());

  it('answers a valid request with the parsed, typed values', async () => {
    const reply = await send(`${server.url}/v1/things/${ID}?region=chr17:43044295-43125483&limit=5`);
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json(), { id: ID, region: 'chr17:43044295-43125483', limit: 5 });
  });

  it('names a bad query parameter as query.<name>', async () => {
    const body = assertProblem(await send(`${server.url}/v1/things/${ID}?region=BRCA1`), 400, 'validation_failed');
    assert.deepEqual(body.errors.map((e) => e.path), ['query.region']);
  });

  it('names a bad path parameter as params.<name> and reports every bad field at once', async () => {
    const body = assertProblem(await send(`${server.url}/v1/things/not-a-uuid?limit=500`), 400, 'validation_failed');
    assert.deepEqual(body.errors.map((e) => e.path).sort(), ['params.id', 'query.limit']);
  });

  it('refuses a query parameter given twice instead of turning it into an array', async () => {
    const body = assertProblem(await send(`${server.url}/v1/things/${ID}?region=1:1-2&region=2:1-2`), 400, 'validation_failed');
    assert.deepEqual(body.errors, [{ path: 'query.region', message: 'given more than once' }]);
  });

  it('refuses query parameters the route does not declare, naming those it takes but not the one given', async () => {
    const reply = await send(`${server.url}/v1/things/${ID}?MRN-1234567=1&region=1:1-2`);
    const body = assertProblem(reply, 400, 'validation_failed');
    assert.deepEqual(body.errors, [{ path: 'query', message: 'holds a parameter this route does not take (it takes region, limit)' }]);
    assert.doesNotMatch(reply.text, /MRN-1234567/);
    const repeated = await send(`${server.url}/v1/things/${ID}?MRN-1234567=1&MRN-1234567=2`);
    assert.doesNotMatch(repeated.text, /MRN-1234567/, 'an undeclared name given twice is not named either');
  });

  it('answers an unknown route with 404 problem+json', async () => {
    assertProblem(await send(`${server.url}/v1/nothing-here`), 404, 'not_found');
    assertProblem(await send(`${server.url}/`), 404, 'not_found');
  });

  it('answers a known path with the wrong method with 405 problem+json and Allow', async () => {
    const reply = await send(`${server.url}/v1/boom`, { method: 'DELETE' });
    assertProblem(reply, 405, 'method_not_allowed');
    assert.match(String(reply.headers.allow), /GET/);
  });

  it('matches paths exactly: another letter case or a trailing slash is not the route', async () => {
    assert.equal((await send(`${server.url}/v1/things/${ID}`)).status, 200);
    for (const path of [`/V1/THINGS/${ID}`, `/v1/Things/${ID}`, `/v1/things/${ID}/`]) assertProblem(await send(`${server.url}${path}`), 404, 'not_found');
  });

  it('answers a method the API does not implement (TRACE) with 501 problem+json', async () => {
    assertProblem(await send(`${server.url}/v1/things/${ID}`, { method: 'TRACE' }), 501, 'method_not_implemented');
  });

  it('answers what node refuses before koa (431, an unknown method, CONNECT) as problem+json with the security headers', async () => {
    const big = await send(`${server.url}/v1/things/${ID}`, { headers: { 'x-padding': 'a'.repeat(17_000) } });
    assertProblem(big, 431, 'headers_too_large');
    assert.equal(big.headers['x-content-type-options'], 'nosniff');
    const raw = (head: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(Number(new URL(server.url).port), '127.0.0.1', () => socket.write(`${head}\r\nHost: x\r\n\r\n`));
        let text = '';
        socket.on('data', (d: Buffer) => (text += d.toString('utf8')));
        socket.on('error', reject);
        socket.on('close', () => resolve(text));
      });
    for (const [head, status, code] of [['FROB / HTTP/1.1', 400, 'malformed_request'], ['CONNECT example.org:443 HTTP/1.1', 501, 'method_not_implemented']] as const) {
      const text = await raw(head);
      assert.match(text, new RegExp(`^HTTP/1\\.1 ${status} `), head);
      assert.match(text, /\r\ncontent-type: application\/problem\+json\r\n/i);
      assert.equal((JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as Problem).code, code);
    }
  });

  it('sends a Bearer challenge with every 401', async () => {
    const reply = await send(`${server.url}/v1/private?page=1`);
    assertProblem(reply, 401, 'unauthenticated');
    assert.equal(reply.headers['www-authenticate'], 'Bearer realm="genovault"');
  });

  it('accepts a valid JSON body', async () => {
    const reply = await send(`${server.url}/v1/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ label: 'panel', count: 3 }),
    });
    assert.equal(reply.status, 201, reply.text);
    assert.deepEqual(reply.json(), { label: 'panel', count: 3 });
  });

  it('names a bad body field as body.<name>', async () => {
    const body = assertProblem(
      await send(`${server.url}/v1/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"label":"","count":-1}' }),
      400,
      'validation_failed',
    );
    assert.deepEqual(body.errors.map((e) => e.path).sort(), ['body.count', 'body.label']);
  });

  it('requires a body on a route that declares one', async () => {
    const body = assertProblem(await send(`${server.url}/v1/things`, { method: 'POST' }), 400, 'validation_failed');
    assert.equal(body.errors[0]?.path, 'body');
  });

  it('answers a non-JSON content type with 415', async () => {
    assertProblem(
      await send(`${server.url}/v1/things`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"label":"a","count":1}' }),
      415,
      'unsupported_media_type',
    );
  });

  it('answers malformed JSON with 400 malformed_json, by position, without echoing the body', async () => {
    const body = assertProblem(
      await send(`${server.url}/v1/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"label": "MRN-777",\n "count": ' }),
      400,
      'malformed_json',
    );
    assert.doesNotMatch(JSON.stringify(body), /MRN-777/);
  });

  it('answers a declared oversized body with 413 before reading it', async () => {
    const big = JSON.stringify({ label: 'x', count: 1, pad: 'y'.repeat(4000) });
    assertProblem(
      await send(`${server.url}/v1/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big }),
      413,
      'payload_too_large',
    );
  });

  it('answers a chunked body that grows past the limit with 413', async () => {
    const big = JSON.stringify({ label: 'x', count: 1, pad: 'y'.repeat(20000) });
    assertProblem(
      await send(`${server.url}/v1/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big, chunked: true }),
      413,
      'payload_too_large',
    );
  });

  it('answers an unexpected error with a generic 500: no message, no stack', async () => {
    const reply = await send(`${server.url}/v1/boom`);
    const body = assertProblem(reply, 500, 'internal_error');
    assert.doesNotMatch(reply.text, /MRN-123|Ada|Lovelace|at .*\.ts|Error:/);
    assert.deepEqual(Object.keys(reply.json()).sort(), ['code', 'detail', 'instance', 'status', 'title', 'type']);
    // the stack reaches the log, tied to the request id, without the message's PHI
    const logged = sink.lines().find((l) => l.requestId === body.instance && l.err !== undefined);
    assert.ok(logged, 'the failure is logged with its request id');
    const err = logged.err as { type: string; stack: string[] };
    assert.equal(err.type, 'Error');
    assert.ok(err.stack.length > 0 && err.stack.every((frame) => frame.startsWith('at ')));
    assert.doesNotMatch(JSON.stringify(logged), /MRN-123|Ada|Lovelace/);
  });

  it('authenticates a session route before validating it, so strangers learn nothing', async () => {
    assertProblem(await send(`${server.url}/v1/private?page=zero`), 401, 'unauthenticated');
    assertProblem(await send(`${server.url}/v1/private?page=1`, { headers: { authorization: 'Bearer wrong' } }), 401, 'unauthenticated');
    const ok = await send(`${server.url}/v1/private?page=2`, { headers: { authorization: `Bearer ${GOOD_TOKEN}` } });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json(), { principal: { userId: 'u-1' }, page: 2 });
    const bad = await send(`${server.url}/v1/private?page=zero`, { headers: { authorization: `Bearer ${GOOD_TOKEN}` } });
    assertProblem(bad, 400, 'validation_failed');
  });

  it('answers any query string and any body with a success or a 4xx problem, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('region', 'limit', 'x', ''), fc.string({ maxLength: 30 })), { maxLength: 4 }),
        fc.oneof(fc.json(), fc.string({ maxLength: 60 })),
        async (pairs, body) => {
          const get = await send(`${server.url}/v1/things/${ID}?${new URLSearchParams(pairs).toString()}`);
          assert.ok(get.status === 200 || get.status === 400, `GET answered ${get.status}`);
          const post = await send(`${server.url}/v1/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
          assert.ok([201, 400, 413].includes(post.status), `POST answered ${post.status}: ${post.text}`);
          if (post.status !== 201) assert.match(String(post.headers['content-type']), /^application\/problem\+json/);
        },
      ),
      { numRuns: 60 },
    );
  });
});
