// Releases to insurers and named recipients over HTTPS. An insurer is refused without an
// authorization, with a defective one (each element 164.508(c) requires, missing in turn), after
// its expiry or revocation, for a purpose it does not name, and a health plan for underwriting
// whatever the form says; permitted only within the authorization's scope. Every attempt is
// audited and listed for the ethics board, and each release is in the patient's accounting of
// disclosures, marked exempt, still listed after the authorization is revoked.
import assert from 'node:assert/strict';
import { worldForSuite } from './service-world.ts';
import { DECLINE_CARRIER_AND_ADULT_ONSET, FINDINGS_VCF, SITES, addStaff, grant, insurerRelease, revoke, thirdPartyRelease, type DirectiveBody, type Recorded } from './consent-kit.ts';

interface Released {
  findings: { gene: string; pos: number; categories: string[] }[];
  basis: Recorded;
}
interface Attempt {
  at: string;
  insurer: string;
  patientId: string | null;
  decision: string;
  rule: string | null;
  reason: string | null;
}

/** Each element 164.508(c) requires, removed from a complete form, and the defect it must be refused for. */
const MISSING: [string, (form: DirectiveBody) => DirectiveBody, string][] = [
  ['the recipient', ({ recipient: _r, ...form }) => form, 'no_recipient'],
  ['who discloses', ({ discloser: _d, ...form }) => form, 'no_discloser'],
  ['the information', ({ information: _i, ...form }) => form, 'no_information'],
  ['the purpose', ({ purposes: _p, ...form }) => form, 'no_purpose'],
  ['an expiry', ({ expiry: _e, ...form }) => form, 'no_expiry'],
  ['the signature', (form) => ({ ...form, signature: { signedOn: '2026-01-15', signer: { type: 'patient' } } }), 'no_signature'],
  ['the signature date', (form) => ({ ...form, signature: { reference: 'auth-form-881', signer: { type: 'patient' } } }), 'no_signature_date'],
  ['the signer', (form) => ({ ...form, signature: { reference: 'auth-form-881', signedOn: '2026-01-15' } }), 'no_signer'],
  ["a representative's authority", (form) => ({ ...form, signature: { reference: 'auth-form-881', signedOn: '2026-01-15', signer: { type: 'representative', name: 'Jo Doe' } } }), 'no_representative_authority'],
  ['the right to revoke', (form) => ({ ...form, statements: { noConditioning: true, redisclosure: true } }), 'no_statement_right_to_revoke'],
  ['no conditioning of treatment', (form) => ({ ...form, statements: { rightToRevoke: true, redisclosure: true } }), 'no_statement_no_conditioning'],
  ['possible redisclosure', (form) => ({ ...form, statements: { rightToRevoke: true, noConditioning: true } }), 'no_statement_redisclosure'],
];

