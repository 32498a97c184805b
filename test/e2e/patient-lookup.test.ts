// GET /v1/patients?mrn= over HTTPS: a clinician finds a patient on their care team; an unknown MRN
// and a patient they may not read get the same 404; every answer is audited with the patient id
// (never the MRN), and neither the service log nor the audit holds the MRN or the query string.
import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import pino from 'pino';
import { worldForSuite } from './service-world.ts';

const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(chunk.toString());
    done();
  },
});

describe('GET /v1/patients?mrn=: finding a patient by MRN', () => {
  const world = worldForSuite({ https: true, logger: pino({ level: 'info' }, sink) });

  it('answers a clinician the record of a patient on their care team, audited with the patient id', async () => {
    const { w } = world;
    const token = await w.login('clin_a');
    const r = await w.http<{ patientId: string; familyName: string }>('/patients?mrn=MRN-A-0001', { token });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.patientId, w.patientA);
    const decisions = (await w.auditOf(r)).filter((e) => e.body.decision === 'permit');
    assert.deepEqual(decisions.map((e) => [e.body.patientId, e.body.resource, e.body.action]), [[w.patientA, 'record', 'read']]);
  });

  it('answers the same 404 for an unknown MRN and for a patient the caller may not read, each audited', async () => {
    const { w } = world;
    const outsider = await w.login('clin_b');
    const refused = await w.http<Record<string, unknown>>('/patients?mrn=MRN-A-0001', { token: outsider });
    const unknown = await w.http<Record<string, unknown>>('/patients?mrn=MRN-NOBODY-99', { token: outsider });
    assert.equal(refused.status, 404);
    assert.equal(unknown.status, 404);
    const shape = (b: Record<string, unknown>) => ({ ...b, instance: undefined });
    assert.deepEqual(shape(refused.body), shape(unknown.body), 'nothing tells the two apart');
    const deny = (await w.auditOf(refused)).filter((e) => e.body.decision === 'deny');
    assert.deepEqual(deny.map((e) => e.body.patientId), [w.patientA], 'the refusal names the patient');
    const outcome = await w.auditOf(unknown);
    assert.equal(outcome.length, 1, 'the unknown MRN leaves one entry too');
    assert.equal(outcome[0]!.body.status, 404);
    assert.equal(outcome[0]!.body.patientId, null);
    // a patient with no right at all, the admin: refused by the policy, not by an unknown MRN
    const admin = await w.login('admin');
    assert.equal((await w.http('/patients?mrn=MRN-A-0001', { token: admin })).status, 404);
  });

  it('refuses a malformed MRN by naming the field, without repeating it', async () => {
    const { w } = world;
    const token = await w.login('clin_a');
    const r = await w.http<{ errors: { path: string }[] }>(`/patients?mrn=${encodeURIComponent("x' OR 1=1")}`, { token });
    assert.equal(r.status, 400);
    assert.equal(r.body.errors[0]?.path, 'query.mrn');
    assert.ok(!r.text.includes('OR 1=1'));
  });

  it('never writes the MRN or the query string to the service log or the audit', async () => {
    const { w } = world;
    const logged = lines.join('');
    assert.ok(lines.some((l) => l.includes('"route":"GET /v1/patients"')), 'the access log names the route pattern');
    for (const mrn of ['MRN-A-0001', 'MRN-NOBODY-99']) {
      assert.ok(!logged.includes(mrn), `log holds ${mrn}`);
      assert.ok(!JSON.stringify(await w.service.audit.query({ limit: 1000 })).includes(mrn), `audit holds ${mrn}`);
    }
    assert.ok(!logged.includes('mrn='), 'no query string in the log');
  });
});
