// Second review round, findings A, B and C, replayed over HTTPS against a real server trusting the
// vault's own CA: one staff member acting alone (an admin, a registrar, a counsellor) tried to end
// up reading a patient's variants. Each attack is played step by step as the review did; steps
// the service now refuses are tried anyway, and the last step, the read, must not answer 200.
// The legitimate path (two different people, each handing one half to the person) still works.
import { strict as assert } from 'node:assert';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { HOST_ACTOR } from '../../vault/identity/principal.ts';
import { hashToken, newApiToken } from '../../vault/identity/opaque-token.ts';
import { openAccountLog } from '../../vault/identity/identity-service.ts';
import { LOG_KEYS, logPath } from '../../vault/log/log-files.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { currentTotp } from '../../vault/identity/totp.ts';
import type { HttpResult } from '../helpers/http-client.ts';
import { buildWorld, worldForSuite, type World } from './service-world.ts';

const CHOSEN = 'Chosen-by-the-attacker-31';
type Issued = { enrolmentId: string; code: string; expiresAt: string; half?: string };
type Redeemed = { account: { accountId: string; username: string; roles: string[] }; totp?: { secret: string } };

describe('one person alone never reads a patient (second review: A, B, C; HTTPS)', function () {
  this.timeout(180_000);
  const suite = worldForSuite({ https: true });
  let w: World;
  let ehr: { accountId: string; token: string };
  before(async () => {
    w = suite.w;
    const { account } = await w.service.identity.createAccount({ username: 'ehr.real', roles: ['ehr_service'], kind: 'service' }, HOST_ACTOR);
    ehr = { accountId: account.accountId, token: (await w.service.identity.issueApiToken(account.accountId, 'integration', HOST_ACTOR)).token };
  });

  /** What an attack step got, if the service let it through (the attack goes on with it). */
  const ifCreated = <T>(r: HttpResult<T>): T | undefined => (r.status === 201 ? r.body : undefined);
  const redeem = (body: Record<string, unknown>) => w.http<Redeemed>('/enrolments', { method: 'POST', body });
  /** Logs in with what a redemption returned; the session token, or undefined when refused. */
  const sessionOf = async (username: string, redeemed: Redeemed | undefined): Promise<string | undefined> => {
    if (!redeemed?.totp) return undefined;
    w.clock.now += 31_000;
    const r = await w.http<{ token: string }>('/sessions', { method: 'POST', body: { username, password: CHOSEN, totp: currentTotp(redeemed.totp.secret, w.clock.now) } });
    return r.status === 201 ? r.body.token : undefined;
  };
  const readVariants = (patientId: string, token: string | undefined) => (token === undefined ? Promise.resolve(undefined) : w.http(`/patients/${patientId}/variants`, { token }));
  const entries = async (action: string) => (await w.service.audit.query({ limit: 10_000 })).map((e) => e.body).filter((e) => e.action === action);

  describe('A: an admin alone', () => {
    it('cannot make a service account with a human role, nor get any service token, so no service "clinician" reads', async () => {
      const admin = await w.login('admin');
      const made = await w.http<{ account: { accountId: string } }>('/users', { method: 'POST', token: admin, body: { username: 'svc.clin.x', roles: ['clinician'], kind: 'service' } });
      assert.equal(made.status, 400, made.text);
      assert.equal((made.body as unknown as { errors: { path: string }[] }).errors[0]?.path, 'body.roles');
      const svcId = ifCreated(made)?.account.accountId;

      // tokens for any service account, the real EHR's included
      const tokens: string[] = [];
      for (const accountId of [svcId, ehr.accountId]) {
        if (accountId === undefined) continue;
        const r = await w.http<{ token: string }>(`/users/${accountId}/api-tokens`, { method: 'POST', token: admin, body: { label: 'mine' } });
        assert.notEqual(r.status, 201, 'an admin issues no API token');
        if (r.status === 201) tokens.push(r.body.token);
      }
      const [svcToken, ehrToken] = svcId === undefined ? [undefined, tokens[0]] : tokens;
      if (ehrToken !== undefined && svcId !== undefined) await w.http(`/patients/${w.patientB}/care-team/${svcId}`, { method: 'PUT', token: ehrToken });
      assert.notEqual((await readVariants(w.patientB, svcToken))?.status, 200);
      assert.equal(w.service.identity.listAccounts().filter((a) => a.username === 'svc.clin.x').length, 0);
    });

    it('cannot redeem the staff codes it receives, so its clinician and registrar never log in', async () => {
      const admin = await w.login('admin');
      const create = async (username: string, role: string) => (await w.http<{ enrolment: Issued }>('/users', { method: 'POST', token: admin, body: { username, roles: [role] } })).body.enrolment;
      const clinCode = await create('x.clin', 'clinician');
      const regCode = await create('x.reg', 'registrar');
      const clin = await redeem({ username: 'x.clin', code: clinCode.code, newPassword: CHOSEN });
      const reg = await redeem({ username: 'x.reg', code: regCode.code, newPassword: CHOSEN });
      assert.equal(clin.status, 400, 'a staff code from an admin alone is half a code');
      assert.equal(reg.status, 400);
      const registrar = await sessionOf('x.reg', ifCreated(reg));
      const clinician = await sessionOf('x.clin', ifCreated(clin));
      const clinId = ifCreated(clin)?.account.accountId;
      if (registrar !== undefined && clinId !== undefined) await w.http(`/patients/${w.patientB}/care-team/${clinId}`, { method: 'PUT', token: registrar });
      assert.notEqual((await readVariants(w.patientB, clinician))?.status, 200);
      const created = (await entries('user.create')).filter((e) => e.actorId === w.accounts.admin!.accountId && e.decision === 'success');
      assert.ok(created.length >= 2 && created.every((e) => e.flagged === true), 'every account an admin makes for a data-reaching role is flagged');
    });

    it('flags a care-team assignment made by a service', async () => {
      const put = await w.http(`/patients/${w.patientB}/care-team/${w.accounts.clin_b!.accountId}`, { method: 'PUT', token: ehr.token });
      assert.equal(put.status, 204, put.text);
      const [entry] = (await w.auditOf(put)).filter((e) => e.body.action === 'care_team.add');
      assert.equal(entry?.body.flagged, true);
      assert.equal(entry?.body.patientId, w.patientB);
      await w.http(`/patients/${w.patientB}/care-team/${w.accounts.clin_b!.accountId}`, { method: 'DELETE', token: ehr.token });
    });

    it('still enrols a staff member when a privacy officer, not the admin, approves and the person holds both halves', async () => {
      const created = await w.http<{ enrolment: Issued }>('/users', { method: 'POST', token: await w.login('admin'), body: { username: 'dr.second', roles: ['clinician'] } });
      assert.equal(created.status, 201, created.text);
      const { enrolmentId, code } = created.body.enrolment;
      assert.equal(created.body.enrolment.half, 'first');
      const approve = (user: string) => w.http<Issued>(`/enrolments/${enrolmentId}/approve`, { method: 'POST', token: user, body: { evidence: 'HR contract 2026-114 seen' } });
      for (const user of ['admin', 'registrar', 'clin_a', 'counselor']) assert.equal((await approve(await w.login(user))).status, 403, user);
      const approved = await approve(await w.login('privacy'));
      assert.equal(approved.status, 201, approved.text);
      assert.equal(approved.body.half, 'second');
      assert.equal((await w.auditOf(approved)).find((e) => e.body.action === 'enrolment.approve')?.body.flagged, true);
      assert.equal((await redeem({ username: 'dr.second', code: approved.body.code, newPassword: CHOSEN })).status, 400, 'the second half alone is not enough');
      assert.equal((await redeem({ username: 'dr.second', code, secondCode: code, newPassword: CHOSEN })).status, 400, 'one half twice is not enough');
      const mine = await redeem({ username: 'dr.second', code: approved.body.code, secondCode: code, newPassword: CHOSEN });
      assert.equal(mine.status, 201, mine.text);
      assert.ok(await sessionOf('dr.second', mine.body));
      assert.equal((await approve(await w.login('privacy'))).status, 409, 'approved once');
    });
  });

  describe('B: a registrar or a counsellor alone', () => {
    it('a registrar cannot enrol a proxy of their own choosing with the code they issued', async () => {
      const registrar = await w.login('registrar');
      const issued = await w.http<Issued>(`/patients/${w.patientB}/enrolments`, { method: 'POST', token: registrar, body: { role: 'proxy', evidence: 'forged power of attorney' } });
      assert.equal(issued.status, 201, issued.text);
      const mine = await redeem({ username: 'reg.puppet', code: issued.body.code, newPassword: CHOSEN });
      assert.equal(mine.status, 400);
      const self = await w.http(`/enrolments/${issued.body.enrolmentId}/approve`, { method: 'POST', token: registrar, body: { evidence: 'I checked it myself' } });
      assert.equal(self.status, 403, 'the issuer cannot confirm their own enrolment');
      assert.notEqual((await readVariants(w.patientB, await sessionOf('reg.puppet', ifCreated(mine))))?.status, 200);
    });

    it("a registrar's reset of a patient's own account gives them half a code only", async () => {
      const reset = await w.http<Issued>(`/patients/${w.patientA}/accounts/${w.accounts.pat_a!.accountId}/reset`, { method: 'POST', token: await w.login('registrar'), body: { credentials: 'both' } });
      assert.equal(reset.status, 201, reset.text);
      const taken = await redeem({ username: 'pat_a', code: reset.body.code, newPassword: CHOSEN });
      assert.equal(taken.status, 400);
      assert.notEqual((await readVariants(w.patientA, await sessionOf('pat_a', ifCreated(taken))))?.status, 200);
      // the patient gets back in with both halves (the privacy officer confirms)
      const second = await w.http<Issued>(`/enrolments/${reset.body.enrolmentId}/approve`, { method: 'POST', token: await w.login('privacy'), body: { evidence: 'passport seen at the desk' } });
      assert.equal(second.status, 201, second.text);
      const back = await redeem({ username: 'pat_a', code: reset.body.code, secondCode: second.body.code, newPassword: CHOSEN });
      assert.equal(back.status, 201, back.text);
      w.accounts.pat_a = { accountId: w.accounts.pat_a!.accountId, secret: back.body.totp!.secret };
    });

    it("a counsellor's proxy enrolment does not outlive their removal from the care team", async () => {
      const counselor = await w.login('counselor');
      const issued = await w.http<Issued>(`/patients/${w.patientA}/enrolments`, { method: 'POST', token: counselor, body: { role: 'proxy', evidence: 'guardianship order 2026-9' } });
      assert.equal(issued.status, 201, issued.text);
      const approved = await w.http<Issued>(`/enrolments/${issued.body.enrolmentId}/approve`, { method: 'POST', token: await w.login('privacy'), body: { evidence: 'guardianship order 2026-9 seen' } });
      const removed = await w.http(`/patients/${w.patientA}/care-team/${w.accounts.counselor!.accountId}`, { method: 'DELETE', token: await w.login('registrar') });
      assert.equal(removed.status, 204);
      const second = ifCreated(approved) ? { secondCode: approved.body.code } : {};
      const mine = await redeem({ username: 'couns.puppet', code: issued.body.code, ...second, newPassword: CHOSEN });
      assert.equal(mine.status, 400, 'the enrolment was withdrawn with the counsellor\u2019s care-team membership');
      assert.notEqual((await readVariants(w.patientA, await sessionOf('couns.puppet', ifCreated(mine))))?.status, 200);
      assert.ok((await entries('enrolment.withdraw')).some((e) => e.flagged === true && e.patientId === w.patientA));
      await w.service.clinical.setCareTeam(w.patientA, w.accounts.counselor!.accountId, true, 'test');
    });
  });

  describe('C: service accounts', () => {
    it('rotate their own token (flagged); an admin rotates none', async () => {
      const admin = await w.login('admin');
      const listed = await w.http<{ items: { tokenId: string }[] }>(`/users/${ehr.accountId}/api-tokens`, { token: admin });
      const tokenId = listed.body.items[0]!.tokenId;
      assert.notEqual((await w.http(`/users/${ehr.accountId}/api-tokens/${tokenId}/rotate`, { method: 'POST', token: admin, body: {} })).status, 201);
      const rotated = await w.http<{ token: string }>('/api-tokens/current/rotate', { method: 'POST', token: ehr.token, body: {} });
      assert.equal(rotated.status, 201, rotated.text);
      assert.equal((await w.auditOf(rotated)).find((e) => e.body.action === 'token.rotate')?.body.flagged, true);
      assert.equal((await w.http('/api-tokens/current/rotate', { method: 'POST', token: await w.login('clin_a'), body: {} })).status, 403, 'a person has no token to rotate');
      ehr.token = rotated.body.token;
    });
  });
});

