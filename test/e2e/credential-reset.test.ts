// Resets are re-enrolments, replayed over HTTPS against a real server with the vault's CA: a reset
// ends every session of the account at once, clears its password and/or TOTP secret, and only
// the person redeeming the new one-time code (both halves) gets back in. Admins reset staff only,
// a privacy officer approving; an account linked to a patient is reset by registration staff or a
// counsellor on the care team, a second person confirming.
import { strict as assert } from 'node:assert';
import type { HttpResult } from '../helpers/http-client.ts';
import { PASSWORD, worldForSuite, type World } from './service-world.ts';

const NEW_PASSWORD = 'Fresh-start-Passphrase-9';
type Issued = { enrolmentId: string; code: string; expiresAt: string };

describe('credential resets (HTTPS)', function () {
  this.timeout(120_000);
  const suite = worldForSuite({ https: true });
  let w: World;
  before(() => (w = suite.w));

  const loginWith = (username: string, password: string, secret: string) => w.attemptLogin(username, password, secret);
  const entryOf = async (response: HttpResult<unknown>, action: string) => (await w.auditOf(response)).find((e) => e.body.action === action);

  it('an admin reset of a staff account ends its sessions, and only the person\u2019s redemption restores access', async () => {
    const clinician = await w.login('clin_a');
    assert.equal((await w.http(`/patients/${w.patientA}`, { token: clinician })).status, 200);
    const reset = await w.http<Issued>(`/users/${w.accounts.clin_a!.accountId}/reset`, { method: 'POST', token: await w.login('admin'), body: { credentials: 'both' } });
    assert.equal(reset.status, 201, reset.text);
    assert.doesNotMatch(reset.text, /password|secret|otpauth/i);
    assert.equal((await entryOf(reset, 'credentials.reset'))?.body.decision, 'success');
    assert.equal((await w.http(`/patients/${w.patientA}`, { token: clinician })).status, 401, 'the session ended at once');
    assert.equal((await loginWith('clin_a', PASSWORD, w.accounts.clin_a!.secret)).status, 401, 'the old password and TOTP no longer work');

    const secondCode = await w.secondHalf(reset.body.enrolmentId);
    const redeemed = await w.http<{ totp: { secret: string } }>('/enrolments', { method: 'POST', body: { username: 'clin_a', code: reset.body.code, secondCode, newPassword: NEW_PASSWORD } });
    assert.equal(redeemed.status, 201);
    assert.notEqual(redeemed.body.totp.secret, w.accounts.clin_a!.secret);
    const back = await loginWith('clin_a', NEW_PASSWORD, redeemed.body.totp.secret);
    assert.equal(back.status, 201);
    assert.equal((await w.http(`/patients/${w.patientA}`, { token: back.body.token })).status, 200);
    w.accounts.clin_a = { accountId: w.accounts.clin_a!.accountId, secret: redeemed.body.totp.secret };
  });

  it('refuses resets by anyone but an admin for staff, and never lets an admin reset an account linked to a patient', async () => {
    for (const user of ['registrar', 'clin_b', 'auditor']) {
      const r = await w.http(`/users/${w.accounts.researcher!.accountId}/reset`, { method: 'POST', token: await w.login(user), body: {} });
      assert.equal(r.status, 403, user);
    }
    const patientToken = await w.login('pat_a');
    const refused = await w.http(`/users/${w.accounts.pat_a!.accountId}/reset`, { method: 'POST', token: await w.login('admin'), body: { credentials: 'totp' } });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'patient_linked_account');
    const entry = await entryOf(refused, 'credentials.reset');
    assert.equal(entry?.body.decision, 'failure');
    assert.equal(entry?.body.flagged, true, 'an admin\u2019s try at a patient\u2019s account is flagged');
    assert.equal((await w.http(`/patients/${w.patientA}`, { token: patientToken })).status, 200, 'nothing changed for the patient');
    const viaPatient = await w.http(`/patients/${w.patientA}/accounts/${w.accounts.pat_a!.accountId}/reset`, { method: 'POST', token: await w.login('admin'), body: {} });
    assert.equal(viaPatient.status, 404);
  });

  it('lets registration staff re-enrol a patient: sessions end, the patient redeems the new code and is back', async () => {
    const patientToken = await w.login('pat_a');
    const path = `/patients/${w.patientA}/accounts/${w.accounts.pat_a!.accountId}/reset`;
    assert.equal((await w.http(`/patients/${w.patientB}/accounts/${w.accounts.pat_a!.accountId}/reset`, { method: 'POST', token: await w.login('registrar'), body: {} })).status, 404, 'not linked to patient B');
    assert.equal((await w.http(path, { method: 'POST', token: await w.login('clin_b'), body: {} })).status, 404, 'a clinician may not');
    const reset = await w.http<Issued>(path, { method: 'POST', token: await w.login('registrar'), body: { credentials: 'totp' } });
    assert.equal(reset.status, 201, reset.text);
    const entry = await entryOf(reset, 'credentials.reset');
    assert.equal(entry?.body.flagged, true);
    assert.equal(entry?.body.patientId, w.patientA);
    assert.equal((await w.http(`/patients/${w.patientA}`, { token: patientToken })).status, 401, 'the session ended');
    assert.equal((await loginWith('pat_a', PASSWORD, w.accounts.pat_a!.secret)).status, 401, 'the lost TOTP secret no longer works');

    const secondCode = await w.secondHalf(reset.body.enrolmentId, 'counselor'); // on patient A's care team
    const withPassword = await w.http('/enrolments', { method: 'POST', body: { username: 'pat_a', code: reset.body.code, secondCode, newPassword: NEW_PASSWORD } });
    assert.equal(withPassword.status, 400, 'a TOTP reset keeps the password');
    const redeemed = await w.http<{ totp: { secret: string } }>('/enrolments', { method: 'POST', body: { username: 'pat_a', code: reset.body.code, secondCode } });
    assert.equal(redeemed.status, 201, redeemed.text);
    const back = await loginWith('pat_a', PASSWORD, redeemed.body.totp.secret);
    assert.equal(back.status, 201);
    assert.equal((await w.http(`/patients/${w.patientA}`, { token: back.body.token })).status, 200);
  });
});
