// Significance terms as a query gives them: refused when one is not a ClinVar term, naming the
// closest ones (the per-sample answers and the cohort index check them alike).
import { unknownSignificanceTerms, CLINVAR_SIGNIFICANCE_TERMS } from './significance.ts';
import { closestNames } from '../genes/closest-names.ts';
import { QueryInputError } from './query-input-error.ts';

/** The significance terms, refused when one is not a ClinVar term (with the nearest ones). */
export function checkSignificance(terms: readonly string[] | undefined): string[] | undefined {
  if (!terms || terms.length === 0) return undefined;
  const [unknown] = unknownSignificanceTerms(terms);
  if (unknown) {
    const closest = closestNames(unknown.term, CLINVAR_SIGNIFICANCE_TERMS, 3);
    throw new QueryInputError(
      `significance: term ${unknown.position} is not a ClinVar significance term${closest.length > 0 ? `; did you mean ${closest.join(' or ')}?` : ''} ` +
        `Terms: ${CLINVAR_SIGNIFICANCE_TERMS.join(', ')}`, 'significance',
    );
  }
  return [...terms];
}
