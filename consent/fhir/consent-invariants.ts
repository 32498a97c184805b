// The checks FHIR R4 puts on every Consent, over our output: required elements (status, scope,
// category, provision where we always send one) and invariants ppc-1 (a policy or a policy
// rule) and ppc-2..5 (a privacy, research, advance-directive or treatment consent names its
// patient). Cheap enough for a route to assert before it answers.
import type { Consent } from './fhir-consent-types.ts';
import { SYSTEM } from './consent-terminology.ts';

const SCOPES_NEEDING_PATIENT = ['patient-privacy', 'research', 'adr', 'treatment'];

/** Every problem found, as `path: what`; empty when the Consent holds to the rules. */
export function consentProblems(consent: Consent): string[] {
  const problems: string[] = [];
  if (!['draft', 'proposed', 'active', 'rejected', 'inactive', 'entered-in-error'].includes(consent.status)) problems.push('status: not a Consent status');
  const scope = consent.scope.coding?.find((c) => c.system === SYSTEM.consentScope);
  if (!scope) problems.push('scope: no code from the consentscope system');
  if (consent.category.length === 0 || consent.category.some((c) => !c.coding?.length)) problems.push('category: at least one coded category');
  if (!consent.policy?.length && !consent.policyRule?.coding?.length) problems.push('ppc-1: neither policy nor policyRule');
  const hasPatient = Boolean(consent.patient.reference ?? consent.patient.identifier);
  if (scope && SCOPES_NEEDING_PATIENT.includes(scope.code) && !hasPatient) problems.push(`ppc-2..5: a ${scope.code} consent without its patient`);
  if (!consent.provision.type) problems.push('provision.type: the base rule must say permit or deny');
  return problems;
}
