import { strict as assert } from 'node:assert';
import { clinicalUseVerdict } from '../../../consent/evaluation/clinical-use.ts';
import { researchConsent } from '../../../consent/evaluation/research-use.ts';
import { consentsOf, viewOf } from './directive-examples.ts';

describe('clinical use', () => {
  it("follows the hospital's default without a directive: permit unless the hospital says deny", () => {
    assert.deepEqual(clinicalUseVerdict(consentsOf()), { permitted: true, basis: 'hospital_default' });
    assert.deepEqual(clinicalUseVerdict(consentsOf(), { hospitalDefault: 'deny' }), { permitted: false, basis: 'hospital_default' });
  });

  it("follows the patient's directive over the default, either way", () => {
    const deny = viewOf({ kind: 'clinical_use', decision: 'deny' } as const);
    const permit = viewOf({ kind: 'clinical_use', decision: 'permit' } as const);
    assert.deepEqual(clinicalUseVerdict(consentsOf(deny)), { permitted: false, basis: 'directive', directiveId: deny.directiveId });
    assert.deepEqual(clinicalUseVerdict(consentsOf(permit), { hospitalDefault: 'deny' }), { permitted: true, basis: 'directive', directiveId: permit.directiveId });
  });
});

describe('research consent', () => {
  it('is none without a directive, the scope when consented, and the mode when withdrawn', () => {
    assert.deepEqual(researchConsent(consentsOf()), { status: 'none' });
    const scope = { permission: 'DUO:0000042' as const, diseases: [], modifiers: [] };
    const consented = viewOf({ kind: 'research_use', status: 'consented', scope });
    assert.deepEqual(researchConsent(consentsOf(consented)), { status: 'consented', scope, directiveId: consented.directiveId, version: 1 });
    const withdrawn = viewOf({ kind: 'research_use', status: 'withdrawn', mode: 'erase_samples' } as const);
    assert.deepEqual(researchConsent(consentsOf(withdrawn)), { status: 'withdrawn', mode: 'erase_samples', directiveId: withdrawn.directiveId });
  });
});
