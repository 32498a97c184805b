// May this proxy act for the patient, now, in this way? The directive must be unrevoked and
// unexpired and grant the permission; a parent's authority ends when the patient reaches the age
// of majority (a guardian's, documented in its own directive, does not).
import type { ProxyPermission } from '../../schemas/consent/proxy.ts';
import type { DirectiveOf } from '../../schemas/consent/directive.ts';
import { directivesOf, type DirectiveView, type PatientConsents } from '../ledger/directive-view.ts';
import { anniversary, reached } from './calendar.ts';

export const PROXY_DEFECTS = ['revoked', 'expired', 'permission_not_granted', 'birth_date_unknown', 'patient_reached_majority'] as const;
export type ProxyDefect = (typeof PROXY_DEFECTS)[number];

export interface ProxyRequest {
  permission: ProxyPermission;
  at: Date;
  /** the patient's birth date from the clinical record; the earlier of it and the directive's counts */
  patientBirthDate?: string;
  /** 18 unless the hospital's jurisdiction says otherwise */
  ageOfMajority?: number;
}

export interface ProxyVerdict {
  valid: boolean;
  defects: ProxyDefect[];
}

export function proxyVerdict(view: DirectiveView<DirectiveOf<'proxy'>>, request: ProxyRequest): ProxyVerdict {
  const d = view.directive;
  const found = new Set<ProxyDefect>();
  if (view.revokedAt !== undefined && Date.parse(view.revokedAt) <= request.at.getTime()) found.add('revoked');
  if (d.expiresOn && reached(d.expiresOn, request.at)) found.add('expired');
  if (!d.permissions.includes(request.permission)) found.add('permission_not_granted');
  if (d.proxyKind === 'parent_of_minor') {
    const birthDates = [request.patientBirthDate, d.patientBirthDate].filter((b): b is string => b !== undefined).sort();
    const birthDate = birthDates[0];
    if (birthDate === undefined) found.add('birth_date_unknown');
    else if (reached(anniversary(birthDate, request.ageOfMajority ?? 18), request.at)) found.add('patient_reached_majority');
  }
  const defects = PROXY_DEFECTS.filter((defect) => found.has(defect));
  return { valid: defects.length === 0, defects };
}

export type ProxyDecision =
  | { permitted: true; directiveId: string; source: DirectiveView['source'] }
  | { permitted: false; reason: 'no_proxy_directive' }
  | { permitted: false; reason: 'defective'; defects: ProxyDefect[]; directiveId: string };

/** The proxy directive naming this account, judged for this request. */
export function findProxyAuthority(consents: PatientConsents, proxyAccountId: string, request: ProxyRequest): ProxyDecision {
  const view = directivesOf(consents, 'proxy').find((d) => d.directive.proxyAccountId === proxyAccountId);
  if (!view) return { permitted: false, reason: 'no_proxy_directive' };
  const verdict = proxyVerdict(view, request);
  return verdict.valid
    ? { permitted: true, directiveId: view.directiveId, source: view.source }
    : { permitted: false, reason: 'defective', defects: verdict.defects, directiveId: view.directiveId };
}
