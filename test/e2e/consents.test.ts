// The consent routes over HTTPS against a real server and real sealed logs: who may record what,
// what the ledger refuses, what each reader sees, and that a decision follows the directive in
// force at the moment of the request (a revocation counts from the very next request).
import assert from 'node:assert/strict';
import { worldForSuite } from './service-world.ts';
import { DECLINE_CARRIER_AND_ADULT_ONSET, familyShare, grant, proxyDirective, revoke, type Recorded } from './consent-kit.ts';
import type { ConsentBundle } from '../../consent/fhir/fhir-consent-types.ts';
import { consentProblems } from '../../consent/fhir/consent-invariants.ts';

interface Problem {
  code: string;
  errors?: { path: string; message: string }[];
}

describe('consents over HTTPS', function () {
  const world = worldForSuite({ https: true });
  const tokens: Record<string, string> = {};
  const w = () => world.w;
  const as = async (user: string) => (tokens[user] ??= await w().login(user));
  const variants = async (user: string, patientId = w().patientA) => (await w().http(`/patients/${patientId}/variants`, { token: await as(user) })).status;
  const consentsOf = (user: string, patientId = w().patientA) => w().http<{ directives: { directiveId: string; kind: string; source: string; recordedBy?: { role: string } }[]; clinicalUse: { permitted: boolean; basis: string } }>(`/patients/${patientId}/consents`, { token: tokens[user] });

  before(async () => {
    for (const user of ['pat_a', 'clin_a', 'clin_b', 'counselor', 'proxy_a', 'relative', 'ethics', 'auditor', 'admin', 'privacy']) await as(user);
  });

  it('stops a care-team clinician reading the variants from the request after a clinical-use deny, and lets them again from the request after its revocation', async () => {
    assert.equal(await variants('clin_a'), 200, 'hospital default: permit');
    const deny = await grant(w(), tokens.pat_a!, w().patientA, { kind: 'clinical_use', decision: 'deny' });
    assert.equal(await variants('clin_a'), 404, 'the very next request follows the deny');
    assert.equal(await variants('counselor'), 404);
    assert.equal((await w().http(`/patients/${w().patientA}`, { token: tokens.clin_a })).status, 200, 'the record is not genomic data: still readable');
    assert.equal(await variants('pat_a'), 200, 'the patient still reads their own');
    const current = await consentsOf('pat_a');
    assert.deepEqual(current.body.clinicalUse, { permitted: false, basis: 'directive' });
    await revoke(w(), tokens.pat_a!, w().patientA, deny);
    assert.equal(await variants('clin_a'), 200, 'the very next request follows the revocation');
    const entries = (await w().service.audit.query({ patientId: w().patientA, limit: 10_000 })).filter((e) => e.body.action === 'consent.revoke');
    assert.equal(entries[0]?.body.targetId, `${deny.directiveId}:v2`);
  });

  it('shows the directives in force as JSON and as FHIR R4 Consents, and the whole history with who recorded what', async () => {
    const choice = await grant(w(), tokens.pat_a!, w().patientA, DECLINE_CARRIER_AND_ADULT_ONSET);
    const json = await consentsOf('pat_a');
    assert.equal(json.status, 200);
    const own = json.body.directives.find((d) => d.directiveId === choice.directiveId)!;
    assert.equal(own.recordedBy?.role, 'patient');
    const enrolled = json.body.directives.find((d) => d.kind === 'proxy');
    assert.equal(enrolled?.recordedBy?.role, 'registrar', 'the proxy enrolment recorded a proxy directive, for the registrar who proofed it');
    assert.notEqual(enrolled?.source, 'legacy_proxy_link');

    const fhir = await w().http<ConsentBundle>(`/patients/${w().patientA}/consents`, { token: tokens.pat_a, headers: { accept: 'application/fhir+json' } });
    assert.equal(fhir.status, 200);
    assert.match(fhir.headers.get('content-type') ?? '', /application\/fhir\+json/);
    assert.equal(fhir.body.resourceType, 'Bundle');
    assert.equal(fhir.body.entry.length, json.body.directives.length);
    for (const { resource } of fhir.body.entry) {
      assert.deepEqual(consentProblems(resource), []);
      assert.deepEqual(resource.patient.identifier, { system: 'urn:genovault:patient-id', value: w().patientA });
    }

    await revoke(w(), tokens.pat_a!, w().patientA, choice);
    const history = await w().http<{ items: { type: string; directiveId: string; recordedBy: { role: string }; version: number }[] }>(`/patients/${w().patientA}/consents/history`, { token: tokens.pat_a });
    assert.equal(history.status, 200);
    const mine = history.body.items.filter((h) => h.directiveId === choice.directiveId);
    assert.deepEqual(mine.map((h) => [h.type, h.version, h.recordedBy.role]), [['granted', 1, 'patient'], ['revoked', 2, 'patient']], 'a revoked directive stays in the history');
  });

  it('lets a counselor on the care team record for the patient only with the signed form, attributed to the counselor; refuses one off the care team', async () => {
    const body = { directive: { kind: 'research_use', status: 'consented', scope: { permission: 'DUO:0000042' } } };
    const bare = await w().http<Problem>(`/patients/${w().patientA}/consents`, { method: 'POST', token: tokens.counselor, body });
    assert.equal(bare.status, 400);
    assert.equal(bare.body.code, 'evidence_required');
    assert.deepEqual(bare.body.errors?.map((e) => e.path), ['body.evidence']);
    const recorded = await grant(w(), tokens.counselor!, w().patientA, body.directive, 'consent-form-2026-117');
    const record = w().service.consents.directive(w().patientA, recorded.directiveId)!;
    assert.deepEqual(record.recordedBy, { accountId: w().accounts.counselor!.accountId, role: 'genetic_counselor' });
    assert.deepEqual(record.evidence, { reference: 'consent-form-2026-117' });
    const other = await w().http(`/patients/${w().patientB}/consents`, { method: 'POST', token: tokens.counselor, body: { ...body, evidence: { reference: 'form-1' } } });
    assert.equal(other.status, 404, 'not on patient B\u2019s care team');
    await revoke(w(), tokens.counselor!, w().patientA, recorded, 'withdrawal-form-2026-118');
  });

  it('refuses what the ledger refuses, naming the rule and the field: a second directive on one subject, a stale version, a revoked or unknown directive, another patient\u2019s', async () => {
    const first = await grant(w(), tokens.pat_a!, w().patientA, { kind: 'clinical_use', decision: 'permit' });
    const second = await w().http<Problem>(`/patients/${w().patientA}/consents`, { method: 'POST', token: tokens.pat_a, body: { directive: { kind: 'clinical_use', decision: 'deny' } } });
    assert.equal(second.status, 409);
    assert.equal(second.body.code, 'already_in_force');
    const amended = await w().http<Recorded>(`/patients/${w().patientA}/consents/${first.directiveId}`, { method: 'POST', token: tokens.pat_a, body: { replaces: 1, directive: { kind: 'clinical_use', decision: 'deny' } } });
    assert.equal(amended.status, 200);
    assert.equal(amended.body.version, 2);
    const stale = await w().http<Problem>(`/patients/${w().patientA}/consents/${first.directiveId}`, { method: 'POST', token: tokens.pat_a, body: { replaces: 1, directive: { kind: 'clinical_use', decision: 'permit' } } });
    assert.equal(stale.status, 409);
    assert.deepEqual([stale.body.code, stale.body.errors?.[0]?.path], ['stale_version', 'body.replaces']);
    const otherKind = await w().http<Problem>(`/patients/${w().patientA}/consents/${first.directiveId}`, { method: 'POST', token: tokens.pat_a, body: { replaces: 2, directive: { kind: 'research_use', status: 'withdrawn', mode: 'stop_future_use' } } });
    assert.equal(otherKind.body.code, 'kind_changed');
    await revoke(w(), tokens.pat_a!, w().patientA, amended.body);
    const again = await w().http<Problem>(`/patients/${w().patientA}/consents/${first.directiveId}/revoke`, { method: 'POST', token: tokens.pat_a, body: { replaces: 3 } });
    assert.deepEqual([again.status, again.body.code], [409, 'directive_revoked']);
    const unknown = await w().http(`/patients/${w().patientA}/consents/cd_00000000000000ff/revoke`, { method: 'POST', token: tokens.pat_a, body: { replaces: 1 } });
    assert.equal(unknown.status, 404);
    // patient B's directive, named under patient A by patient A's own account
    const ofB = await w().service.consents.grant({ patientId: w().patientB, directive: { kind: 'clinical_use', decision: 'deny' }, recordedBy: { accountId: 'acc_00000000000000b1', role: 'patient' } });
    const crossed = await w().http(`/patients/${w().patientA}/consents/${ofB.directiveId}/revoke`, { method: 'POST', token: tokens.pat_a, body: { replaces: 1 } });
    assert.equal(crossed.status, 404);
    assert.equal(w().service.consents.directive(w().patientB, ofB.directiveId)?.revokedAt, undefined, 'untouched');
  });

  it('checks who a directive names: a share only with a relative enrolled for this patient, a proxy only to a proxy enrolled for this patient, diseases the vault can place', async () => {
    const post = (directive: unknown) => w().http<Problem>(`/patients/${w().patientA}/consents`, { method: 'POST', token: tokens.pat_a, body: { directive } });
    const toClinician = await post(familyShare(w().accounts.clin_b!.accountId, { categories: ['carrier_status'] }));
    assert.deepEqual([toClinician.status, toClinician.body.errors?.[0]?.path], [400, 'body.directive.relative.accountId']);
    assert.ok(!toClinician.text.includes(w().accounts.clin_b!.accountId), 'the value is not echoed');
    const proxyToClinician = await post(proxyDirective(w().accounts.clin_b!.accountId));
    assert.deepEqual([proxyToClinician.status, proxyToClinician.body.errors?.[0]?.path], [400, 'body.directive.proxyAccountId']);
    // a counselor alone cannot make another patient's proxy this one's: the account must be enrolled for this patient
    const { patientB } = w();
    const before = w().service.consents.current(patientB).directives.length;
    await w().service.clinical.setCareTeam(patientB, w().accounts.counselor!.accountId, true, 'test');
    const otherPatientsProxy = await w().http<Problem>(`/patients/${patientB}/consents`, { method: 'POST', token: tokens.counselor, body: { directive: proxyDirective(w().accounts.proxy_a!.accountId), evidence: { reference: 'form-b-1' } } });
    await w().service.clinical.setCareTeam(patientB, w().accounts.counselor!.accountId, false, 'test');
    assert.deepEqual([otherPatientsProxy.status, otherPatientsProxy.body.errors?.[0]?.path], [400, 'body.directive.proxyAccountId'], otherPatientsProxy.text);
    assert.equal(w().service.consents.current(patientB).directives.length, before, 'nothing stored for patient B');
    const unknownDisease = await post({ kind: 'research_use', status: 'consented', scope: { permission: 'DUO:0000007', diseases: ['DOID:99999999'] } });
    assert.deepEqual([unknownDisease.status, unknownDisease.body.errors?.[0]?.path], [400, 'body.directive.scope.diseases.0']);
    assert.ok(!unknownDisease.text.includes('99999999'));
    assert.equal(w().service.consents.current(w().patientA).directives.filter((d) => d.directive.kind === 'family_sharing').length, 0, 'nothing stored');
  });

  it('lets a proxy manage consents only under a documented directive that permits it; the directive recorded at enrolment only views', async () => {
    const proxy = w().accounts.proxy_a!.accountId;
    const asProxy = (directive: unknown) => w().http<Problem>(`/patients/${w().patientA}/consents`, { method: 'POST', token: tokens.proxy_a, body: { directive } });
    assert.equal(await variants('proxy_a'), 200, 'the enrolment lets the proxy view results');
    assert.equal((await asProxy({ kind: 'clinical_use', decision: 'deny' })).status, 404, 'the enrolment does not let them manage consents');
    const enrolled = w().service.consents.current(w().patientA).directives.find((d) => d.directive.kind === 'proxy' && d.directive.proxyAccountId === proxy)!;
    assert.deepEqual([w().service.consents.directive(w().patientA, enrolled.directiveId)?.recordedBy.role, enrolled.directive.kind === 'proxy' && enrolled.directive.permissions], ['registrar', ['view_record', 'view_results', 'view_access_log']]);
    const amended = await w().http<Recorded>(`/patients/${w().patientA}/consents/${enrolled.directiveId}`, {
      method: 'POST', token: tokens.counselor, body: { replaces: enrolled.version, directive: proxyDirective(proxy, { permissions: ['view_results', 'manage_consents'] }), evidence: { reference: 'court-order-2026-9' } },
    });
    assert.equal(amended.status, 200, amended.text);
    const documented = amended.body;
    const byProxy = await asProxy({ kind: 'clinical_use', decision: 'permit' });
    assert.equal(byProxy.status, 201);
    const permit = byProxy.body as unknown as Recorded;
    assert.equal(w().service.consents.directive(w().patientA, permit.directiveId)?.recordedBy.role, 'proxy');
    const share = await asProxy(familyShare(w().accounts.relative!.accountId, { categories: ['acmg_secondary'] }));
    assert.equal(share.status, 201, 'a share is a consent');
    await revoke(w(), tokens.proxy_a!, w().patientA, permit);
    await revoke(w(), tokens.proxy_a!, w().patientA, share.body as unknown as Recorded);
    assert.equal((await asProxy({ kind: 'insurer_release' })).status, 404, 'releases need authorize_releases');
    assert.equal((await asProxy(proxyDirective(proxy))).status, 404, 'a proxy never appoints proxies');
    assert.equal((await w().http(`/patients/${w().patientA}`, { token: tokens.proxy_a })).status, 404, 'the documented directive grants no view_record');
    await revoke(w(), tokens.pat_a!, w().patientA, documented);
    assert.equal(await variants('proxy_a'), 404, 'revoked by the patient: the enrolment link does not come back');
    assert.equal((await asProxy({ kind: 'findings_preferences', categories: { acmg_secondary: 'wish', carrier_status: 'wish', pharmacogenomic: 'wish', adult_onset: 'wish' } })).status, 404);
  });

  it('lets a proxy link from before the ledger be revoked through the consents route, for good', async () => {
    const { patientB } = w();
    const proxy = w().accounts.proxy_a!.accountId;
    // an older vault: a link in the clinical log and no directive naming the proxy for patient B
    await w().service.clinical.linkProxy(patientB, proxy, 'older-version', { enrolmentId: 'enr_olderver', evidence: 'linked by an older version' });
    await w().service.clinical.setCareTeam(patientB, w().accounts.counselor!.accountId, true, 'test');
    try {
      assert.equal((await w().http(`/patients/${patientB}`, { token: tokens.proxy_a })).status, 200, 'the old link views the record');
      const listed = await consentsOf('counselor', patientB);
      const legacy = listed.body.directives.find((d) => d.kind === 'proxy' && d.source === 'legacy_proxy_link')!;
      assert.ok(legacy, 'the link is listed as a directive');
      const stale = await w().http<Problem>(`/patients/${patientB}/consents/${legacy.directiveId}/revoke`, { method: 'POST', token: tokens.counselor, body: { replaces: 7, evidence: { reference: 'form-b-2' } } });
      assert.equal(stale.status, 409);
      const revoked = await w().http(`/patients/${patientB}/consents/${legacy.directiveId}/revoke`, { method: 'POST', token: tokens.counselor, body: { replaces: 1, evidence: { reference: 'form-b-2' } } });
      assert.equal(revoked.status, 200, revoked.text);
      assert.equal((await w().http(`/patients/${patientB}`, { token: tokens.proxy_a })).status, 404, 'revoked: the proxy no longer reads');
      assert.ok(!(await consentsOf('counselor', patientB)).body.directives.some((d) => d.kind === 'proxy'), 'and the old link is not listed again');
      const asProxy = await w().http(`/patients/${patientB}/consents/${legacy.directiveId}/revoke`, { method: 'POST', token: tokens.proxy_a, body: { replaces: 1 } });
      assert.equal(asProxy.status, 404);
    } finally {
      await w().service.clinical.unlinkProxy(patientB, proxy, 'test');
      await w().service.clinical.setCareTeam(patientB, w().accounts.counselor!.accountId, false, 'test');
    }
  });

  it("ends a parent's proxy authority on the patient's 18th birthday, a guardian's goes on", async () => {
    const patientB = w().patientB;
    // the birth date comes from the clinical record, read at each request
    await w().service.clinical.updatePatient(patientB, { birthDate: '2012-03-04' }, 'test');
    const parent = await addStaffProxy();
    const asParent = w().service.consents.current(patientB).directives.find((d) => d.directive.kind === 'proxy' && d.directive.proxyAccountId === parent.accountId)!;
    assert.equal(asParent.directive.kind === 'proxy' && asParent.directive.proxyKind, 'parent_of_minor', 'enrolled as a minor\u2019s parent');
    assert.equal((await w().http(`/patients/${patientB}`, { token: parent.token })).status, 200, 'a minor: the parent reads the record');
    await w().service.clinical.updatePatient(patientB, { birthDate: '2008-06-01' }, 'test');
    assert.equal((await w().http(`/patients/${patientB}`, { token: parent.token })).status, 404, 'the patient turned 18 today');
    const guardian = await w().http(`/patients/${patientB}/consents/${asParent.directiveId}`, {
      method: 'POST', token: tokens.counselor, body: { replaces: asParent.version, directive: proxyDirective(parent.accountId, { proxyKind: 'guardian', documentation: 'guardianship-order-77', permissions: ['view_record'] }), evidence: { reference: 'guardianship-order-77' } },
    });
    assert.equal(guardian.status, 200, guardian.text);
    assert.equal((await w().http(`/patients/${patientB}`, { token: parent.token })).status, 200, 'documented guardianship goes on past 18');
    await w().service.clinical.updatePatient(patientB, { birthDate: '1980-02-03' }, 'test');

    async function addStaffProxy() {
      // a proxy account comes from a patient enrolment, here for patient B by the registrar over the API
      const registrar = await as('registrar');
      const issued = await w().http<{ code: string; enrolmentId: string }>(`/patients/${patientB}/enrolments`, { method: 'POST', token: registrar, body: { role: 'proxy', evidence: 'birth certificate seen', proxyKind: 'parent_of_minor' } });
      assert.equal(issued.status, 201, issued.text);
      const secondCode = await w().secondHalf(issued.body.enrolmentId); // the privacy officer confirms
      await w().service.clinical.setCareTeam(patientB, w().accounts.counselor!.accountId, true, 'test');
      const redeemed = await w().http<{ account: { accountId: string }; totp: { secret: string } }>('/enrolments', { method: 'POST', body: { username: 'parent_b', code: issued.body.code, secondCode, newPassword: 'correct-Horse-battery-9' } });
      assert.equal(redeemed.status, 201, redeemed.text);
      w().accounts.parent_b = { accountId: redeemed.body.account.accountId, secret: redeemed.body.totp.secret };
      return { accountId: redeemed.body.account.accountId, token: await w().login('parent_b') };
    }
  });

  it('never shows oversight a patient\u2019s directives, only counts', async () => {
    await revoke(w(), tokens.pat_a!, w().patientA, await grant(w(), tokens.pat_a!, w().patientA, { kind: 'clinical_use', decision: 'deny' }));
    for (const user of ['ethics', 'auditor', 'privacy', 'admin', 'clin_a', 'relative']) {
      assert.equal((await consentsOf(user)).status, 404, user);
    }
    const report = await w().http<{ patients: number; byKind: { kind: string; inForce: number; revoked: number }[] }>('/oversight/consents', { token: tokens.ethics });
    assert.equal(report.status, 200);
    assert.ok(report.body.patients >= 1);
    assert.ok(report.body.byKind.some((k) => k.kind === 'clinical_use' && k.revoked >= 1));
    assert.ok(!report.text.includes(w().patientA), 'no patient id');
    assert.ok(!report.text.includes('cd_'), 'no directive id');
    assert.equal((await w().http('/oversight/consents', { token: tokens.clin_a })).status, 403);
    assert.equal((await w().http('/oversight/consents', { token: tokens.admin })).status, 403);
  });

  it('records an insurer type only on an insurer account, set by its creator', async () => {
    const none = await w().http<Problem>('/users', { method: 'POST', token: tokens.admin, body: { username: 'acme.ins', roles: ['insurer'] } });
    assert.deepEqual([none.status, none.body.code], [400, 'insurer_type_required']);
    const typed = await w().http<{ account: { insurerType?: string } }>('/users', { method: 'POST', token: tokens.admin, body: { username: 'acme.health', roles: ['insurer'], insurerType: 'health_plan' } });
    assert.equal(typed.status, 201);
    assert.equal(typed.body.account.insurerType, 'health_plan');
    const stray = await w().http<Problem>('/users', { method: 'POST', token: tokens.admin, body: { username: 'dr.typed', roles: ['clinician'], insurerType: 'life' } });
    assert.equal(stray.body.code, 'insurer_type_not_allowed');
  });
});
