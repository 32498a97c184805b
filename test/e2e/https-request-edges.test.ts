// The security review's requests at the edges of HTTP, replayed over HTTPS against the vault as
// `genovault serve` runs it: paths match only as written, the bearer scheme in any case, a
// challenge on every 401, and problem+json even for what node answers before the app (431, an
// unparseable request, CONNECT) and for methods the API does not implement (TRACE).
import { strict as assert } from 'node:assert';
import { rawHttps } from '../helpers/https-client.ts';
import { http, type HttpResult } from '../helpers/http-client.ts';
import { worldForSuite } from './service-world.ts';

const CHALLENGE = 'Bearer realm="genovault"';
const INVALID_TOKEN = 'Bearer realm="genovault", error="invalid_token"';

function assertProblem(reply: { status: number; text: string; contentType: string | null; requestId: string | null }, status: number, code: string): void {
  assert.equal(reply.status, status, reply.text);
  assert.match(reply.contentType ?? '', /^application\/problem\+json/);
  const body = JSON.parse(reply.text) as { status: number; code: string; instance: string };
  assert.equal(body.status, status);
  assert.equal(body.code, code);
  assert.equal(body.instance, reply.requestId, 'the problem names the request id the response carries');
}

const fromResult = (r: HttpResult) => ({ status: r.status, text: r.text, contentType: r.headers.get('content-type'), requestId: r.headers.get('x-request-id') });

describe('HTTP edges over HTTPS (security review, item 12)', function () {
  this.timeout(120_000);
  const suite = worldForSuite({ https: true });
  let token: string;
  before(async () => (token = await suite.w.login('clin_a')));

  it('matches a path only as written: other letter cases and a trailing slash are not found', async () => {
    const { w } = suite;
    assert.equal((await w.http(`/patients/${w.patientA}`, { token })).status, 200);
    const origin = w.url.replace(/\/v1$/, '');
    for (const path of [`/V1/PATIENTS/${w.patientA}`, `/v1/Patients/${w.patientA}`, `/v1/patients/${w.patientA}/`, `/v1/patients/${w.patientA}/VARIANTS`, '/v1/HEALTH']) {
      const r = await http(`${origin}${path}`, { token, ca: w.ca! });
      assertProblem(fromResult(r), 404, 'not_found');
    }
  });

  it('accepts the bearer scheme in any letter case, as RFC 9110 says auth schemes are', async () => {
    const { w } = suite;
    for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
      const r = await w.http(`/patients/${w.patientA}`, { headers: { authorization: `${scheme} ${token}` } });
      assert.equal(r.status, 200, scheme);
    }
    const logout = await w.http(`/sessions/current`, { method: 'DELETE', headers: { authorization: `bearer ${token}` } });
    assert.equal(logout.status, 204);
    assert.equal((await w.http(`/patients/${w.patientA}`, { token })).status, 401, 'a lower-case scheme ends the same session');
    token = await w.login('clin_a');
  });

  it('sends a Bearer challenge with every 401, naming invalid_token when a token was refused', async () => {
    const { w } = suite;
    const none = await w.http(`/patients/${w.patientA}`);
    assertProblem(fromResult(none), 401, 'unauthenticated');
    assert.equal(none.headers.get('www-authenticate'), CHALLENGE);
    for (const authorization of ['Bearer forged-token-value', 'bearer forged-token-value', 'Bearer', 'Bearer !!not-a-token!!']) {
      const refused = await w.http(`/patients/${w.patientA}`, { headers: { authorization } });
      assertProblem(fromResult(refused), 401, 'unauthenticated');
      assert.equal(refused.headers.get('www-authenticate'), INVALID_TOKEN, authorization);
    }
    const cookie = await w.http(`/patients/${w.patientA}`, { headers: { cookie: 'genovault_session=forged-token-value' } });
    assert.equal(cookie.headers.get('www-authenticate'), INVALID_TOKEN);
    const login = await w.http(`/sessions`, { method: 'POST', body: { username: 'clin_b', password: 'wrong-Password-123', totp: '000000' } });
    assert.equal(login.status, 401);
    assert.equal(login.headers.get('www-authenticate'), CHALLENGE, 'a failed login is a 401 too');
  });

  it('answers headers over the size limit with 431 problem+json', async () => {
    const { w } = suite;
    const r = await w.http(`/patients/${w.patientA}`, { token, headers: { 'x-padding': 'a'.repeat(20_000) } });
    assertProblem(fromResult(r), 431, 'headers_too_large');
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.match(r.headers.get('strict-transport-security') ?? '', /max-age=/);
    assert.equal((await w.http(`/patients/${w.patientA}`, { token, headers: { 'x-padding': 'a'.repeat(8_000) } })).status, 200, 'below the limit is fine');
  });

  it('answers TRACE and other methods the API does not implement with 501 problem+json', async () => {
    const { w } = suite;
    for (const method of ['TRACE', 'PROPFIND', 'LOCK']) {
      const r = await w.http(`/patients/${w.patientA}`, { method, token: token });
      assertProblem(fromResult(r), 501, 'method_not_implemented');
      assert.doesNotMatch(r.text, new RegExp(token), 'TRACE never reflects the request');
    }
  });

  it('answers what node refuses before the app (an unknown method, CONNECT) with problem+json', async () => {
    const { w } = suite;
    const asReply = (r: Awaited<ReturnType<typeof rawHttps>>) => ({ status: r.status, text: r.text, contentType: r.headers['content-type'] ?? null, requestId: r.headers['x-request-id'] ?? null });
    assertProblem(asReply(await rawHttps(w.url, w.ca!, `FROB /v1/patients/${w.patientA} HTTP/1.1`)), 400, 'malformed_request');
    assertProblem(asReply(await rawHttps(w.url, w.ca!, 'GET /v1/health HTTP/9.9')), 400, 'malformed_request');
    assertProblem(asReply(await rawHttps(w.url, w.ca!, 'CONNECT example.org:443 HTTP/1.1')), 501, 'method_not_implemented');
  });
});
