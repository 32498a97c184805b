// Answers that say nothing about what exists to a caller without the right to know: the same
// status and problem for an object that exists and one that does not, each refusal audited.
// Over HTTPS against a running service.
import { strict as assert } from 'node:assert';
import { worldForSuite, type World } from './service-world.ts';
import type { HttpResult } from '../helpers/http-client.ts';
import { grant, proxyDirective, setProxyPermissions } from './consent-kit.ts';

interface Issued { enrolmentId: string; code: string }

/** What a client can tell apart: the status and the problem, without the per-request instance. */
function answerOf(r: HttpResult<unknown>): string {
  const { instance: _instance, ...problem } = r.body as Record<string, unknown>;
  return JSON.stringify([r.status, problem]);
}

describe('answers that say nothing about what exists (HTTPS)', function () {
  this.timeout(120_000);
  const world = worldForSuite({ https: true });

  describe('POST /v1/enrolments/{id}/approve', () => {
    const approve = (w: World, id: string, token: string) => w.http(`/enrolments/${id}/approve`, { method: 'POST', token, body: { evidence: 'checked the document' } });

    it('gives a caller whose roles may approve no enrolment one answer for a patient\u2019s enrolment, a staff enrolment and an unknown id; the attempt is audited', async () => {
      const { w } = world;
      const circle = await w.http<Issued>(`/patients/${w.patientA}/enrolments`, { method: 'POST', token: await w.login('registrar'), body: { role: 'relative', relationship: 'sibling', evidence: 'identity document checked in person' } });
      assert.equal(circle.status, 201, circle.text);
      const staff = await w.http<{ enrolment: Issued }>('/users', { method: 'POST', token: await w.login('admin'), body: { username: 'dr.oracle', roles: ['clinician'] } });
      assert.equal(staff.status, 201, staff.text);
      const ids = { circle: circle.body.enrolmentId, staff: staff.body.enrolment.enrolmentId, unknown: 'enr_zzzzzzzz' };
      for (const user of ['clin_a', 'admin', 'auditor', 'ethics', 'researcher', 'insurer', 'pat_a', 'proxy_a', 'relative']) {
        const token = await w.login(user);
        const answers = { circle: await approve(w, ids.circle, token), staff: await approve(w, ids.staff, token), unknown: await approve(w, ids.unknown, token) };
        assert.equal(answers.unknown.status, 403, `${user}: ${answers.unknown.text}`);
        assert.equal(answerOf(answers.circle), answerOf(answers.unknown), `${user}: a patient's enrolment answered like an unknown id`);
        assert.equal(answerOf(answers.staff), answerOf(answers.unknown), `${user}: a staff enrolment answered like an unknown id`);
        // the refusal is decided with no patient, and the attempt recorded with the enrolment (and its patient) for review
        const entries = await w.auditOf(answers.circle);
        assert.deepEqual(entries.filter((e) => e.body.resource === 'enrolment_approval').map((e) => [e.body.decision, e.body.patientId]), [['deny', null]], user);
        const attempt = entries.find((e) => e.body.action === 'enrolment.approve');
        assert.deepEqual([attempt?.body.decision, attempt?.body.patientId, attempt?.body.flagged, attempt?.body.reason], ['failure', w.patientA, true, `${ids.circle} not_an_approver`], user);
      }
      // the enrolments are untouched: the privacy officer approves both
      const privacy = await w.login('privacy');
      assert.equal((await approve(w, ids.circle, privacy)).status, 201);
      assert.equal((await approve(w, ids.staff, privacy)).status, 201);
      assert.equal((await approve(w, ids.unknown, privacy)).status, 404, 'who may approve learns that an id is unknown');
    });
    it('gives a counsellor (who may approve enrolments on its care teams) one answer for another patient\u2019s enrolment, a staff enrolment and an unknown id', async () => {
      const { w } = world;
      await w.service.clinical.setCareTeam(w.patientB, w.accounts.counselor!.accountId, false, 'test');
      const other = await w.http<Issued>(`/patients/${w.patientB}/enrolments`, { method: 'POST', token: await w.login('registrar'), body: { role: 'relative', relationship: 'sibling', evidence: 'identity document checked in person' } });
      assert.equal(other.status, 201, other.text);
      const staff = await w.http<{ enrolment: Issued }>('/users', { method: 'POST', token: await w.login('admin'), body: { username: 'dr.oracle2', roles: ['clinician'] } });
      assert.equal(staff.status, 201, staff.text);
      const counselor = await w.login('counselor');
      const answers = [other.body.enrolmentId, staff.body.enrolment.enrolmentId, 'enr_zzzzzzzz'].map((id) => approve(w, id, counselor));
      const [forOther, forStaff, forUnknown] = await Promise.all(answers);
      assert.equal(forUnknown!.status, 403, forUnknown!.text);
      assert.equal(answerOf(forOther!), answerOf(forUnknown!), 'another patient\u2019s enrolment answered like an unknown id');
      assert.equal(answerOf(forStaff!), answerOf(forUnknown!), 'a staff enrolment answered like an unknown id');
      const decided = (await w.auditOf(forOther!)).filter((e) => e.body.resource === 'enrolment_approval').map((e) => [e.body.decision, e.body.patientId]);
      assert.deepEqual(decided, [['deny', w.patientB]], 'decided for that patient, and audited');
    });
  });

  describe('amending and revoking a directive (/v1/patients/{id}/consents/{directiveId})', () => {
    const revoke = (w: World, patientId: string, id: string, token: string) => w.http(`/patients/${patientId}/consents/${id}/revoke`, { method: 'POST', token, body: { replaces: 1 } });
    const amend = (w: World, patientId: string, id: string, token: string, directive: Record<string, unknown>) => w.http(`/patients/${patientId}/consents/${id}`, { method: 'POST', token, body: { replaces: 1, directive } });

    it('answers a proxy who manages consents alike for its own proxy directive, another patient’s directive and an unknown id; it still revokes a consent', async () => {
      const { w } = world;
      const counselor = await w.login('counselor');
      const patient = await w.login('pat_a');
      // the proxy's enrolment directive, amended by the counsellor to let it manage consents (not proxies)
      const proxyAccount = w.accounts.proxy_a!.accountId;
      const enrolled = await setProxyPermissions(w, counselor, ['view_results', 'manage_consents']);
      const consent = await grant(w, patient, w.patientA, { kind: 'clinical_use', decision: 'permit' });
      await w.service.clinical.setCareTeam(w.patientB, w.accounts.counselor!.accountId, true, 'test');
      const elsewhere = await grant(w, counselor, w.patientB, { kind: 'clinical_use', decision: 'permit' }, 'form-b-7');

      const proxy = await w.login('proxy_a');
      const ids = { proxyDirective: enrolled.directiveId, otherPatients: elsewhere.directiveId, unknown: 'cd_00000000deadbeef' };
      const unknown = await revoke(w, w.patientA, ids.unknown, proxy);
      assert.equal(unknown.status, 404, unknown.text);
      const revoked = { unknown: answerOf(unknown), proxyDirective: answerOf(await revoke(w, w.patientA, ids.proxyDirective, proxy)), otherPatients: answerOf(await revoke(w, w.patientA, ids.otherPatients, proxy)) };
      assert.equal(revoked.proxyDirective, revoked.unknown, 'revoking its own proxy directive answers as an unknown id');
      assert.equal(revoked.otherPatients, revoked.unknown, 'another patient’s directive answers as an unknown id');
      // an amendment naming a consent kind, on the proxy directive or an unknown id: alike
      const asConsent = { kind: 'clinical_use', decision: 'deny' };
      assert.equal(answerOf(await amend(w, w.patientA, ids.proxyDirective, proxy, asConsent)), answerOf(await amend(w, w.patientA, ids.unknown, proxy, asConsent)));
      // an amendment naming the proxy kind is refused for the patient, whatever the id
      const asProxy = proxyDirective(proxyAccount, { permissions: ['view_results', 'manage_consents', 'authorize_releases'] });
      assert.equal(answerOf(await amend(w, w.patientA, ids.proxyDirective, proxy, asProxy)), answerOf(await amend(w, w.patientA, ids.unknown, proxy, asProxy)));
      // every kind the proxy's roles could change is decided for the patient before any directive is
      // read, in one order: the audit trail (which the patient, and a proxy with view_access_log,
      // reads) is the same for the proxy directive and an unknown id
      const trail = async (id: string) => (await w.auditOf(await revoke(w, w.patientA, id, proxy)))
        .filter((e) => ['consent', 'release_authorization', 'proxy_authority'].includes(e.body.resource)).map((e) => `${e.body.resource} ${e.body.action} ${e.body.decision}`).sort();
      const forProxyDirective = await trail(ids.proxyDirective);
      assert.deepEqual(forProxyDirective, ['consent update permit', 'release_authorization update deny']);
      assert.deepEqual(await trail(ids.unknown), forProxyDirective);
      assert.deepEqual(await trail(ids.otherPatients), forProxyDirective);
      assert.equal(w.service.consents.directive(w.patientA, ids.proxyDirective)?.revokedAt, undefined);
      assert.equal((await revoke(w, w.patientA, consent.directiveId, proxy)).status, 200);
    });

    it('answers a caller with no right over the patient alike for every id, deciding the patient before any directive', async () => {
      const { w } = world;
      const proxyDirectiveId = w.service.consents.current(w.patientA).directives.find((d) => d.directive.kind === 'proxy')!.directiveId;
      const consentId = w.service.consents.current(w.patientA).directives.find((d) => d.directive.kind !== 'proxy')?.directiveId ?? 'cd_00000000feedface';
      for (const user of ['clin_b', 'relative', 'insurer', 'researcher', 'admin', 'auditor']) {
        const token = await w.login(user);
        const answers = await Promise.all([proxyDirectiveId, consentId, 'cd_00000000deadbeef'].map(async (id) => answerOf(await revoke(w, w.patientA, id, token))));
        assert.deepEqual(new Set(answers).size, 1, `${user}: ${answers.join(' | ')}`);
        const refused = await revoke(w, w.patientA, proxyDirectiveId, token);
        assert.deepEqual((await w.auditOf(refused)).filter((e) => e.body.decision === 'deny').map((e) => e.body.resource), ['consent'], `${user}: one refusal, decided for the patient`);
      }
    });
  });
});
