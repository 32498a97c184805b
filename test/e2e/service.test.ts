// The vault service end to end over real HTTP on loopback: who may read what, that every
// refusal is a 404 for patient data and is audited, and that sessions and logins behave.
// Each test gets a fresh world, so each stands alone and in any order (`--grep` runs one).
import { strict as assert } from 'node:assert';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { http } from '../helpers/http-client.ts';
import { buildWorld, type World } from './service-world.ts';

/** Paths (`entry.0.resource.id`) of the string values in `value` that contain `needle`. */
function stringsContaining(value: unknown, needle: string, path: string[] = []): string[] {
  if (typeof value === 'string') return value.includes(needle) ? [path.join('.')] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => stringsContaining(inner, needle, [...path, key]));
}

describe('vault service over HTTP', function () {
  this.timeout(120_000);
  let dir: { path: string; remove: () => Promise<void> };
  let w: World;
  const tokens: Record<string, string> = {};
  const refreshTokens = async () => {
    for (const u of ['admin', 'registrar', 'clin_a', 'clin_b', 'counselor', 'pat_a', 'proxy_a', 'researcher', 'insurer', 'relative', 'auditor', 'ethics']) tokens[u] = await w.login(u);
  };
  beforeEach(async () => {
    dir = await makeTempDir();
    w = await buildWorld(dir.path);
    await refreshTokens();
  });
  afterEach(async () => {
    await w.close();
    await dir.remove();
  });

  const get = (user: string, path: string, headers?: Record<string, string>) => http(`${w.url}${path}`, { token: tokens[user]!, ...(headers ? { headers } : {}) });
  const auditDecisions = async (requestId: string) => (await w.service.audit.query({ limit: 10_000 })).filter((e) => e.body.requestId === requestId);

  it('lets a care-team clinician read the record and variants, and audits the permit with the matched rule', async () => {
    const record = await get('clin_a', `/patients/${w.patientA}`);
    assert.equal(record.status, 200);
    assert.equal(record.body.givenName, 'Ada');
    const variants = await get('clin_a', `/patients/${w.patientA}/variants`);
    assert.equal(variants.status, 200);
    const rows = variants.body.variants as { chrom: string; pos: number; genotype: string }[];
    assert.ok(rows.length >= 2, 'NA00001 carries alternate alleles in the spec example');
    assert.ok(rows.every((r) => r.chrom === '20'), 'as the VCF spells it');
    const [entry] = await auditDecisions(variants.headers.get('x-request-id')!);
    assert.equal(entry?.body.decision, 'permit');
    assert.match(entry?.body.rule ?? '', /clinician-reads-variants-on-care-team/);
    assert.equal(entry?.body.patientId, w.patientA);
  });

  it('filters variants by region and refuses a malformed region with a problem naming the field', async () => {
    const inRegion = await get('clin_a', `/patients/${w.patientA}/variants?region=20:14000-18000`);
    assert.equal(inRegion.status, 200);
    for (const r of inRegion.body.variants as { pos: number }[]) assert.ok(r.pos >= 14000 && r.pos <= 18000);
    const bad = await get('clin_a', `/patients/${w.patientA}/variants?region=chr20:9-1`);
    assert.equal(bad.status, 400);
    assert.match(bad.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal((bad.body.errors as { path: string }[])[0]?.path, 'query.region');
    assert.ok(!bad.text.includes('at '), 'no stack trace');
    const badGene = await get('clin_a', `/patients/${w.patientA}/variants?gene=BRCA1;DROP`);
    assert.equal(badGene.status, 400);
    assert.equal((badGene.body.errors as { path: string }[])[0]?.path, 'query.gene');
  });

  it('answers 404 to a clinician outside the care team, and audits the refusal', async () => {
    for (const path of [`/patients/${w.patientA}`, `/patients/${w.patientA}/variants`]) {
      const r = await get('clin_b', path);
      assert.equal(r.status, 404);
      const [entry] = await auditDecisions(r.headers.get('x-request-id')!);
      assert.equal(entry?.body.decision, 'deny');
      assert.equal(entry?.body.actorId, w.accounts.clin_b!.accountId);
    }
    const unknown = await get('clin_b', '/patients/p_0123456789abcdef');
    assert.equal(unknown.status, 404, 'an unknown patient looks the same as a refused one');
  });

  it('break-glass grants time-boxed access, flagged for review and listed for the ethics board', async () => {
    const short = await http(`${w.url}/patients/${w.patientA}/break-glass`, { method: 'POST', token: tokens.clin_b!, body: { reason: 'er' } });
    assert.equal(short.status, 400, 'a reason is required');
    const grant = await http(`${w.url}/patients/${w.patientA}/break-glass`, { method: 'POST', token: tokens.clin_b!, body: { reason: 'unconscious patient in the emergency room' } });
    assert.equal(grant.status, 201);
    const r = await get('clin_b', `/patients/${w.patientA}/variants`);
    assert.equal(r.status, 200);
    assert.equal(r.body.breakGlass, true);
    const [entry] = await auditDecisions(r.headers.get('x-request-id')!);
    assert.equal(entry?.body.flagged, true);
    const queue = await get('ethics', '/break-glass');
    assert.equal(queue.status, 200);
    assert.ok((queue.body.items as { reason: string }[]).some((g) => g.reason === 'unconscious patient in the emergency room'));
    assert.equal((await get('clin_a', '/break-glass')).status, 403, 'clinicians do not review the queue');
    w.clock.now += 61 * 60_000; // the grant expires after an hour
    await refreshTokens();
    assert.equal((await get('clin_b', `/patients/${w.patientA}/variants`)).status, 404);
  });

  it('lets a patient read their own record, variants and access log, and nobody else\u2019s', async () => {
    assert.equal((await get('clin_a', `/patients/${w.patientA}/variants`)).status, 200);
    assert.equal((await get('clin_b', `/patients/${w.patientA}`)).status, 404);
    assert.equal((await get('pat_a', `/patients/${w.patientA}`)).status, 200);
    assert.equal((await get('pat_a', `/patients/${w.patientA}/variants`)).status, 200);
    assert.equal((await get('pat_a', `/patients/${w.patientB}`)).status, 404);
    const log = await get('pat_a', `/patients/${w.patientA}/access-log`);
    assert.equal(log.status, 200);
    const who = (log.body.items as { who: string; purpose: string }[]).map((i) => i.who);
    assert.ok(who.includes('clin_a'), 'the care-team clinician\u2019s reads are disclosed');
    assert.ok(who.includes('clin_b'), 'so are refused attempts');
    assert.equal((await get('pat_a', `/patients/${w.patientB}/access-log`)).status, 404);
    assert.equal((await get('clin_a', `/patients/${w.patientA}/access-log`)).status, 404, 'the access log is the patient\u2019s');
  });

  it('lets a proxy read only the patient their enrolment linked them to; nobody links proxies by hand', async () => {
    assert.equal((await get('proxy_a', `/patients/${w.patientA}`)).status, 200);
    assert.equal((await get('proxy_a', `/patients/${w.patientB}`)).status, 404);
    const byHand = await http(`${w.url}/patients/${w.patientB}/proxies/${w.accounts.proxy_a!.accountId}`, { method: 'PUT', token: tokens.admin! });
    assert.equal(byHand.status, 405, 'proxies come only from a patient enrolment');
    assert.equal((await get('proxy_a', `/patients/${w.patientB}`)).status, 404);
  });

  it('refuses record and variants to admin, auditor, ethics board, researcher, insurer and relative, and audits each refusal', async () => {
    for (const user of ['admin', 'auditor', 'ethics', 'researcher', 'insurer', 'relative', 'counselor']) {
      for (const path of [`/patients/${w.patientB}`, `/patients/${w.patientB}/variants`]) {
        const r = await get(user, path);
        assert.equal(r.status, 404, `${user} ${path}`);
        const [entry] = await auditDecisions(r.headers.get('x-request-id')!);
        assert.equal(entry?.body.decision, 'deny', `${user} ${path} audited`);
      }
    }
    // admin is refused even on a care team: separation of duties (deny overrides allow)
    await w.service.clinical.setCareTeam(w.patientA, w.accounts.admin!.accountId, true, 'test');
    assert.equal((await get('admin', `/patients/${w.patientA}/variants`)).status, 404);
  });

  it('gives audit events to auditors and the ethics board only', async () => {
    for (const path of [`/patients/${w.patientA}`, `/patients/${w.patientA}/variants`]) assert.equal((await get('clin_b', path)).status, 404);
    const events = await get('auditor', `/audit/events?patientId=${w.patientA}&decision=deny&limit=5`);
    assert.equal(events.status, 200);
    const items = events.body.items as { decision: string; patientId: string }[];
    assert.ok(items.length > 0 && items.length <= 5);
    assert.ok(items.every((i) => i.decision === 'deny' && i.patientId === w.patientA));
    assert.equal((await get('ethics', '/audit/events?flagged=true')).status, 200);
    for (const user of ['clin_a', 'admin', 'pat_a', 'researcher']) assert.equal((await get(user, '/audit/events')).status, 403, user);
  });

  it('lets admins manage accounts, and nobody else', async () => {
    const created = await http(`${w.url}/users`, { method: 'POST', token: tokens.admin!, body: { username: 'newclin', roles: ['clinician'] } });
    assert.equal(created.status, 201);
    assert.match((created.body.enrolment as { code: string }).code, /^([A-Z2-7]{4}-){7}[A-Z2-7]{4}$/);
    assert.equal(created.body.totp, undefined, 'no TOTP secret for the admin');
    const withPassword = await http(`${w.url}/users`, { method: 'POST', token: tokens.admin!, body: { username: 'weak', roles: ['clinician'], password: 'password' } });
    assert.equal(withPassword.status, 400, 'an admin no longer sets a password');
    for (const user of ['clin_a', 'auditor', 'pat_a', 'registrar']) {
      assert.equal((await http(`${w.url}/users`, { method: 'POST', token: tokens[user]!, body: { username: `x${user}`, roles: ['admin'] } })).status, 403, user);
    }
    const list = await get('admin', '/users');
    assert.ok(!list.text.includes('scrypt') && !list.text.toLowerCase().includes('secret'), 'no hashes or secrets in listings');
  });

  it('registers patients by registration staff, granting nobody access, and refuses clinicians and admins', async () => {
    const body = { mrn: 'MRN-C-0003', givenName: 'Alan', familyName: 'Turing', birthDate: '1954-06-07', sex: 'male', zip: '94305', conditions: [] };
    const created = await http(`${w.url}/patients`, { method: 'POST', token: tokens.registrar!, body });
    assert.equal(created.status, 201);
    const id = created.body.patientId as string;
    assert.equal(created.body.givenName, undefined, 'the answer is the id, not the record');
    assert.equal((await get('registrar', `/patients/${id}`)).status, 404, 'registering grants no access');
    assert.equal((await http(`${w.url}/patients`, { method: 'POST', token: tokens.registrar!, body })).status, 409);
    assert.equal((await http(`${w.url}/patients`, { method: 'POST', token: tokens.clin_a!, body: { ...body, mrn: 'MRN-D-4' } })).status, 403);
    assert.equal((await http(`${w.url}/patients`, { method: 'POST', token: tokens.admin!, body: { ...body, mrn: 'MRN-D-4' } })).status, 403);
    assert.equal((await get('clin_a', `/patients/${id}`)).status, 404);
    const assign = await http(`${w.url}/patients/${id}/care-team/${w.accounts.clin_a!.accountId}`, { method: 'PUT', token: tokens.registrar! });
    assert.equal(assign.status, 204, 'registration staff assign the care team');
    assert.equal((await get('clin_a', `/patients/${id}`)).status, 200);
    const update = await http(`${w.url}/patients/${id}`, { method: 'PATCH', token: tokens.clin_a!, body: { zip: '94306' } });
    assert.equal(update.status, 200);
    assert.equal(update.body.version, 2);
    assert.equal(w.service.clinical.recordHistory(id).length, 2, 'history is kept');
    assert.equal((await http(`${w.url}/patients/${id}`, { method: 'PATCH', token: tokens.clin_b!, body: { zip: '00000' } })).status, 404);
    const bad = await http(`${w.url}/patients`, { method: 'POST', token: tokens.registrar!, body: { ...body, mrn: 'MRN-E-5', birthDate: '1954-13-40' } });
    assert.equal(bad.status, 400);
    assert.equal((bad.body.errors as { path: string }[])[0]?.path, 'body.birthDate');
  });

  it('returns a FHIR R4 Bundle when asked for application/fhir+json', async () => {
    const r = await get('clin_a', `/patients/${w.patientA}/variants`, { accept: 'application/fhir+json' });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /application\/fhir\+json/);
    const bundle = r.body as { resourceType: string; entry: { resource: { resourceType: string } }[] };
    assert.equal(bundle.resourceType, 'Bundle');
    const kinds = bundle.entry.map((e) => e.resource.resourceType);
    assert.equal(kinds[0], 'Patient');
    assert.ok(kinds.includes('Condition') && kinds.includes('Observation'));
    const mrnAt = stringsContaining(bundle, 'MRN-A-0001');
    assert.deepEqual(mrnAt, ['entry.0.resource.identifier.0.value'], 'the MRN appears once, as the Patient identifier');
    assert.equal(r.text.split('MRN-A-0001').length - 1, 1, 'and nowhere else in the text, keys included');
  });

  it('requires a session, ends it on logout, and refuses a forged token', async () => {
    assert.equal((await http(`${w.url}/patients/${w.patientA}`)).status, 401);
    assert.equal((await http(`${w.url}/patients/${w.patientA}`, { token: 'forged-token-value' })).status, 401);
    const token = await w.login('clin_a');
    assert.equal((await http(`${w.url}/patients/${w.patientA}`, { token })).status, 200);
    assert.equal((await http(`${w.url}/sessions/current`, { method: 'DELETE', token })).status, 204);
    assert.equal((await http(`${w.url}/patients/${w.patientA}`, { token })).status, 401);
    w.clock.now += 16 * 60_000; // idle timeout
    assert.equal((await http(`${w.url}/patients/${w.patientA}`, { token: tokens.clin_a! })).status, 401);
    await refreshTokens();
  });

  it('answers every login failure with the same message, locks after repeated failures, and audits it', async () => {
    const attempt = (username: string, password: string) => http(`${w.url}/sessions`, { method: 'POST', body: { username, password, totp: '000000' } });
    const unknown = await attempt('nobody', 'whatever-password-1');
    const wrong = await attempt('relative', 'wrong-Password-123');
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.detail, wrong.body.detail);
    for (let i = 0; i < 4; i++) {
      w.clock.now += 10_000; // past the doubling wait after each failure (1, 2, 4, 8 s)
      assert.equal((await attempt('relative', 'wrong-Password-123')).status, 401);
    }
    await assert.rejects(w.login('relative'), /429/, 'this client is locked out, even with the right password and code');
    const lockouts = await w.service.audit.query({ actorId: w.accounts.relative!.accountId, limit: 100 });
    assert.ok(lockouts.some((e) => e.body.action === 'lockout'));
    assert.ok(lockouts.some((e) => e.body.action === 'login' && e.body.decision === 'failure' && e.body.reason === 'bad_password'));
  });

  it('lets the EHR service account (API token) record patients and manage care teams, and never read variants', async () => {
    const { HOST_ACTOR } = await import('../../vault/identity/principal.ts');
    const { account: ehr } = await w.service.identity.createAccount({ username: 'ehr', roles: ['ehr_service'], kind: 'service' }, HOST_ACTOR);
    const { token } = await w.service.identity.issueApiToken(ehr.accountId, 'integration', HOST_ACTOR);
    const body = { mrn: 'MRN-F-0006', givenName: 'Rosalind', familyName: 'Franklin', birthDate: '1920-07-25', sex: 'female', zip: '10001', conditions: [] };
    const created = await http(`${w.url}/patients`, { method: 'POST', token, body });
    assert.equal(created.status, 201);
    const id = created.body.patientId as string;
    assert.equal((await http(`${w.url}/patients/${id}/care-team/${w.accounts.clin_b!.accountId}`, { method: 'PUT', token })).status, 204);
    assert.equal((await get('clin_b', `/patients/${id}`)).status, 200, 'the care team it set takes effect');
    for (const path of [`/patients/${w.patientA}/variants`, `/patients/${w.patientA}`, '/audit/events']) {
      const r = await http(`${w.url}${path}`, { token });
      assert.ok(r.status === 404 || r.status === 403, `${path} answered ${r.status}`);
      assert.equal((await auditDecisions(r.headers.get('x-request-id')!))[0]?.body.decision, 'deny');
    }
    await w.service.identity.disableAccount(ehr.accountId, HOST_ACTOR);
    assert.equal((await http(`${w.url}/patients/${id}/care-team/${w.accounts.clin_b!.accountId}`, { method: 'DELETE', token })).status, 401, 'a disabled account\u2019s token stops working');
  });

  it('every route that touches patient data decides through authorize(): a caller with no rights is refused and audited', async () => {
    const sample: Record<string, string> = { id: w.patientA, accountId: w.accounts.clin_a!.accountId, directiveId: 'cd_0000000000000001', proposalId: 'pp_0000000000000000', enrolmentId: 'enr_aaaaaaaa' };
    const bodies: Record<string, unknown> = {
      'POST /v1/patients/:id/consents': { directive: { kind: 'clinical_use', decision: 'deny' } },
      'POST /v1/patients/:id/consents/:directiveId': { replaces: 1, directive: { kind: 'clinical_use', decision: 'deny' } },
      'POST /v1/patients/:id/consents/:directiveId/revoke': { replaces: 1 },
      'POST /v1/patients': { mrn: 'MRN-Z-9', givenName: 'Z', familyName: 'Z', birthDate: '2000-01-01', sex: 'unknown', zip: '12345', conditions: [] },
      'PATCH /v1/patients/:id': { zip: '12345' },
      'POST /v1/patients/:id/break-glass': { reason: 'testing the route table' },
      'POST /v1/patients/:id/enrolments': { role: 'proxy', evidence: 'testing the route table' },
      'POST /v1/patients/:id/accounts/:accountId/reset': { credentials: 'both' },
      'POST /v1/policy/explain': { subject: { accountId: w.accounts.clin_a!.accountId }, patientId: w.patientA, resource: 'variants', action: 'read', purpose: 'treatment' },
      'POST /v1/enrolments/:enrolmentId/approve': { evidence: 'testing the route table' },
      'POST /v1/projects/:id/cohort-queries': { level: 'count' },
      'POST /v1/beacon/g_variants': {},
    };
    // routes that name the patient in the query, or take a file: what a caller would send
    const queries: Record<string, string> = { 'GET /v1/patients': '?mrn=MRN-A-0001', 'POST /v1/ingests': '?patient=MRN-A-0001&sample=NA00001', 'GET /v1/patients/:id/released-findings': '?releasePurpose=claims' };
    const files: Record<string, { body: string; headers: Record<string, string> }> = { 'POST /v1/ingests': { body: '##fileformat=VCFv4.2\n', headers: { 'content-type': 'text/vcf' } } };
    const patientRoutes = w.routes.filter((r) => r.route.touchesPatientData);
    assert.ok(patientRoutes.length >= 10);
    for (const { route, fullPath } of patientRoutes) {
      const key = `${route.method.toUpperCase()} ${fullPath}`;
      // a project's routes name the project as :id (everywhere else :id is a patient)
      const names = fullPath.startsWith('/v1/projects/') ? { ...sample, id: 'rp_0000000000000000' } : sample;
      const path = fullPath.replace(/^\/v1/, '').replace(/:([A-Za-z]+)/g, (_m, name: string) => names[name] ?? 'x');
      const r = await http(`${w.url}${path}${queries[key] ?? ''}`, { method: route.method.toUpperCase(), token: tokens.relative ?? (await w.login('researcher')), ...(bodies[key] ? { body: bodies[key] } : {}), ...files[key] });
      assert.ok(r.status === 404 || r.status === 403, `${key} answered ${r.status}`);
      const entries = await auditDecisions(r.headers.get('x-request-id')!);
      assert.ok(entries.some((e) => e.body.decision === 'deny'), `${key} must be decided by authorize() and audited`);
    }
  });
});
