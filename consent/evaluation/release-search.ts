// Finds the authorization a release request can rest on, among the patient's directives in
// force, and explains every refusal: each authorization naming this recipient, with its defects.
import type { ReleaseDirective } from '../../schemas/consent/release-authorization.ts';
import { directivesOf, type DirectiveView, type PatientConsents } from '../ledger/directive-view.ts';
import { releaseVerdict, type ReleaseDefect, type ReleaseRequest } from './release-verdict.ts';

export type ReleaseDecision =
  | { permitted: true; directiveId: string; version: number }
  | { permitted: false; reason: 'no_authorization' }
  | { permitted: false; reason: 'defective'; defective: { directiveId: string; defects: ReleaseDefect[] }[] };

export function findReleaseAuthorization(consents: PatientConsents, request: ReleaseRequest): ReleaseDecision {
  const candidates: DirectiveView<ReleaseDirective>[] = directivesOf(consents, request.kind).filter((d) => d.directive.recipient?.id === request.recipientId);
  if (candidates.length === 0) return { permitted: false, reason: 'no_authorization' };
  const defective: { directiveId: string; defects: ReleaseDefect[] }[] = [];
  for (const candidate of candidates) {
    const verdict = releaseVerdict(candidate, request);
    if (verdict.valid) return { permitted: true, directiveId: candidate.directiveId, version: candidate.version };
    defective.push({ directiveId: candidate.directiveId, defects: verdict.defects });
  }
  return { permitted: false, reason: 'defective', defective };
}