describe('insurer and third-party releases (HTTPS)', function () {
  const world = worldForSuite({ https: true, patientAVcf: FINDINGS_VCF });
  const w = () => world.w;
  const tokens: Record<string, string> = {};
  let life: { accountId: string; token: string };
  let healthPlan: { accountId: string; token: string };
  let hospital: { accountId: string; token: string };

  const ask = (token: string, releasePurpose = 'claims') => w().http<Released>(`/patients/${w().patientA}/released-findings?releasePurpose=${releasePurpose}`, { token });
  const attempts = async () => (await w().http<{ items: Attempt[] }>('/oversight/insurer-attempts?limit=1000', { token: tokens.ethics })).body.items;
  const refusalReasonOf = async (requestId: string | null) => (await w().service.audit.query({ limit: 10_000 })).find((e) => e.body.requestId === requestId && e.body.action === 'release.refused')?.body.reason;

  /** Asks as the life insurer under `form`, then revokes the form; answers what the request got and the audited reason. */
  async function askUnder(form: DirectiveBody, releasePurpose = 'claims') {
    const recorded = await grant(w(), tokens.pat_a!, w().patientA, form);
    const answer = await ask(life.token, releasePurpose);
    await revoke(w(), tokens.pat_a!, w().patientA, recorded);
    return { status: answer.status, reason: await refusalReasonOf(answer.headers.get('x-request-id')), answer };
  }

  before(async () => {
    for (const user of ['pat_a', 'proxy_a', 'clin_a', 'ethics', 'auditor', 'relative']) tokens[user] = await w().login(user);
    life = await addStaff(w(), 'lifeline.mutual', 'insurer', 'life');
    healthPlan = await addStaff(w(), 'acme.health', 'insurer', 'health_plan');
    hospital = await addStaff(w(), 'riverside.hospital', 'external_recipient');
  });

  it('refuses an insurer without an authorization, audits it and lists it for the ethics board', async () => {
    const refused = await ask(life.token);
    assert.equal(refused.status, 404);
    const decision = (await w().auditOf(refused)).find((e) => e.body.resource === 'released_findings' && e.body.action === 'read');
    assert.equal(decision?.body.decision, 'deny');
    assert.equal(await refusalReasonOf(refused.headers.get('x-request-id')), 'claims no_authorization');
    const listed = (await attempts()).filter((a) => a.insurer === 'lifeline.mutual');
    assert.ok(listed.some((a) => a.decision === 'deny' && a.patientId === w().patientA));
    assert.ok(listed.some((a) => a.reason === 'claims no_authorization'));
    // the record and the variants are never an insurer's, authorization or not
    for (const path of [`/patients/${w().patientA}`, `/patients/${w().patientA}/variants`]) {
      assert.equal((await w().http(path, { token: life.token })).status, 404);
    }
    assert.ok((await attempts()).filter((a) => a.insurer === 'lifeline.mutual' && a.decision === 'deny').length >= 3);
    assert.equal((await w().http('/oversight/insurer-attempts', { token: tokens.clin_a })).status, 403);
    assert.equal((await w().http('/oversight/insurer-attempts', { token: tokens.auditor })).status, 200);
  });

  for (const [element, strip, defect] of MISSING) {
    it(`refuses an authorization without ${element} (${defect})`, async () => {
      const { status, reason } = await askUnder(strip(insurerRelease(life.accountId)));
      assert.equal(status, 404);
      // a form naming no recipient names no one: nothing this insurer could rest on
      if (defect === 'no_recipient') assert.equal(reason, 'claims no_authorization');
      else assert.match(reason ?? '', new RegExp(`defective:.*\\b${defect}\\b`));
    });
  }

  it('refuses after the expiry date, and before the signature date', async () => {
    const expired = await askUnder(insurerRelease(life.accountId, 'life', { expiry: { on: '2026-05-31' } }));
    assert.deepEqual([expired.status, expired.reason], [404, 'claims defective:expired']);
    const eventOccurred = await askUnder(insurerRelease(life.accountId, 'life', { expiry: { event: 'end of the policy application', eventOccurredOn: '2026-05-01' } }));
    assert.deepEqual([eventOccurred.status, eventOccurred.reason], [404, 'claims defective:expired']);
    const future = await askUnder(insurerRelease(life.accountId, 'life', { signature: { reference: 'f-1', signedOn: '2026-07-01', signer: { type: 'patient' } } }));
    assert.deepEqual([future.status, future.reason], [404, 'claims defective:not_yet_signed']);
  });

  it('refuses a purpose the authorization does not name, and another insurer than the one it names', async () => {
    const otherPurpose = await askUnder(insurerRelease(life.accountId), 'underwriting');
    assert.deepEqual([otherPurpose.status, otherPurpose.reason], [404, 'underwriting defective:purpose_not_covered']);
    const recorded = await grant(w(), tokens.pat_a!, w().patientA, insurerRelease(life.accountId));
    assert.equal((await ask(healthPlan.token)).status, 404, 'named for another insurer');
    await revoke(w(), tokens.pat_a!, w().patientA, recorded);
  });

  it("never releases genetic information to a health plan for underwriting, even under a complete authorization naming it; claims are another matter", async () => {
    const form = insurerRelease(healthPlan.accountId, 'health_plan', { purposes: [{ code: 'underwriting' }, { code: 'claims' }] });
    const recorded = await grant(w(), tokens.pat_a!, w().patientA, form);
    const underwriting = await ask(healthPlan.token, 'underwriting');
    assert.equal(underwriting.status, 404);
    assert.match((await refusalReasonOf(underwriting.headers.get('x-request-id'))) ?? '', /health_plan_underwriting/);
    assert.equal((await ask(healthPlan.token, 'claims')).status, 200);
    // the account's type decides, not the form's: a form calling the health plan a life insurer does not open underwriting
    await revoke(w(), tokens.pat_a!, w().patientA, recorded);
    const disguised = await grant(w(), tokens.pat_a!, w().patientA, insurerRelease(healthPlan.accountId, 'life', { purposes: [{ code: 'underwriting' }] }));
    assert.equal((await ask(healthPlan.token, 'underwriting')).status, 404);
    await revoke(w(), tokens.pat_a!, w().patientA, disguised);
  });

  it('releases only what the authorization covers (never a finding the patient declined to learn), refuses from the request after revocation, and keeps the release in the accounting', async () => {
    const preferences = await grant(w(), tokens.pat_a!, w().patientA, DECLINE_CARRIER_AND_ADULT_ONSET);
    const form = insurerRelease(life.accountId, 'life', { information: { categories: ['pharmacogenomic'], variants: [{ build: 'GRCh38', ...SITES.BRCA1 }, { build: 'GRCh38', ...SITES.APOE }] } });
    const recorded = await grant(w(), tokens.pat_a!, w().patientA, form);
    const released = await ask(life.token);
    assert.equal(released.status, 200, released.text);
    // CYP2C19: pharmacogenomic; BRCA1: named; APOE: named but declined; CFTR: pharmacogenomic and carrier (declined); GAPDH: nothing
    assert.deepEqual(released.body.findings.map((f) => f.gene).sort(), ['BRCA1', 'CYP2C19']);
    assert.deepEqual(released.body.basis, { directiveId: recorded.directiveId, version: recorded.version });
    for (const forbidden of ['Ada', 'Lovelace', '1980-02-03', String(SITES.APOE.pos), String(SITES.CFTR.pos)]) assert.ok(!released.text.includes(forbidden), forbidden);
    const disclosure = (await w().auditOf(released)).find((e) => e.body.action === 'disclosure');
    assert.equal(disclosure?.body.targetId, `${recorded.directiveId}:v1`);
    assert.deepEqual(disclosure?.body.counts, { findings: 2 });

    await revoke(w(), tokens.pat_a!, w().patientA, recorded);
    const after = await ask(life.token);
    assert.equal(after.status, 404, 'a revocation stops the next release');
    assert.equal(await refusalReasonOf(after.headers.get('x-request-id')), 'claims no_authorization');
    await revoke(w(), tokens.pat_a!, w().patientA, preferences);

    const accounting = await w().http<{ items: { recipient: { name: string; kind: string }; purpose: string; basis: Recorded; exempt: boolean; exemption: string; what: { findingsDisclosed: number; categories: string[] } }[] }>(
      `/patients/${w().patientA}/disclosures`, { token: tokens.pat_a },
    );
    assert.equal(accounting.status, 200);
    const entry = accounting.body.items.find((d) => d.basis.directiveId === recorded.directiveId);
    assert.ok(entry, 'the release made before the revocation stays in the accounting');
    assert.deepEqual([entry.recipient.name, entry.recipient.kind, entry.purpose, entry.exempt, entry.what.findingsDisclosed], ['Lifeline Mutual', 'insurer', 'claims', true, 2]);
    assert.deepEqual(entry.what.categories, ['pharmacogenomic']);
    assert.match(entry.exemption, /164\.528\(a\)\(1\)\(iv\)/);
    assert.equal((await w().http(`/patients/${w().patientA}/disclosures`, { token: tokens.proxy_a })).status, 200, 'a proxy who may view the access log sees it too');
    for (const user of ['clin_a', 'ethics', 'relative']) assert.equal((await w().http(`/patients/${w().patientA}/disclosures`, { token: tokens[user] })).status, 404, user);
    assert.equal((await w().http(`/patients/${w().patientA}/disclosures`, { token: life.token })).status, 404);
  });

  it('lists every insurer attempt, permitted and refused, for the ethics board, with no directive content', async () => {
    const listed = await attempts();
    assert.ok(listed.some((a) => a.insurer === 'lifeline.mutual' && a.decision === 'permit'));
    assert.ok(listed.some((a) => a.insurer === 'acme.health' && a.decision === 'deny'));
    const text = JSON.stringify(listed);
    for (const forbidden of ['Lifeline Mutual', 'auth-form-881', 'Genetics Department']) assert.ok(!text.includes(forbidden), forbidden);
    const audited = (await w().service.audit.query({ actorRole: 'insurer', limit: 10_000 })).length;
    assert.equal(listed.length, Math.min(audited, 1000), 'every audited insurer entry is listed');
  });

  it('releases to a named hospital under its own authorization, for the purpose it names, and lists it for the patient', async () => {
    assert.equal((await ask(hospital.token, 'continuing_care')).status, 404);
    const recorded = await grant(w(), tokens.pat_a!, w().patientA, thirdPartyRelease(hospital.accountId));
    const released = await ask(hospital.token, 'continuing_care');
    assert.equal(released.status, 200, released.text);
    assert.equal((await ask(hospital.token, 'second_opinion')).status, 404);
    assert.equal((await ask(life.token)).status, 404, 'a third-party authorization is nothing to an insurer');
    assert.equal((await w().http(`/patients/${w().patientA}`, { token: hospital.token })).status, 404, 'never the record');
    await revoke(w(), tokens.pat_a!, w().patientA, recorded);
    const accounting = await w().http<{ items: { recipient: { kind: string; name: string }; basis: Recorded }[] }>(`/patients/${w().patientA}/disclosures`, { token: tokens.pat_a });
    assert.ok(accounting.body.items.some((d) => d.basis.directiveId === recorded.directiveId && d.recipient.kind === 'third_party' && d.recipient.name === 'Riverside Hospital'));
  });
});