describe('an older vault holding a service account with a human role (C)', function () {
  this.timeout(120_000);

  it('refuses its token at authentication and flags the account when the service starts', async () => {
    const dir = await makeTempDir();
    const token = newApiToken();
    const at = '2026-01-01T00:00:00.000Z';
    let w: World | undefined;
    try {
      w = await buildWorld(dir.path, {
        https: true,
        moreData: async (writer) => {
          const [key] = await writer.namedKeys([LOG_KEYS.accounts]);
          const path = logPath(join(dir.path, 'vault'), 'accounts');
          await mkdir(dirname(path), { recursive: true });
          const log = await openAccountLog(path, key!);
          await log.append({ type: 'account.created', accountId: 'acc_00000000000000c1', actorId: 'host', at, username: 'old.svc.clin', kind: 'service', roles: ['clinician'] });
          await log.append({ type: 'api_token.issued', accountId: 'acc_00000000000000c1', actorId: 'host', at, tokenId: 'tok_00000000000000c1', tokenHash: hashToken(token), label: 'old', expiresAt: '2027-01-01T00:00:00.000Z' });
          await log.close();
        },
      });
      await w.service.clinical.setCareTeam(w.patientA, 'acc_00000000000000c1', true, 'an older version');
      const read = await w.http(`/patients/${w.patientA}/variants`, { token });
      assert.equal(read.status, 401, read.text);
      const flagged = (await w.service.audit.query({ limit: 10_000 })).map((e) => e.body).filter((e) => e.flagged === true && e.action === 'account.roles_refused');
      assert.deepEqual(flagged.map((e) => e.reason), ['acc_00000000000000c1']);
      const listed = await w.http<{ items: { accountId: string; rolesRefused?: boolean }[] }>('/users', { token: await w.login('admin') });
      assert.equal(listed.body.items.find((a) => a.accountId === 'acc_00000000000000c1')?.rolesRefused, true);
    } finally {
      await w?.close();
      await dir.remove();
    }
  });
});
