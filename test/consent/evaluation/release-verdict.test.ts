import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { DirectiveSchema } from '../../../schemas/consent/directive.ts';
import { FINDINGS_CATEGORIES } from '../../../schemas/consent/result-scope.ts';
import { RELEASE_PURPOSES } from '../../../schemas/consent/release-authorization.ts';
import { releaseVerdict, type ReleaseRequest } from '../../../consent/evaluation/release-verdict.ts';
import { findReleaseAuthorization } from '../../../consent/evaluation/release-search.ts';
import { INSURER_ACCOUNT } from '../ledger/ledger-kit.ts';
import { BRCA1_VARIANT, completeInsurerRelease, consentsOf, viewOf } from './directive-examples.ts';

const AT = new Date('2026-03-01T12:00:00Z');
const request = (overrides: Partial<ReleaseRequest> = {}): ReleaseRequest => ({
  kind: 'insurer_release',
  recipientId: INSURER_ACCOUNT,
  insurerType: 'life',
  purpose: 'underwriting',
  information: { categories: ['pharmacogenomic'], findings: [{ variant: BRCA1_VARIANT }] },
  at: AT,
  ...overrides,
});

describe('release authorization verdict (45 CFR 164.508)', () => {
  it('holds a complete, signed, unexpired authorization valid for what it names', () => {
    assert.ok(DirectiveSchema.safeParse(completeInsurerRelease()).success, 'the example passes its schema');
    assert.deepEqual(releaseVerdict(viewOf(completeInsurerRelease()), request()), { valid: true, defects: [] });
  });

  // Each row removes one element of 164.508(c) from a complete form.
  const missing: [string, Parameters<typeof completeInsurerRelease>[0], string][] = [
    ['recipient', { recipient: undefined }, 'no_recipient'],
    ['who discloses', { discloser: undefined }, 'no_discloser'],
    ['description of the information', { information: undefined }, 'no_information'],
    ['purpose', { purposes: undefined }, 'no_purpose'],
    ['expiry date or event', { expiry: undefined }, 'no_expiry'],
    ['signature', { signature: { signedOn: '2026-01-15', signer: { type: 'patient' } } }, 'no_signature'],
    ['signature date', { signature: { reference: 'auth-form-881', signer: { type: 'patient' } } }, 'no_signature_date'],
    ['signer', { signature: { reference: 'auth-form-881', signedOn: '2026-01-15' } }, 'no_signer'],
    ["representative's authority", { signature: { reference: 'f', signedOn: '2026-01-15', signer: { type: 'representative', name: 'J. Doe' } } }, 'no_representative_authority'],
    ['statement of the right to revoke', { statements: { noConditioning: true, redisclosure: true } }, 'no_statement_right_to_revoke'],
    ['statement on conditioning', { statements: { rightToRevoke: true, redisclosure: false, noConditioning: undefined } }, 'no_statement_no_conditioning'],
    ['statement on redisclosure', { statements: { rightToRevoke: true, noConditioning: true } }, 'no_statement_redisclosure'],
  ];
  for (const [element, overrides, defect] of missing) {
    it(`is defective without the ${element} (${defect}), and permits nothing`, () => {
      const directive = completeInsurerRelease(overrides);
      assert.ok(DirectiveSchema.safeParse(directive).success, 'an incomplete form is still recorded as received');
      const verdict = releaseVerdict(viewOf(directive), request());
      assert.equal(verdict.valid, false);
      assert.ok(verdict.defects.includes(defect as never), `${defect} missing from ${verdict.defects.join(',')}`);
      const decision = findReleaseAuthorization(consentsOf(viewOf(directive)), request());
      assert.equal(decision.permitted, false);
    });
  }

  it('accepts a representative who signs with their authority described', () => {
    const directive = completeInsurerRelease({ signature: { reference: 'f', signedOn: '2026-01-15', signer: { type: 'representative', name: 'J. Doe', authority: 'court-appointed guardian' } } });
    assert.deepEqual(releaseVerdict(viewOf(directive), request()).defects, []);
  });

  it('expires from its expiry date on, and from the day its expiry event occurred', () => {
    const dated = viewOf(completeInsurerRelease({ expiry: { on: '2026-03-01' } }));
    assert.deepEqual(releaseVerdict(dated, request({ at: new Date('2026-02-28T23:59:59Z') })).defects, []);
    assert.deepEqual(releaseVerdict(dated, request({ at: new Date('2026-03-01T00:00:00Z') })).defects, ['expired']);
    const event = { event: 'the claim is settled' };
    assert.deepEqual(releaseVerdict(viewOf(completeInsurerRelease({ expiry: event })), request()).defects, []);
    assert.deepEqual(releaseVerdict(viewOf(completeInsurerRelease({ expiry: { ...event, eventOccurredOn: '2026-02-10' } })), request()).defects, ['expired']);
    assert.ok(releaseVerdict(viewOf(completeInsurerRelease({ expiry: { on: '2026-01-10' } })), request()).defects.includes('expires_before_signed'));
  });

  it('permits nothing before it is signed', () => {
    const verdict = releaseVerdict(viewOf(completeInsurerRelease()), request({ at: new Date('2026-01-14T12:00:00Z') }));
    assert.deepEqual(verdict.defects, ['not_yet_signed']);
  });

  it('stops at its revocation and does not undo what was disclosed before it', () => {
    const revoked = viewOf(completeInsurerRelease(), { revokedAt: '2026-02-20T09:00:00.000Z', version: 2 });
    assert.deepEqual(releaseVerdict(revoked, request({ at: new Date('2026-02-20T08:59:59Z') })).defects, []);
    assert.deepEqual(releaseVerdict(revoked, request({ at: new Date('2026-02-20T09:00:00Z') })).defects, ['revoked']);
    assert.deepEqual(findReleaseAuthorization(consentsOf(revoked), request()), { permitted: false, reason: 'no_authorization' });
  });

  it('covers only its recipient, its purposes and its information', () => {
    const view = viewOf(completeInsurerRelease());
    assert.deepEqual(releaseVerdict(view, request({ recipientId: 'acc_00000000000000d9' })).defects, ['recipient_mismatch']);
    assert.deepEqual(releaseVerdict(view, request({ insurerType: 'disability' })).defects, ['recipient_mismatch']);
    assert.deepEqual(releaseVerdict(view, request({ purpose: 'legal' })).defects, ['purpose_not_covered']);
    assert.deepEqual(releaseVerdict(view, request({ information: { categories: ['carrier_status'], findings: [] } })).defects, ['information_not_covered']);
    const otherVariant = { ...BRCA1_VARIANT, pos: 43045713 };
    assert.deepEqual(releaseVerdict(view, request({ information: { categories: [], findings: [{ variant: otherVariant }] } })).defects, ['information_not_covered']);
    // A variant in a CPIC gene is covered by the pharmacogenomic category...
    assert.deepEqual(releaseVerdict(view, request({ information: { categories: [], findings: [{ variant: otherVariant, genes: ['CYP2C19'] }] } })).defects, []);
    // ...but RYR1 is also an ACMG secondary finding, which the form does not name.
    assert.deepEqual(releaseVerdict(view, request({ information: { categories: [], findings: [{ variant: otherVariant, genes: ['RYR1'] }] } })).defects, ['information_not_covered']);
    // The same variant written with or without "chr" is the same variant.
    assert.deepEqual(releaseVerdict(view, request({ information: { categories: [], findings: [{ variant: { ...BRCA1_VARIANT, chrom: '17' } }] } })).defects, []);
  });

  it('never lets a health plan receive genetic data for underwriting, however complete the form', () => {
    const arbitraryScope = fc.record({
      categories: fc.subarray([...FINDINGS_CATEGORIES], { minLength: 1 }),
      variants: fc.constant([BRCA1_VARIANT]).map((v) => [...v]),
    });
    fc.assert(
      fc.property(arbitraryScope, fc.subarray([...RELEASE_PURPOSES], { minLength: 1 }), fc.boolean(), (information, purposes, typeOnRequestOnly) => {
        const directive = completeInsurerRelease({
          recipient: { id: INSURER_ACCOUNT, name: 'Acme Health', insurerType: typeOnRequestOnly ? 'life' : 'health_plan' },
          information,
          purposes: [...new Set<string>([...purposes, 'underwriting'])].map((code) => ({ code, ...(code === 'other' ? { description: 'x' } : {}) })) as never,
        });
        const insurerType = typeOnRequestOnly ? 'health_plan' : undefined;
        const verdict = releaseVerdict(viewOf(directive), request({ purpose: 'underwriting', insurerType, information: { categories: information.categories, findings: [] } }));
        assert.equal(verdict.valid, false);
        assert.ok(verdict.defects.includes('health_plan_underwriting'));
      }),
    );
    // The same form for claims, to the same health plan, is valid: the rule is about underwriting.
    const healthPlan = completeInsurerRelease({ recipient: { id: INSURER_ACCOUNT, name: 'Acme Health', insurerType: 'health_plan' } });
    assert.deepEqual(releaseVerdict(viewOf(healthPlan), request({ purpose: 'claims', insurerType: 'health_plan' })).defects, []);
  });

  it('finds the valid authorization for a request, or explains each defective one', () => {
    const incomplete = viewOf(completeInsurerRelease({ expiry: undefined, statements: undefined }));
    const otherInsurer = viewOf(completeInsurerRelease({ recipient: { id: 'acc_00000000000000d9', name: 'Other', insurerType: 'life' } }));
    assert.deepEqual(findReleaseAuthorization(consentsOf(), request()), { permitted: false, reason: 'no_authorization' });
    assert.deepEqual(findReleaseAuthorization(consentsOf(otherInsurer), request()), { permitted: false, reason: 'no_authorization' });
    assert.deepEqual(findReleaseAuthorization(consentsOf(incomplete, otherInsurer), request()), {
      permitted: false,
      reason: 'defective',
      defective: [{ directiveId: incomplete.directiveId, defects: ['no_expiry', 'no_statement_right_to_revoke', 'no_statement_no_conditioning', 'no_statement_redisclosure'] }],
    });
    const good = viewOf(completeInsurerRelease());
    assert.deepEqual(findReleaseAuthorization(consentsOf(incomplete, good), request()), { permitted: true, directiveId: good.directiveId, version: 1 });
    // An insurer authorization never serves a third-party request, even to the same id.
    assert.deepEqual(findReleaseAuthorization(consentsOf(good), request({ kind: 'third_party_release' })), { permitted: false, reason: 'no_authorization' });
  });

  it('judges a third-party release by the same elements', () => {
    const { recipient: _r, ...elements } = completeInsurerRelease();
    const thirdParty = viewOf({ ...elements, kind: 'third_party_release', recipient: { id: 'npi:1234567893', name: 'Dr. A. Rivera', type: 'physician' }, purposes: [{ code: 'second_opinion' }] } as const);
    assert.ok(DirectiveSchema.safeParse(thirdParty.directive).success);
    const ask = request({ kind: 'third_party_release', recipientId: 'npi:1234567893', insurerType: undefined, purpose: 'second_opinion' });
    assert.deepEqual(releaseVerdict(thirdParty, ask).defects, []);
    assert.deepEqual(releaseVerdict({ ...thirdParty, directive: { ...thirdParty.directive, signature: undefined } }, ask).defects, ['no_signature', 'no_signature_date', 'no_signer']);
  });
});
