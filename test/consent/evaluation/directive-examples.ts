// Directives for evaluation tests: a complete HIPAA authorization and its parts, proxies, and
// patient-consents views built from them.
import type { DirectiveOf } from '../../../schemas/consent/directive.ts';
import type { Directive } from '../../../schemas/consent/directive.ts';
import type { VariantRef } from '../../../schemas/consent/result-scope.ts';
import type { DirectiveView, PatientConsents } from '../../../consent/ledger/directive-view.ts';
import { INSURER_ACCOUNT, PATIENT, PROXY_ACCOUNT } from '../ledger/ledger-kit.ts';

export const BRCA1_VARIANT: VariantRef = { build: 'GRCh38', chrom: 'chr17', pos: 43045712, ref: 'C', alt: 'T' };

export function completeInsurerRelease(overrides: Partial<DirectiveOf<'insurer_release'>> = {}): DirectiveOf<'insurer_release'> {
  return {
    kind: 'insurer_release',
    recipient: { id: INSURER_ACCOUNT, name: 'Lifeline Mutual', insurerType: 'life' },
    discloser: 'Genetics Department, General Hospital',
    information: { categories: ['pharmacogenomic'], variants: [BRCA1_VARIANT] },
    purposes: [{ code: 'underwriting' }, { code: 'claims' }],
    expiry: { on: '2027-06-30' },
    signature: { reference: 'auth-form-881', signedOn: '2026-01-15', signer: { type: 'patient' } },
    statements: { rightToRevoke: true, noConditioning: true, redisclosure: true },
    ...overrides,
  };
}

export function proxyDirective(overrides: Partial<DirectiveOf<'proxy'>> = {}): DirectiveOf<'proxy'> {
  return {
    kind: 'proxy',
    proxyKind: 'legal_representative',
    proxyAccountId: PROXY_ACCOUNT,
    documentation: 'poa-2025-17',
    permissions: ['view_record', 'view_results'],
    ...overrides,
  };
}

let counter = 0;

/** A view as the ledger would hand it out (tests of pure evaluation functions need no log). */
export function viewOf<D extends Directive>(directive: D, extra: Partial<DirectiveView<D>> = {}): DirectiveView<D> {
  counter += 1;
  return {
    directiveId: `cd_${counter.toString(16).padStart(16, '0')}`,
    patientId: PATIENT,
    version: 1,
    directive,
    grantedAt: '2026-01-15T10:00:00.000Z',
    updatedAt: '2026-01-15T10:00:00.000Z',
    source: 'ledger',
    ...extra,
  };
}

export function consentsOf(...views: DirectiveView[]): PatientConsents {
  return { patientId: PATIENT, directives: views };
}
