import { strict as assert } from 'node:assert';
import { DirectiveSchema } from '../../../schemas/consent/directive.ts';
import { legacyProxyDirective, withLegacyProxyLinks } from '../../../consent/ledger/legacy-proxy-link.ts';
import { findProxyAuthority } from '../../../consent/evaluation/proxy-verdict.ts';
import { OTHER_PATIENT, PATIENT, PATIENT_ACCOUNT, PROXY_ACCOUNT, openLedgerWorld, type LedgerWorld } from './ledger-kit.ts';
import { proxyDirective } from '../evaluation/directive-examples.ts';

const link = { patientId: PATIENT, userId: PROXY_ACCOUNT, linkedAt: '2025-06-01T10:00:00.000Z' };
const at = new Date('2026-03-01T12:00:00Z');

describe('legacy proxy links', () => {
  let world: LedgerWorld;
  beforeEach(async () => {
    world = await openLedgerWorld();
  });
  afterEach(() => world.close());

  it('become proxy directives with the permissions proxies had, under a stable id', () => {
    const view = legacyProxyDirective(link);
    assert.ok(DirectiveSchema.safeParse(view.directive).success, 'the converted directive passes the proxy schema');
    assert.equal(view.source, 'legacy_proxy_link');
    assert.equal(view.directiveId, legacyProxyDirective({ ...link }).directiveId);
    assert.notEqual(view.directiveId, legacyProxyDirective({ ...link, patientId: OTHER_PATIENT }).directiveId);
    const consents = withLegacyProxyLinks(world.ledger.current(PATIENT), [], [link]);
    for (const permission of ['view_record', 'view_results', 'view_access_log'] as const) {
      assert.equal(findProxyAuthority(consents, PROXY_ACCOUNT, { permission, at }).permitted, true, permission);
    }
    for (const permission of ['manage_consents', 'authorize_releases'] as const) {
      assert.equal(findProxyAuthority(consents, PROXY_ACCOUNT, { permission, at }).permitted, false, permission);
    }
    assert.deepEqual(withLegacyProxyLinks(world.ledger.current(OTHER_PATIENT), [], [link]).directives, [], "another patient's link is not theirs");
  });

  it("give way to the ledger once it names that proxy, even after the ledger's directive is revoked", async () => {
    const granted = await world.ledger.grant({ patientId: PATIENT, directive: proxyDirective({ permissions: ['manage_consents'] }), recordedBy: PATIENT_ACCOUNT });
    let consents = withLegacyProxyLinks(world.ledger.current(PATIENT), world.ledger.directives(PATIENT), [link]);
    assert.deepEqual(consents.directives.map((d) => d.source), ['ledger']);
    assert.equal(findProxyAuthority(consents, PROXY_ACCOUNT, { permission: 'view_record', at }).permitted, false);
    await world.ledger.revoke({ patientId: PATIENT, directiveId: granted.directiveId, replaces: 1, recordedBy: PATIENT_ACCOUNT });
    consents = withLegacyProxyLinks(world.ledger.current(PATIENT), world.ledger.directives(PATIENT), [link]);
    assert.deepEqual(consents.directives, []);
    assert.deepEqual(findProxyAuthority(consents, PROXY_ACCOUNT, { permission: 'view_record', at }), { permitted: false, reason: 'no_proxy_directive' });
  });
});
