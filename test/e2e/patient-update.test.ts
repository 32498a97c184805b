// PATCH /v1/patients/{id} over HTTPS: the fields given change and every other field stays as it
// was; the answer holds the record only for a caller the policy lets read it (the EHR service
// may update records but not read them, so it gets the new version and nothing more). An unknown
// or immutable field refuses the whole update (second review, G): nothing is dropped in silence.
import { strict as assert } from 'node:assert';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { buildWorld, type World } from './service-world.ts';
import { HOST_ACTOR } from '../../vault/identity/principal.ts';

describe('updating a patient record (HTTPS)', function () {
  this.timeout(120_000);
  let dir: { path: string; remove: () => Promise<void> };
  let w: World;
  let clinician: string;
  let ehrToken: string;

  before(async () => {
    dir = await makeTempDir();
    w = await buildWorld(dir.path, { https: true });
    clinician = await w.login('clin_a');
    const ehr = await w.service.identity.createAccount({ username: 'ehr', roles: ['ehr_service'], kind: 'service' }, HOST_ACTOR);
    ehrToken = (await w.service.identity.issueApiToken(ehr.account.accountId, 'integration', HOST_ACTOR)).token;
  });
  after(async () => {
    await w?.close();
    await dir.remove();
  });

  it('changes only the field given: a ZIP update keeps the conditions and every other field', async () => {
    const before = w.service.clinical.get(w.patientA)!;
    assert.ok(before.conditions.length > 0, 'the world gives patient A a condition');
    const reply = await w.http(`/patients/${w.patientA}`, { method: 'PATCH', token: clinician, body: { zip: '02140' } });
    assert.equal(reply.status, 200, reply.text);
    const after = w.service.clinical.get(w.patientA)!;
    const { version: v0, updatedAt: _a0, zip: _z0, ...kept } = before;
    const { version: v1, updatedAt: _a1, zip, ...stillKept } = after;
    assert.equal(zip, '02140');
    assert.equal(v1, v0 + 1);
    assert.deepEqual({ ...stillKept, updatedBy: kept.updatedBy }, kept, 'every field not given is unchanged');
    assert.deepEqual(reply.body.conditions, before.conditions, 'the care-team clinician may read, so the record comes back');
  });

  it('answers the EHR service, which may update but not read, with the new version only', async () => {
    const reply = await w.http(`/patients/${w.patientA}`, { method: 'PATCH', token: ehrToken, body: { familyName: 'Byron' } });
    assert.equal(reply.status, 200, reply.text);
    const stored = w.service.clinical.get(w.patientA)!;
    assert.equal(stored.familyName, 'Byron', 'the update was applied');
    assert.deepEqual(reply.body, { patientId: w.patientA, version: stored.version, updatedAt: stored.updatedAt });
    for (const value of [stored.givenName, stored.birthDate, stored.zip, 'Byron', 'MRN-A-0001']) assert.ok(!reply.text.includes(value), 'no field of the record is answered');
  });

  it('refuses an empty update, and one by a clinician outside the care team, changing nothing', async () => {
    const version = w.service.clinical.get(w.patientA)!.version;
    const empty = await w.http(`/patients/${w.patientA}`, { method: 'PATCH', token: clinician, body: {} });
    assert.equal(empty.status, 400);
    assert.equal((empty.body.errors as { path: string }[])[0]?.path, 'body');
    const outsider = await w.http(`/patients/${w.patientA}`, { method: 'PATCH', token: await w.login('clin_b'), body: { zip: '99999' } });
    assert.equal(outsider.status, 404);
    assert.equal(w.service.clinical.get(w.patientA)!.version, version);
  });

  describe('an unknown or immutable field (second review, G)', () => {
    type Problem = { status: number; errors: { path: string; message: string }[] };
    const patch = async (body: Record<string, unknown>) => {
      const version = w.service.clinical.get(w.patientA)!;
      const reply = await w.http<Problem>(`/patients/${w.patientA}`, { method: 'PATCH', token: clinician, body });
      assert.equal(reply.status, 400, reply.text);
      assert.match(reply.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.deepEqual(w.service.clinical.get(w.patientA), version, 'nothing is changed');
      return reply;
    };

    for (const [field, value] of [['mrn', 'MRN-Z-9999'], ['id', 'p_00000000000000ff'], ['patientId', 'p_00000000000000ff'], ['version', 99], ['updatedBy', 'acc_attacker']] as const) {
      it(`refuses ${field} beside a valid change, naming body.${field} and not its value`, async () => {
        const reply = await patch({ zip: '02199', [field]: value });
        assert.deepEqual(reply.body.errors.map((e) => e.path), [`body.${field}`]);
        assert.match(reply.body.errors[0]!.message, /cannot be changed/);
        // the instance id is random hex and may hold any short number by chance (it held "99" once)
        const { instance: _instance, ...answered } = JSON.parse(reply.text) as Record<string, unknown>;
        assert.ok(!JSON.stringify(answered).includes(String(value)), 'the value is not echoed');
      });
    }

    it('refuses an unknown field, naming it; a key that could be data is not named', async () => {
      const named = await patch({ zip: '02199', ssn: '123-45-6789' });
      assert.deepEqual(named.body.errors.map((e) => e.path), ['body.ssn']);
      assert.ok(!named.text.includes('123-45-6789'));
      const unnamed = await patch({ zip: '02199', 'MRN-A-0001': 'x', 'Ada Lovelace': true });
      assert.deepEqual(unnamed.body.errors.map((e) => e.path), ['body']);
      for (const text of ['MRN-A-0001', 'Ada Lovelace']) assert.ok(!unnamed.text.includes(text), `${text} is not echoed`);
    });

    it('answers the same to the EHR service, which may update but not read', async () => {
      const before = w.service.clinical.get(w.patientA);
      const reply = await w.http<Problem>(`/patients/${w.patientA}`, { method: 'PATCH', token: ehrToken, body: { zip: '02111', mrn: 'MRN-Z-9999' } });
      assert.equal(reply.status, 400);
      assert.deepEqual(reply.body.errors.map((e) => e.path), ['body.mrn']);
      assert.deepEqual(w.service.clinical.get(w.patientA), before);
    });
  });
});
