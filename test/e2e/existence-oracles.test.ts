// Answers that say nothing about what exists to a caller without the right to know: the same
// status and problem for an object that exists and one that does not, each refusal audited.
// Over HTTPS against a running service.
import { strict as assert } from 'node:assert';
import { worldForSuite, type World } from './service-world.ts';
import type { HttpResult } from '../helpers/http-client.ts';

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
  });
});
