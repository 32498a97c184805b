import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { DirectiveSchema } from '../../../schemas/consent/directive.ts';
import { findProxyAuthority, proxyVerdict } from '../../../consent/evaluation/proxy-verdict.ts';
import { PROXY_ACCOUNT } from '../ledger/ledger-kit.ts';
import { consentsOf, proxyDirective, viewOf } from './directive-examples.ts';

const at = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe('proxy verdict', () => {
  it('permits a documented proxy within its permissions, and nothing outside them', () => {
    const view = viewOf(proxyDirective());
    assert.ok(DirectiveSchema.safeParse(view.directive).success);
    assert.deepEqual(proxyVerdict(view, { permission: 'view_results', at: at('2026-03-01') }), { valid: true, defects: [] });
    assert.deepEqual(proxyVerdict(view, { permission: 'manage_consents', at: at('2026-03-01') }).defects, ['permission_not_granted']);
  });

  it('ends on its expiry date and at its revocation', () => {
    const expiring = viewOf(proxyDirective({ expiresOn: '2026-03-01' }));
    assert.equal(proxyVerdict(expiring, { permission: 'view_record', at: new Date('2026-02-28T23:59:59Z') }).valid, true);
    assert.deepEqual(proxyVerdict(expiring, { permission: 'view_record', at: new Date('2026-03-01T00:00:00Z') }).defects, ['expired']);
    const revoked = viewOf(proxyDirective(), { revokedAt: '2026-02-01T08:00:00.000Z' });
    assert.equal(proxyVerdict(revoked, { permission: 'view_record', at: new Date('2026-02-01T07:59:59Z') }).valid, true);
    assert.deepEqual(proxyVerdict(revoked, { permission: 'view_record', at: new Date('2026-02-01T08:00:00Z') }).defects, ['revoked']);
  });

  it("ends a parent's access the day the patient turns 18, for every birth date; a guardian's goes on", () => {
    const birthDates = fc.date({ min: new Date('1990-01-01'), max: new Date('2025-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    const offsets = fc.integer({ min: -400, max: 400 });
    fc.assert(
      fc.property(birthDates, offsets, (birthDate, offsetDays) => {
        const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
        const eighteenth = new Date(Date.UTC(y + 18, m - 1, m === 2 && d === 29 ? 28 : d));
        const when = new Date(eighteenth.getTime() + offsetDays * 86_400_000 + 43_200_000);
        const parent = viewOf(proxyDirective({ proxyKind: 'parent_of_minor', patientBirthDate: birthDate }));
        const verdict = proxyVerdict(parent, { permission: 'view_record', at: when });
        assert.equal(verdict.valid, offsetDays < 0, `${birthDate} at ${when.toISOString()}`);
        const guardian = viewOf(proxyDirective({ proxyKind: 'guardian' }));
        assert.equal(proxyVerdict(guardian, { permission: 'view_record', at: when, patientBirthDate: birthDate }).valid, true);
      }),
    );
  });

  it('counts a 29 February birthday from 28 February in a common year', () => {
    const parent = viewOf(proxyDirective({ proxyKind: 'parent_of_minor', patientBirthDate: '2008-02-29' }));
    assert.equal(proxyVerdict(parent, { permission: 'view_record', at: at('2026-02-27') }).valid, true);
    assert.deepEqual(proxyVerdict(parent, { permission: 'view_record', at: at('2026-02-28') }).defects, ['patient_reached_majority']);
  });

  it("refuses a parent's proxy when no birth date is known, and takes the earlier of two", () => {
    const parent = viewOf(proxyDirective({ proxyKind: 'parent_of_minor' }));
    assert.deepEqual(proxyVerdict(parent, { permission: 'view_record', at: at('2026-03-01') }).defects, ['birth_date_unknown']);
    assert.equal(proxyVerdict(parent, { permission: 'view_record', at: at('2026-03-01'), patientBirthDate: '2015-05-05' }).valid, true);
    const recorded = viewOf(proxyDirective({ proxyKind: 'parent_of_minor', patientBirthDate: '2015-05-05' }));
    assert.deepEqual(proxyVerdict(recorded, { permission: 'view_record', at: at('2026-03-01'), patientBirthDate: '2001-05-05' }).defects, ['patient_reached_majority']);
    const recordedEarlier = viewOf(proxyDirective({ proxyKind: 'parent_of_minor', patientBirthDate: '2001-05-05' }));
    assert.deepEqual(proxyVerdict(recordedEarlier, { permission: 'view_record', at: at('2026-03-01'), patientBirthDate: '2015-05-05' }).defects, ['patient_reached_majority']);
    assert.equal(proxyVerdict(recorded, { permission: 'view_record', at: at('2026-03-01'), ageOfMajority: 19, patientBirthDate: '2007-05-05' }).valid, true);
  });

  it('finds the proxy directive naming the account, and no other', () => {
    const view = viewOf(proxyDirective());
    const request = { permission: 'view_record' as const, at: at('2026-03-01') };
    assert.deepEqual(findProxyAuthority(consentsOf(view), PROXY_ACCOUNT, request), { permitted: true, directiveId: view.directiveId, source: 'ledger' });
    assert.deepEqual(findProxyAuthority(consentsOf(view), 'acc_00000000000000f9', request), { permitted: false, reason: 'no_proxy_directive' });
    assert.deepEqual(findProxyAuthority(consentsOf(view), PROXY_ACCOUNT, { ...request, permission: 'authorize_releases' }), {
      permitted: false,
      reason: 'defective',
      defects: ['permission_not_granted'],
      directiveId: view.directiveId,
    });
  });
});
