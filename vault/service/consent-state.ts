// A patient's consents as every decision and view reads them: the ledger's directives in force,
// plus the proxy links of the clinical log the ledger has not superseded, judged at the service's
// clock. Read fresh from the ledger's state on every call: nothing here is cached, so a grant or a
// revocation counts from the next request on.
import type { Config } from '../../schemas/config.ts';
import type { ConsentScope } from '../../schemas/duo.ts';
import type { ConsentLedger } from '../../consent/ledger/consent-ledger.ts';
import type { PatientConsents } from '../../consent/ledger/directive-view.ts';
import { withLegacyProxyLinks } from '../../consent/ledger/legacy-proxy-link.ts';
import { researchConsent } from '../../consent/evaluation/research-use.ts';
import type { ConsentState } from '../../consent/policy/consent-facts.ts';
import type { ClinicalStore } from '../clinical/clinical-store.ts';

export interface ConsentParts {
  consents: ConsentLedger;
  clinical: ClinicalStore;
  config: Pick<Config, 'clinicalUseDefault'>;
  now: () => number;
}

/** The directives in force for the patient, legacy proxy links included. */
export function consentsInForce(parts: Pick<ConsentParts, 'consents' | 'clinical'>, patientId: string): PatientConsents {
  const { consents, clinical } = parts;
  return withLegacyProxyLinks(consents.current(patientId), consents.directives(patientId), clinical.proxyLinks(patientId));
}

/** What the policy's consent facts are judged on, at this moment. */
export function consentStateOf(parts: ConsentParts, patientId: string): ConsentState {
  const birthDate = parts.clinical.get(patientId)?.birthDate;
  return {
    consents: consentsInForce(parts, patientId),
    at: new Date(parts.now()),
    clinicalUseDefault: parts.config.clinicalUseDefault,
    ...(birthDate !== undefined ? { patientBirthDate: birthDate } : {}),
  };
}

/** One patient's research consent in force, for the research gateway's cohorts. */
export interface ResearchConsentEntry {
  patientId: string;
  scope: ConsentScope;
  directiveId: string;
  version: number;
}

/**
 * Every patient's current research scope (patients who withdrew or never consented are not
 * listed). The research gateway reads cohorts through this, never the ledger itself.
 */
export function currentResearchConsents(ledger: ConsentLedger): ResearchConsentEntry[] {
  const entries: ResearchConsentEntry[] = [];
  for (const patientId of ledger.patientIds()) {
    const research = researchConsent(ledger.current(patientId));
    if (research.status === 'consented') entries.push({ patientId, scope: research.scope, directiveId: research.directiveId, version: research.version });
  }
  return entries;
}
