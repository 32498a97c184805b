import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { DirectiveSchema, type Directive } from '../../../schemas/consent/directive.ts';
import { RELATIONSHIPS } from '../../../schemas/consent/findings-family.ts';
import { FINDINGS_CATEGORIES } from '../../../schemas/consent/result-scope.ts';
import { PROXY_KINDS, PROXY_PERMISSIONS } from '../../../schemas/consent/proxy.ts';
import { consentBundle, consentResource } from '../../../consent/fhir/consent-bundle.ts';
import { consentProblems } from '../../../consent/fhir/consent-invariants.ts';
import type { Consent, Reference } from '../../../consent/fhir/fhir-consent-types.ts';
import { BRCA1_VARIANT, completeInsurerRelease, proxyDirective, viewOf } from '../evaluation/directive-examples.ts';
import { COUNSELOR, PATIENT, PATIENT_ACCOUNT, PROXY_ACCOUNT, RELATIVE_ACCOUNT, openLedgerWorld, type LedgerWorld } from '../ledger/ledger-kit.ts';

const patient: Reference = { reference: 'urn:uuid:0f1e2d3c-4b5a-8697-8877-665544332211' };
const LOINC = 'http://loinc.org';
const codesOf = (c: { coding?: { system: string; code: string }[] }) => (c.coding ?? []).map((x) => `${x.system}|${x.code}`);

