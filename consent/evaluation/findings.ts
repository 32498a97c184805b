// Which categories of findings the patient declined to learn, and whether a finding in a given
// gene falls in one. A gene in several categories counts as declined if any of them is: the
// patient's choice not to know wins over the other lists.
import type { FindingsCategory } from '../../schemas/consent/result-scope.ts';
import { categoriesOfGene } from '../genes/gene-categories.ts';
import { directivesOf, type PatientConsents } from '../ledger/directive-view.ts';

export type DeclinedFindings =
  | { declined: readonly FindingsCategory[]; basis: 'directive'; directiveId: string }
  | { declined: readonly FindingsCategory[]; basis: 'hospital_default' };

/** Without a findings-preferences directive, `defaultDeclined` (none unless the hospital says otherwise). */
export function declinedFindings(consents: PatientConsents, options: { defaultDeclined?: readonly FindingsCategory[] } = {}): DeclinedFindings {
  const [current] = directivesOf(consents, 'findings_preferences');
  if (!current) return { declined: [...(options.defaultDeclined ?? [])], basis: 'hospital_default' };
  const declined = (Object.entries(current.directive.categories) as [FindingsCategory, 'wish' | 'decline'][])
    .filter(([, answer]) => answer === 'decline')
    .map(([category]) => category);
  return { declined, basis: 'directive', directiveId: current.directiveId };
}

/**
 * The declined categories a finding falls in, from the gene(s) it is annotated with. Non-empty
 * means: hidden from the patient, proxies and relatives; shown masked to clinicians.
 */
export function declinedCategoriesOf(declined: readonly FindingsCategory[], genes: string | readonly string[]): FindingsCategory[] {
  const hits = new Set<FindingsCategory>();
  for (const gene of typeof genes === 'string' ? [genes] : genes) {
    for (const category of categoriesOfGene(gene)) if (declined.includes(category)) hits.add(category);
  }
  return [...hits];
}
