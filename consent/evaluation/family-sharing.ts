// What a relative's account may see: exactly what the patient shared with that account, minus
// anything in a category the patient declined to learn, and never the record.
import type { FindingsCategory } from '../../schemas/consent/result-scope.ts';
import { directivesOf, type PatientConsents } from '../ledger/directive-view.ts';
import { declinedCategoriesOf } from './findings.ts';
import { scopeCoversFinding, type Finding, type ScopeLike } from './result-coverage.ts';

export interface RelativeShare extends ScopeLike {
  directiveId: string;
}

/** The share with this relative's account, or null when the patient shared nothing with it. */
export function relativeShare(consents: PatientConsents, relativeAccountId: string): RelativeShare | null {
  for (const d of directivesOf(consents, 'family_sharing')) {
    const relative = d.directive.relative;
    if ('accountId' in relative && relative.accountId === relativeAccountId) {
      return { directiveId: d.directiveId, categories: d.directive.share.categories, variants: d.directive.share.variants };
    }
  }
  return null;
}

/** May the relative see this finding? `declined` comes from declinedFindings(). */
export function relativeMaySee(share: RelativeShare | null, declined: readonly FindingsCategory[], finding: Finding): boolean {
  if (!share) return false;
  if (declinedCategoriesOf(declined, finding.genes ?? []).length > 0) return false;
  return scopeCoversFinding(share, finding);
}
