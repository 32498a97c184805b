// Replayed over HTTPS against the real service: a request that names a patient leaves exactly one
// audit entry whatever its outcome (a refused filter, an oversized body, no session, the wrong
// media type), keyed by the server's own request id, with the client's id beside it and the
// source address. Decisions made by authorize() carry the source address too.
import { strict as assert } from 'node:assert';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { buildWorld, type World } from './service-world.ts';
import { http } from '../helpers/http-client.ts';
import type { AuditEvent } from '../../vault/audit/audit-event.ts';

describe('auditing every request that names a patient (HTTPS)', function () {
  this.timeout(120_000);
  let dir: { path: string; remove: () => Promise<void> };
  let w: World;
  let clinician: string;

  before(async () => {
    dir = await makeTempDir();
    w = await buildWorld(dir.path, { https: true });
    clinician = await w.login('clin_a');
  });
  after(async () => {
    await w?.close();
    await dir.remove();
  });

  const entriesOf = async (requestId: string | null): Promise<AuditEvent[]> => (await w.service.audit.query({ limit: 10_000 })).filter((e) => e.body.requestId === requestId).map((e) => e.body).reverse();

  const attacks: { name: string; status: number; code: string; send: (clientId: string) => ReturnType<World['http']>; actor: () => string | null }[] = [
    {
      name: 'a refused filter (400)',
      status: 400,
      code: 'validation_failed',
      send: (clientId) => w.http(`/patients/${w.patientA}/variants?gene=BRCA1;DROP`, { token: clinician, headers: { 'x-request-id': clientId } }),
      actor: () => w.accounts.clin_a!.accountId,
    },
    {
      name: 'an oversized body (413)',
      status: 413,
      code: 'payload_too_large',
      send: (clientId) => w.http(`/patients/${w.patientA}/break-glass`, { method: 'POST', token: clinician, headers: { 'x-request-id': clientId }, body: { reason: 'x'.repeat(8192) } }),
      actor: () => w.accounts.clin_a!.accountId,
    },
    {
      name: 'no session (401)',
      status: 401,
      code: 'unauthenticated',
      send: (clientId) => w.http(`/patients/${w.patientA}`, { headers: { 'x-request-id': clientId } }),
      actor: () => null,
    },
    {
      name: 'a forged session (401)',
      status: 401,
      code: 'unauthenticated',
      send: (clientId) => w.http(`/patients/${w.patientA}/variants`, { token: 'forged-token-value', headers: { 'x-request-id': clientId } }),
      actor: () => null,
    },
    {
      name: 'the wrong media type (415)',
      status: 415,
      code: 'unsupported_media_type',
      send: (clientId) => w.http(`/patients/${w.patientA}`, { method: 'PATCH', token: clinician, headers: { 'x-request-id': clientId, 'content-type': 'text/plain' }, body: 'zip=02139' }),
      actor: () => w.accounts.clin_a!.accountId,
    },
  ];

  for (const attack of attacks) {
    it(`records ${attack.name} once, under the server's request id, with the source address and the client's id kept apart`, async () => {
      const clientId = `client-${attack.status}-${Math.random().toString(36).slice(2, 10)}`;
      const reply = await attack.send(clientId);
      assert.equal(reply.status, attack.status, reply.text);
      const requestId = reply.headers.get('x-request-id')!;
      assert.notEqual(requestId, clientId, 'the server makes its own request id');
      const entries = await entriesOf(requestId);
      assert.equal(entries.length, 1, `exactly one audit entry: ${JSON.stringify(entries)}`);
      const [entry] = entries;
      assert.equal(entry!.sourceAddress, '127.0.0.1');
      assert.equal(entry!.clientRequestId, clientId);
      assert.equal(entry!.patientId, w.patientA);
      assert.equal(entry!.status, attack.status);
      assert.equal(entry!.outcome, attack.code);
      assert.equal(entry!.decision, 'failure');
      assert.equal(entry!.actorId, attack.actor());
      assert.match(entry!.route ?? '', /^(GET|POST|PATCH) \/v1\/patients\/:id/);
      assert.deepEqual(await entriesOf(clientId), [], 'a client id is never an audit key');
    });
  }

  it('records a malformed patient id as null with a reason code, and a client id that could inject is dropped', async () => {
    const reply = await w.http('/patients/MRN-A-0001/variants', { token: clinician, headers: { 'x-request-id': 'bad id {"level":60}' } });
    assert.equal(reply.status, 400);
    const [entry, ...more] = await entriesOf(reply.headers.get('x-request-id'));
    assert.equal(more.length, 0);
    assert.equal(entry!.patientId, null);
    assert.equal(entry!.reason, 'malformed_patient_id');
    assert.equal(entry!.clientRequestId, null);
    assert.ok(!JSON.stringify(entry).includes('MRN-A-0001'), 'the raw id (here an MRN) is never recorded');
  });

  it('gives authorization decisions the source address and route, and logs a refusal once', async () => {
    const outsider = await w.login('clin_b');
    const refused = await w.http(`/patients/${w.patientA}/variants`, { token: outsider, headers: { 'x-request-id': 'client-refused-1' } });
    assert.equal(refused.status, 404);
    const entries = await entriesOf(refused.headers.get('x-request-id'));
    assert.equal(entries.length, 1, 'the denial is the entry; its 404 is not logged again');
    assert.deepEqual([entries[0]!.decision, entries[0]!.sourceAddress, entries[0]!.clientRequestId, entries[0]!.route], ['deny', '127.0.0.1', 'client-refused-1', 'GET /v1/patients/:id/variants']);
  });

  it('records a permitted request that then failed (a region refused after the decision) beside its permit', async () => {
    const reply = await w.http(`/patients/${w.patientA}/variants?region=chr20:9-1`, { token: clinician });
    assert.equal(reply.status, 400);
    const entries = await entriesOf(reply.headers.get('x-request-id'));
    assert.deepEqual(entries.map((e) => [e.decision, e.status ?? null]), [['permit', null], ['failure', 400]]);
  });

  it('records a request that names a patient but matches no route (case, trailing slash, double slash, encoded) with a null route (second review, E)', async () => {
    const encoded = w.patientA.replace('_', '%5F');
    for (const path of [`/V1/PATIENTS/${w.patientA}`, `/v1/patients/${w.patientA}/`, `/v1//patients/${w.patientA}`, `/v1/patients/${encoded}/variantz`]) {
      const clientId = `probe-${Math.random().toString(36).slice(2, 10)}`;
      const reply = await http(`${w.server.url}${path}`, { token: clinician, ca: w.ca!, headers: { 'x-request-id': clientId } });
      assert.equal(reply.status, 404, path);
      const entries = await entriesOf(reply.headers.get('x-request-id'));
      assert.equal(entries.length, 1, `one entry for ${path}`);
      const [entry] = entries;
      assert.deepEqual(
        [entry!.patientId, entry!.route, entry!.status, entry!.sourceAddress, entry!.clientRequestId, entry!.decision, entry!.actorId ?? null],
        [w.patientA, null, 404, '127.0.0.1', clientId, 'failure', null],
        path,
      );
    }
    const unrelated = await http(`${w.server.url}/v1/nowhere/at-all`, { token: clinician, ca: w.ca! });
    assert.equal(unrelated.status, 404);
    assert.deepEqual(await entriesOf(unrelated.headers.get('x-request-id')), [], 'a path naming no patient is not a patient request');
  });
});
