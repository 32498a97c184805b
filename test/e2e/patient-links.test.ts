// Which patient an account is linked to (second review, H), over HTTPS. An admin manages the
// accounts of a patient's circle only as far as disabling, enabling or unlocking them: no view an
// admin gets names the patient, and asking for the link is refused. The privacy officer looks the
// link up, and the look-up is audited under that patient.
import { strict as assert } from 'node:assert';
import { worldForSuite, type World } from './service-world.ts';

type Summary = { accountId: string; username: string; patientLinked: boolean } & Record<string, unknown>;

describe('patient links: never shown to an admin, looked up by the privacy officer (second review, H; HTTPS)', function () {
  this.timeout(120_000);
  const suite = worldForSuite({ https: true });
  let w: World;
  before(() => {
    w = suite.w;
  });
  type Links = { accountId: string; roles: string[]; links: { patientId: string; as: string }[] };
  const linkOf = async (user: string, accountId: string) => w.http<Links>(`/users/${accountId}/patient-links`, { token: await w.login(user) });

  it('no account view an admin gets names the patient an account is linked to', async () => {
    const admin = await w.login('admin');
    const patientAccount = w.accounts.pat_a!.accountId;
    const enrolment = await w.http<{ enrolmentId: string }>(`/patients/${w.patientB}/enrolments`, { method: 'POST', token: await w.login('registrar'), body: { role: 'proxy', evidence: 'court order on file' } });
    assert.equal(enrolment.status, 201, enrolment.text);
    const seen = [
      await w.http<{ items: Summary[] }>('/users', { token: admin }),
      await w.http('/users', { method: 'POST', token: admin, body: { username: 'new.nurse', roles: ['clinician'] } }),
      await w.http(`/users/${patientAccount}/disable`, { method: 'POST', token: admin }),
      await w.http(`/users/${patientAccount}/enable`, { method: 'POST', token: admin }),
      await w.http(`/users/${patientAccount}/unlock`, { method: 'POST', token: admin }),
      await w.http(`/users/${patientAccount}/reset`, { method: 'POST', token: admin, body: { credentials: 'both' } }),
      await w.http(`/users/${patientAccount}/api-tokens`, { token: admin }),
      await w.http(`/enrolments/${enrolment.body.enrolmentId}/approve`, { method: 'POST', token: admin, body: { evidence: 'I looked' } }),
      await linkOf('admin', patientAccount),
    ];
    for (const r of seen) {
      for (const patientId of [w.patientA, w.patientB]) assert.ok(!r.text.includes(patientId), `${r.status} ${r.text.slice(0, 200)} names a patient`);
    }
    const items = (seen[0]!.body as { items: Summary[] }).items;
    const linked = items.filter((a) => ['pat_a', 'proxy_a', 'relative'].includes(a.username));
    assert.equal(linked.length, 3);
    for (const a of linked) {
      assert.equal(a.patientLinked, true, 'the list says that an account is linked to some patient');
      assert.ok(!('patientId' in a), 'and never to which');
    }
  });

  it('refuses the link to an admin and to every role but the privacy officer, auditing the refusal', async () => {
    for (const user of ['admin', 'registrar', 'counselor', 'clin_a', 'auditor', 'ethics', 'pat_a']) {
      const r = await linkOf(user, w.accounts.proxy_a!.accountId);
      assert.equal(r.status, 403, `${user}: ${r.text}`);
      assert.ok(!r.text.includes(w.patientA));
      const [decision] = (await w.auditOf(r)).filter((e) => e.body.resource === 'patient_link');
      assert.equal(decision?.body.decision, 'deny', user);
    }
    const [denied] = (await w.auditOf(await linkOf('admin', w.accounts.proxy_a!.accountId))).filter((e) => e.body.resource === 'patient_link');
    assert.match(String(denied?.body.rule), /\badmin-never-sees-patient-links\b/, 'an explicit deny, whatever other line an admin might be given');
  });

  it("gives the privacy officer the links (patient, proxy, relative), audited under the patient; a staff account has none", async () => {
    for (const [user, as] of [['pat_a', 'patient'], ['proxy_a', 'proxy'], ['relative', 'relative']] as const) {
      const r = await linkOf('privacy', w.accounts[user]!.accountId);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.body.links, [{ patientId: w.patientA, as }], user);
      const done = (await w.auditOf(r)).filter((e) => e.body.action === 'patient_link.read');
      assert.deepEqual(done.map((e) => [e.body.patientId, e.body.decision, e.body.actorId]), [[w.patientA, 'success', w.accounts.privacy!.accountId]]);
    }
    const staff = await linkOf('privacy', w.accounts.clin_a!.accountId);
    assert.equal(staff.status, 200);
    assert.deepEqual(staff.body.links, []);
    assert.equal((await linkOf('privacy', 'acc_00000000000000ff')).status, 404);
  });
});
