// The accounting of disclosures (45 CFR 164.528). Every release outside treatment, payment and
// operations (to an insurer or a named third party under an authorization, to a relative the
// patient shares with) is written to the audit log as a `disclosure` entry: when, to whom, under
// which directive (and version), for what purpose, how many findings. The patient's listing reads
// those entries back and describes each from the directive it relied on. Entries the regulation
// exempts from the accounting the patient may request (164.528(a)(1)) are listed anyway, marked.
import type { FindingsCategory } from '../../schemas/consent/result-scope.ts';
import type { AuditEvent } from '../audit/audit-event.ts';
import type { Directive } from '../../schemas/consent/directive.ts';
import type { Principal } from '../identity/principal.ts';
import type { VaultService } from './open-service.ts';
import { requestOrigin, type AuditedRequest } from './patient-access.ts';

export const DISCLOSURE_ACTION = 'disclosure';

/** Why an entry is exempt from the accounting: the regulation's paragraph, in a stable code. */
export const EXEMPTIONS = {
  /** 164.528(a)(1)(iv): pursuant to an authorization under 164.508 */
  exempt_authorization: '164.528(a)(1)(iv): disclosed under the patient\u2019s written authorization',
  /** 164.528(a)(1)(v) with 164.510(b): to a family member, with the patient\u2019s agreement */
  exempt_individual_agreement: '164.528(a)(1)(v): disclosed to a family member the patient chose to share with',
} as const;
export type Exemption = keyof typeof EXEMPTIONS;

export interface DisclosureRecord {
  patientId: string;
  resource: 'released_findings' | 'shared_findings';
  purpose: string;
  /** the release purpose code, or `family_sharing` */
  reason: string;
  basis: { directiveId: string; version: number };
  findings: number;
  exemption: Exemption | null;
}

/** Written before the findings leave, like every audit entry; an unrecorded disclosure is not answered. */
export async function recordDisclosure(service: Pick<VaultService, 'audit'>, principal: Principal, request: AuditedRequest, d: DisclosureRecord): Promise<void> {
  await service.audit.record({
    ...requestOrigin(request),
    actorId: principal.accountId,
    actorRoles: principal.roles,
    action: DISCLOSURE_ACTION,
    resource: d.resource,
    patientId: d.patientId,
    purpose: d.purpose,
    decision: 'success',
    rule: null,
    reason: d.reason,
    targetId: `${d.basis.directiveId}:v${d.basis.version}`,
    counts: { findings: d.findings },
    outcome: d.exemption,
  });
}

const SIX_YEARS_MS = 6 * 365.25 * 86_400_000;

function parseBasis(targetId: string | null | undefined): { directiveId: string; version: number } | null {
  const match = /^(cd_[0-9a-f]{16}):v(\d+)$/.exec(targetId ?? '');
  return match ? { directiveId: match[1]!, version: Number(match[2]) } : null;
}

/** The patient's disclosures of the last six years, newest first, each described from the directive it relied on. */
export function listDisclosures(service: Pick<VaultService, 'audit' | 'consents' | 'identity' | 'now'>, patientId: string, limit: number) {
  const from = new Date(service.now() - SIX_YEARS_MS).toISOString();
  // each disclosure is described by the version of the directive it relied on, even if amended or revoked since
  const versions = new Map<string, Directive>();
  for (const { event, version } of service.consents.history(patientId)) if (event.type !== 'revoked') versions.set(`${event.directiveId}:v${version}`, event.directive);
  const items = [];
  for (const entry of service.audit.newestFirst({ patientId })) {
    if (items.length >= limit || entry.at < from) break;
    const e: AuditEvent = entry.body;
    const basis = parseBasis(e.targetId);
    if (e.action !== DISCLOSURE_ACTION || e.decision !== 'success' || !basis) continue;
    const directive = versions.get(`${basis.directiveId}:v${basis.version}`);
    let recipient = { accountId: e.actorId, name: e.actorId ? (service.identity.getAccount(e.actorId)?.username ?? 'unknown account') : 'unknown', kind: 'relative' as 'insurer' | 'third_party' | 'relative' };
    let scope: { categories: readonly FindingsCategory[]; variants: readonly unknown[] } = { categories: [], variants: [] };
    if (directive?.kind === 'insurer_release' || directive?.kind === 'third_party_release') {
      recipient = { ...recipient, name: directive.recipient?.name ?? recipient.name, kind: directive.kind === 'insurer_release' ? 'insurer' : 'third_party' };
      scope = directive.information ?? scope;
    } else if (directive?.kind === 'family_sharing') {
      recipient = { ...recipient, name: `${recipient.name} (${directive.relative.relationship})` };
      scope = directive.share;
    }
    const exemption = e.outcome && e.outcome in EXEMPTIONS ? EXEMPTIONS[e.outcome as Exemption] : null;
    items.push({
      at: entry.at,
      recipient,
      what: { categories: [...scope.categories], variants: scope.variants.length, findingsDisclosed: e.counts?.findings ?? 0 },
      purpose: e.reason ?? e.purpose ?? 'unknown',
      basis,
      exempt: exemption !== null,
      exemption,
    });
  }
  return { from, items };
}
