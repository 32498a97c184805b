// Is an insurer or third-party release authorization valid for one request, at one moment?
// Valid means: complete (every element of 45 CFR 164.508(c)), signed, unexpired, unrevoked,
// naming this recipient, covering this purpose and information; and never a health plan's
// underwriting (164.502(a)(5)(i)), whatever the form says. The verdict lists every defect found.
import type { FindingsCategory } from '../../schemas/consent/result-scope.ts';
import type { InsurerType, ReleaseDirective, ReleasePurpose } from '../../schemas/consent/release-authorization.ts';
import type { DirectiveView } from '../ledger/directive-view.ts';
import { reached } from './calendar.ts';
import { scopeCovers, type Finding } from './result-coverage.ts';

export const RELEASE_DEFECTS = [
  // the form, 164.508(c)(1) and (c)(2)
  'no_recipient',
  'no_discloser',
  'no_information',
  'no_purpose',
  'no_expiry',
  'no_signature',
  'no_signature_date',
  'no_signer',
  'no_representative_authority',
  'no_statement_right_to_revoke',
  'no_statement_no_conditioning',
  'no_statement_redisclosure',
  'expires_before_signed',
  // the moment of the request
  'not_yet_signed',
  'expired',
  'revoked',
  // the request itself
  'wrong_kind',
  'recipient_mismatch',
  'purpose_not_covered',
  'information_not_covered',
  'health_plan_underwriting',
] as const;
export type ReleaseDefect = (typeof RELEASE_DEFECTS)[number];

export interface ReleaseRequest {
  kind: ReleaseDirective['kind'];
  /** the recipient as the vault knows it (an account id, or an external id such as npi:...) */
  recipientId: string;
  /** the insurer's type as the vault records it for that account; checked alongside the form's */
  insurerType?: InsurerType;
  purpose: ReleasePurpose;
  /** what is asked for; when absent, the caller releases only what scopeCoversFinding() allows */
  information?: { categories: readonly FindingsCategory[]; findings: readonly Finding[] };
  at: Date;
}

export interface ReleaseVerdict {
  valid: boolean;
  defects: ReleaseDefect[];
}

/** What the form itself lacks, whatever the request. */
export function authorizationDefects(d: ReleaseDirective): ReleaseDefect[] {
  const defects: ReleaseDefect[] = [];
  if (!d.recipient) defects.push('no_recipient');
  if (!d.discloser) defects.push('no_discloser');
  if (!d.information) defects.push('no_information');
  if (!d.purposes || d.purposes.length === 0) defects.push('no_purpose');
  if (!d.expiry) defects.push('no_expiry');
  const signature = d.signature;
  if (!signature?.reference) defects.push('no_signature');
  if (!signature?.signedOn) defects.push('no_signature_date');
  const signer = signature?.signer;
  if (!signer || (signer.type === 'representative' && !signer.accountId && !signer.name)) defects.push('no_signer');
  if (signer?.type === 'representative' && !signer.authority) defects.push('no_representative_authority');
  if (d.statements?.rightToRevoke !== true) defects.push('no_statement_right_to_revoke');
  if (d.statements?.noConditioning !== true) defects.push('no_statement_no_conditioning');
  if (d.statements?.redisclosure !== true) defects.push('no_statement_redisclosure');
  if (d.expiry?.on && signature?.signedOn && d.expiry.on <= signature.signedOn) defects.push('expires_before_signed');
  return defects;
}

function momentDefects(view: DirectiveView<ReleaseDirective>, at: Date): ReleaseDefect[] {
  const d = view.directive;
  const defects: ReleaseDefect[] = [];
  if (d.signature?.signedOn && !reached(d.signature.signedOn, at)) defects.push('not_yet_signed');
  const expiry = d.expiry;
  if ((expiry?.on && reached(expiry.on, at)) || (expiry?.eventOccurredOn && reached(expiry.eventOccurredOn, at))) defects.push('expired');
  // A revocation stops disclosures from its moment on; one made before it stays valid.
  if (view.revokedAt !== undefined && Date.parse(view.revokedAt) <= at.getTime()) defects.push('revoked');
  return defects;
}

function requestDefects(d: ReleaseDirective, request: ReleaseRequest): ReleaseDefect[] {
  const defects: ReleaseDefect[] = [];
  if (d.kind !== request.kind) defects.push('wrong_kind');
  const formInsurerType = d.kind === 'insurer_release' ? d.recipient?.insurerType : undefined;
  if (d.recipient && (d.recipient.id !== request.recipientId || (request.insurerType && formInsurerType && request.insurerType !== formInsurerType))) {
    defects.push('recipient_mismatch');
  }
  if (d.purposes && !d.purposes.some((p) => p.code === request.purpose)) defects.push('purpose_not_covered');
  if (d.information && request.information && !scopeCovers(d.information, request.information)) defects.push('information_not_covered');
  const healthPlan = request.insurerType === 'health_plan' || formInsurerType === 'health_plan';
  if (request.kind === 'insurer_release' && healthPlan && request.purpose === 'underwriting') defects.push('health_plan_underwriting');
  return defects;
}

export function releaseVerdict(view: DirectiveView<ReleaseDirective>, request: ReleaseRequest): ReleaseVerdict {
  const found = new Set([...authorizationDefects(view.directive), ...momentDefects(view, request.at), ...requestDefects(view.directive, request)]);
  const defects = RELEASE_DEFECTS.filter((defect) => found.has(defect));
  return { valid: defects.length === 0, defects };
}