describe('FHIR R4 Consent export', () => {
  let world: LedgerWorld;
  beforeEach(async () => {
    world = await openLedgerWorld();
  });
  afterEach(() => world.close());

  async function recordEveryKind(): Promise<Map<string, Consent>> {
    const record = (directive: Parameters<typeof world.ledger.grant>[0]['directive'], recordedBy: Parameters<typeof world.ledger.grant>[0]['recordedBy'] = PATIENT_ACCOUNT) =>
      world.ledger.grant({ patientId: PATIENT, directive, recordedBy, ...(recordedBy.role === 'genetic_counselor' ? { evidence: { reference: 'form-7' } } : {}) });
    await record({ kind: 'clinical_use', decision: 'permit' });
    const scope = { permission: 'DUO:0000007' as const, diseases: ['DOID:162'], modifiers: [{ term: 'DUO:0000024' as const, until: '2027-01-31' }] };
    await record({ kind: 'research_use', status: 'consented', scope }, { accountId: PROXY_ACCOUNT, role: 'proxy' });
    await record({ kind: 'findings_preferences', categories: { acmg_secondary: 'wish', carrier_status: 'decline', pharmacogenomic: 'wish', adult_onset: 'decline' } }, COUNSELOR);
    await record({ kind: 'family_sharing', relative: { accountId: RELATIVE_ACCOUNT, relationship: 'sibling' }, share: { categories: ['acmg_secondary'], variants: [BRCA1_VARIANT] } });
    await record(completeInsurerRelease());
    await record(proxyDirective({ proxyKind: 'parent_of_minor', patientBirthDate: '2012-04-02' }), COUNSELOR);
    const bundle = consentBundle({ patient, directives: world.ledger.current(PATIENT).directives, policyUri: 'urn:genovault:policy-guide' });
    assert.equal(bundle.resourceType, 'Bundle');
    assert.equal(bundle.type, 'collection');
    return new Map(bundle.entry.map((e) => [e.resource.identifier[0]!.value, e.resource]));
  }

  it('exports every directive in force as a Consent that keeps the R4 invariants, the patient always present', async () => {
    const consents = [...(await recordEveryKind()).values()];
    assert.equal(consents.length, 6);
    for (const consent of consents) {
      assert.deepEqual(consentProblems(consent), []);
      assert.deepEqual(consent.patient, patient);
      assert.ok(consent.policyRule?.coding?.length, 'a policy rule on every resource');
      assert.deepEqual(consent.policy, [{ uri: 'urn:genovault:policy-guide' }]);
      assert.equal(consent.status, 'active');
      assert.match(consent.id, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('codes scope and category from the standard systems, kind by kind', async () => {
    const byKind = new Map([...(await recordEveryKind()).values()].map((c) => [c.identifier[0]!.value, c]));
    const directives = world.ledger.current(PATIENT).directives;
    const consentOf = (kind: Directive['kind']) => byKind.get(directives.find((d) => d.directive.kind === kind)!.directiveId)!;
    const scope = 'http://terminology.hl7.org/CodeSystem/consentscope|';
    assert.deepEqual(codesOf(consentOf('clinical_use').scope), [`${scope}treatment`]);
    assert.deepEqual(codesOf(consentOf('research_use').scope), [`${scope}research`]);
    for (const kind of ['findings_preferences', 'family_sharing', 'insurer_release', 'proxy'] as const) assert.deepEqual(codesOf(consentOf(kind).scope), [`${scope}patient-privacy`], kind);
    assert.deepEqual(consentOf('clinical_use').category.flatMap(codesOf), [`${LOINC}|59284-0`]);
    assert.deepEqual(consentOf('insurer_release').category.flatMap(codesOf), [`${LOINC}|64292-6`]);
    assert.deepEqual(codesOf(consentOf('insurer_release').policyRule!), ['http://terminology.hl7.org/CodeSystem/consentpolicycodes|hipaa-auth']);
    assert.deepEqual(codesOf(consentOf('clinical_use').policyRule!), ['http://terminology.hl7.org/CodeSystem/v3-ActCode|OPTIN']);
    const research = consentOf('research_use').provision;
    assert.deepEqual(research.code?.map((c) => c.coding?.[0]?.code), ['DUO:0000007', 'DOID:162', 'DUO:0000024']);
    assert.deepEqual(research.code?.map((c) => c.coding?.[0]?.system), ['http://purl.obolibrary.org/obo/duo.owl', 'http://purl.obolibrary.org/obo/doid.owl', 'http://purl.obolibrary.org/obo/duo.owl']);
    assert.deepEqual(research.code?.[2]?.text, 'DUO:0000024=2027-01-31', "a modifier's value is kept as text");
  });

  it('names proxies as performers, and the counselor-recorded form as the source', async () => {
    const all = await recordEveryKind();
    const directives = world.ledger.current(PATIENT).directives;
    const consentOf = (kind: Directive['kind']) => all.get(directives.find((d) => d.directive.kind === kind)!.directiveId)!;
    const proxyRef = { type: 'RelatedPerson', identifier: { system: 'urn:genovault:account-id', value: PROXY_ACCOUNT } };
    assert.deepEqual(consentOf('proxy').performer, [proxyRef]);
    assert.deepEqual(consentOf('proxy').provision.actor?.[0]?.reference, proxyRef);
    assert.deepEqual(codesOf(consentOf('proxy').provision.actor![0]!.role), ['http://terminology.hl7.org/CodeSystem/v3-RoleCode|PRN']);
    assert.deepEqual(consentOf('proxy').provision.period, { end: '2030-04-02' }, "a parent's authority ends at 18");
    assert.deepEqual(consentOf('research_use').performer, [proxyRef], 'recorded by the proxy');
    assert.deepEqual(consentOf('clinical_use').performer, [patient], 'recorded by the patient');
    assert.deepEqual(consentOf('findings_preferences').sourceReference, { type: 'DocumentReference', identifier: { system: 'urn:genovault:document', value: 'form-7' } });
  });

  it('writes exceptions as nested provisions', async () => {
    const all = await recordEveryKind();
    const directives = world.ledger.current(PATIENT).directives;
    const consentOf = (kind: Directive['kind']) => all.get(directives.find((d) => d.directive.kind === kind)!.directiveId)!;
    const findings = consentOf('findings_preferences').provision;
    assert.equal(findings.type, 'permit');
    assert.deepEqual(findings.provision?.map((p) => [p.type, p.code?.flatMap(codesOf)]), [
      ['deny', ['urn:genovault:findings-category|carrier_status']],
      ['deny', ['urn:genovault:findings-category|adult_onset']],
    ]);
    const family = consentOf('family_sharing').provision;
    assert.equal(family.type, 'deny');
    assert.equal(family.provision?.[0]?.type, 'permit');
    assert.deepEqual(family.provision?.[0]?.actor?.[0]?.reference.identifier?.value, RELATIVE_ACCOUNT);
    assert.deepEqual(family.provision?.[0]?.data?.[0]?.reference.identifier?.value, 'GRCh38:17:43045712:C:T');
    const release = consentOf('insurer_release').provision;
    assert.equal(release.type, 'deny');
    assert.deepEqual(release.provision?.[0]?.period, { start: '2026-01-15', end: '2027-06-30' });
    assert.deepEqual(release.provision?.[0]?.purpose?.map((p) => p.code), ['underwriting', 'HPAYMT']);
    assert.deepEqual(codesOf(release.provision[0].actor![0]!.role), ['http://terminology.hl7.org/CodeSystem/v3-ParticipationType|IRCP']);
  });

  it('exports a revoked directive as inactive, and gives each version its own stable id', async () => {
    const granted = await world.ledger.grant({ patientId: PATIENT, directive: { kind: 'clinical_use', decision: 'permit' }, recordedBy: PATIENT_ACCOUNT });
    const before = consentResource(granted, { patient });
    assert.deepEqual(consentResource(granted, { patient }), before);
    const revoked = await world.ledger.revoke({ patientId: PATIENT, directiveId: granted.directiveId, replaces: 1, recordedBy: PATIENT_ACCOUNT });
    const after = consentResource(revoked, { patient });
    assert.equal(after.status, 'inactive');
    assert.notEqual(after.id, before.id);
    assert.equal(after.meta.versionId, '2');
    assert.deepEqual(consentProblems(after), []);
  });

  it('keeps the invariants for every directive the schemas accept', () => {
    const some = <T>(values: readonly T[]) => fc.subarray([...values], { minLength: 1 });
    const directive: fc.Arbitrary<unknown> = fc.oneof(
      fc.constantFrom('permit', 'deny').map((decision) => ({ kind: 'clinical_use', decision })),
      fc.constantFrom('stop_future_use', 'erase_samples').map((mode) => ({ kind: 'research_use', status: 'withdrawn', mode })),
      fc.record({ ds: fc.boolean(), gs: fc.boolean() }).map(({ ds, gs }) => ({
        kind: 'research_use',
        status: 'consented',
        scope: { permission: ds ? 'DUO:0000007' : 'DUO:0000042', diseases: ds ? ['MONDO:0005070'] : [], modifiers: gs ? [{ term: 'DUO:0000022', countries: ['US', 'CA'] }] : [] },
      })),
      fc.record({ relationship: fc.constantFrom(...RELATIONSHIPS), named: fc.boolean(), categories: some(FINDINGS_CATEGORIES) }).map(({ relationship, named, categories }) => ({
        kind: 'family_sharing',
        relative: named ? { name: 'Ana Ruiz', relationship } : { accountId: RELATIVE_ACCOUNT, relationship },
        share: { categories },
      })),
      fc.subarray(['recipient', 'discloser', 'information', 'purposes', 'expiry', 'signature', 'statements'] as const).map((dropped) => {
        const form: Record<string, unknown> = { ...completeInsurerRelease() };
        for (const key of dropped) delete form[key];
        return form;
      }),
      fc.record({ proxyKind: fc.constantFrom(...PROXY_KINDS), permissions: some(PROXY_PERMISSIONS), expires: fc.boolean() }).map(({ proxyKind, permissions, expires }) =>
        proxyDirective({ proxyKind, permissions, ...(expires ? { expiresOn: '2030-01-01' } : {}), ...(proxyKind === 'parent_of_minor' ? { patientBirthDate: '2015-06-01' } : {}) }),
      ),
    );
    fc.assert(
      fc.property(directive, (candidate) => {
        const parsed = DirectiveSchema.parse(candidate);
        const consent = consentResource(viewOf(parsed), { patient });
        assert.deepEqual(consentProblems(consent), []);
        assert.deepEqual(consent.patient, patient);
      }),
    );
  });

  it('has an invariant check that catches a Consent without policy, patient or provision type', () => {
    const good = consentResource(viewOf({ kind: 'clinical_use', decision: 'permit' } as const), { patient });
    assert.deepEqual(consentProblems({ ...good, policyRule: undefined }), ['ppc-1: neither policy nor policyRule']);
    assert.deepEqual(consentProblems({ ...good, patient: {} }), ['ppc-2..5: a treatment consent without its patient']);
    assert.deepEqual(consentProblems({ ...good, provision: {} }), ['provision.type: the base rule must say permit or deny']);
    assert.deepEqual(consentProblems({ ...good, scope: { text: 'x' } }), ['scope: no code from the consentscope system']);
  });
});
