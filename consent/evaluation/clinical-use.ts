// May clinicians and genetic counselors use the patient's genomic data for care? The current
// clinical-use directive decides; without one, the hospital's default does.
import { directivesOf, type PatientConsents } from '../ledger/directive-view.ts';

export type ClinicalDefault = 'permit' | 'deny';

export type ClinicalUseVerdict =
  | { permitted: boolean; basis: 'directive'; directiveId: string }
  | { permitted: boolean; basis: 'hospital_default' };

export function clinicalUseVerdict(consents: PatientConsents, options: { hospitalDefault?: ClinicalDefault } = {}): ClinicalUseVerdict {
  const [current] = directivesOf(consents, 'clinical_use');
  if (current) return { permitted: current.directive.decision === 'permit', basis: 'directive', directiveId: current.directiveId };
  return { permitted: (options.hospitalDefault ?? 'permit') === 'permit', basis: 'hospital_default' };
}
