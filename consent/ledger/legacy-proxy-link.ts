// Proxy links recorded before the ledger existed (`proxy.linked` in the clinical log) keep
// working as proxy directives: each becomes a view with the permissions the policy gave proxies
// then (read the record, the variants and the access log), no expiry, and `source` marking it
// for the privacy office to document properly (a new proxy directive supersedes it).
import { createHash } from 'node:crypto';
import type { DirectiveOf } from '../../schemas/consent/directive.ts';
import type { DirectiveView, PatientConsents } from './directive-view.ts';

/** A link as the clinical log holds it: patient, the proxy's account, when it was linked. */
export interface LegacyProxyLink {
  patientId: string;
  userId: string;
  linkedAt: string;
}

/** Stands in for the documentation reference the old links never had. */
export const LEGACY_DOCUMENTATION = 'legacy:clinical-log:proxy.linked';

/** The same link always gets the same directive id, so a view is stable across restarts. */
function legacyDirectiveId(link: LegacyProxyLink): string {
  const digest = createHash('sha256').update(`genovault/legacy-proxy-link/v1\u0000${link.patientId}\u0000${link.userId}`).digest('hex');
  return `cd_${digest.slice(0, 16)}`;
}

export function legacyProxyDirective(link: LegacyProxyLink): DirectiveView<DirectiveOf<'proxy'>> {
  const permissions: DirectiveOf<'proxy'>['permissions'] = ['view_record', 'view_results', 'view_access_log'];
  const directive: DirectiveOf<'proxy'> = {
    kind: 'proxy',
    proxyKind: 'legal_representative',
    proxyAccountId: link.userId,
    documentation: LEGACY_DOCUMENTATION,
    permissions: Object.freeze(permissions) as DirectiveOf<'proxy'>['permissions'],
  };
  return Object.freeze({
    directiveId: legacyDirectiveId(link),
    patientId: link.patientId,
    version: 1,
    directive: Object.freeze(directive),
    grantedAt: link.linkedAt,
    updatedAt: link.linkedAt,
    source: 'legacy_proxy_link',
  });
}

/**
 * The patient's directives in force plus their current legacy links, except a link whose account
 * the ledger has ever named in a proxy directive (`recorded`: in force or revoked): the ledger's
 * word, including a revocation, always wins over an old link.
 */
export function withLegacyProxyLinks(consents: PatientConsents, recorded: readonly DirectiveView[], links: readonly LegacyProxyLink[]): PatientConsents {
  const named = new Set(recorded.flatMap((d) => (d.directive.kind === 'proxy' ? [d.directive.proxyAccountId] : [])));
  const legacy = links.filter((l) => l.patientId === consents.patientId && !named.has(l.userId)).map(legacyProxyDirective);
  if (legacy.length === 0) return consents;
  return Object.freeze({ patientId: consents.patientId, directives: Object.freeze([...consents.directives, ...legacy]) });
}
