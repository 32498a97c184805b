// Finding: a clinician took over a patient whose VCF was ingested by MRN. POST /v1/patients with
// that MRN answered 201 with the existing patient id and put the clinician on the care team, so
// the next variants read was 200. Replayed over HTTPS against a real server with the vault's CA:
// registration is for registration staff and the EHR only, is decided before the MRN is looked
// at (a refusal says nothing about whether it exists), and never grants access to anyone.
import { strict as assert } from 'node:assert';
import { fileURLToPath } from 'node:url';
import { ingestVcf } from '../../vault/ingest/ingest-vcf.ts';
import { HOST_ACTOR } from '../../vault/identity/principal.ts';
import { enrolStaff } from '../helpers/enrol-accounts.ts';
import { PASSWORD, worldForSuite, type World } from './service-world.ts';

const SIMPLE_VCF = fileURLToPath(new URL('../fixtures/conformance/examples/simple.vcf', import.meta.url));
const INGESTED_MRN = 'MRN-I-0009';
const demographics = (mrn: string) => ({ mrn, givenName: 'Mallory', familyName: 'Chosen', birthDate: '1970-01-01', sex: 'unknown', zip: '12345', conditions: [] });
/** A problem document without its per-request parts, to compare two refusals. */
const sameParts = (body: unknown) => {
  const { instance: _instance, ...rest } = body as Record<string, unknown>;
  return rest;
};

describe('registration cannot take over an existing patient (HTTPS)', function () {
  this.timeout(120_000);
  const suite = worldForSuite({ https: true });
  let w: World;
  let ingested: string;
  before(async () => {
    w = suite.w;
    // a patient whose VCF came before any clinical record: in the catalog only
    await ingestVcf(w.service.vault, SIMPLE_VCF, { patient: INGESTED_MRN, sample: 'NA00002', workers: 0 });
    ingested = w.service.vault.catalog.patientByMrn(INGESTED_MRN)!.patientId;
  });

  it('serves the replay over TLS with the vault CA', () => {
    assert.match(w.url, /^https:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.match(w.ca ?? '', /BEGIN CERTIFICATE/);
  });

  it('refuses a clinician registering an ingested patient\u2019s MRN, exactly as for an unknown MRN, and grants nothing', async () => {
    const token = await w.login('clin_b');
    const takeover = await w.http('/patients', { method: 'POST', token, body: demographics(INGESTED_MRN) });
    const unknown = await w.http('/patients', { method: 'POST', token, body: demographics('MRN-NEVER-SEEN') });
    assert.equal(takeover.status, 403);
    assert.equal(unknown.status, takeover.status, 'the same refusal whether the MRN exists or not');
    assert.deepEqual(sameParts(unknown.body), sameParts(takeover.body));
    assert.equal((await w.http(`/patients/${ingested}/variants`, { token })).status, 404, 'the next variants read is still refused');
    assert.equal(w.service.clinical.get(ingested), undefined, 'the chosen demographics were not recorded');
    assert.deepEqual(w.service.clinical.careTeamOf(ingested), []);
    const [audit] = await w.auditOf(takeover);
    assert.equal(audit?.body.decision, 'deny');
    assert.equal(audit?.body.patientId, null, 'decided before the MRN was looked at');
  });

  it('refuses admins, counsellors and patients too', async () => {
    for (const user of ['admin', 'counselor', 'pat_a', 'ethics']) {
      const r = await w.http('/patients', { method: 'POST', token: await w.login(user), body: demographics('MRN-X-0001') });
      assert.equal(r.status, 403, user);
    }
  });

  it('lets registration staff attach the record of an ingested patient (201, no access) and answers 409 once it has one', async () => {
    const token = await w.login('registrar');
    const attached = await w.http('/patients', { method: 'POST', token, body: demographics(INGESTED_MRN) });
    assert.equal(attached.status, 201, attached.text);
    assert.equal(attached.body.patientId, ingested, 'the demographics reach the patient whose VCF came first');
    assert.equal(w.service.clinical.get(ingested)?.givenName, 'Mallory');
    assert.deepEqual(w.service.clinical.careTeamOf(ingested), [], 'registering puts nobody on the care team');
    assert.equal((await w.http(`/patients/${ingested}/variants`, { token })).status, 404, 'the registrar reads nothing');
    assert.equal((await w.http(`/patients/${ingested}`, { token })).status, 404);
    const again = await w.http('/patients', { method: 'POST', token, body: demographics(INGESTED_MRN) });
    assert.equal(again.status, 409);
    const fresh = await w.http('/patients', { method: 'POST', token, body: demographics('MRN-N-0010') });
    assert.equal(fresh.status, 201);
    assert.notEqual(fresh.body.patientId, ingested);
  });

  it('lets the EHR service register, and no one register the same new MRN twice at once', async () => {
    const { account } = await w.service.identity.createAccount({ username: 'ehr.reg', roles: ['ehr_service'], kind: 'service' }, HOST_ACTOR);
    const { token } = await w.service.identity.issueApiToken(account.accountId, 'test', HOST_ACTOR);
    const both = await Promise.all([0, 1].map(() => w.http('/patients', { method: 'POST', token, body: demographics('MRN-R-0011') })));
    assert.deepEqual(both.map((r) => r.status).sort(), [201, 409]);
  });

  it('leaves care teams to registration staff and the EHR: admins are refused, and nobody adds themselves', async () => {
    const target = `/patients/${w.patientB}/care-team/${w.accounts.clin_b!.accountId}`;
    assert.equal((await w.http(target, { method: 'PUT', token: await w.login('admin') })).status, 404, 'admins no longer assign care teams');
    assert.equal((await w.http(`/patients/${w.patientB}`, { token: await w.login('clin_b') })).status, 404);
    const dual = await enrolStaff(w.service, 'reg.clin', ['registrar', 'clinician'], PASSWORD);
    w.accounts['reg.clin'] = dual;
    const self = await w.http(`/patients/${w.patientB}/care-team/${dual.accountId}`, { method: 'PUT', token: await w.login('reg.clin') });
    assert.equal(self.status, 403, 'nobody puts themselves on a care team');
    assert.equal(w.service.clinical.isOnCareTeam(dual.accountId, w.patientB), false);
  });
});
