// The facts a decision takes from the patient's consent directives, evaluated on the state the
// vault hands over for this very request (the ledger's directives in force, the clock, the
// hospital default). Pure: the same state and request always give the same facts, and nothing is
// kept between requests, so a revocation counts from the next request on.
import type { InsurerType, ReleasePurpose } from '../../schemas/consent/release-authorization.ts';
import type { ConsentScope, ResearchPurpose } from '../../schemas/duo.ts';
import { dateOf } from '../evaluation/calendar.ts';
import { clinicalUseVerdict, type ClinicalDefault } from '../evaluation/clinical-use.ts';
import { relativeShare } from '../evaluation/family-sharing.ts';
import { findProxyAuthority } from '../evaluation/proxy-verdict.ts';
import { findReleaseAuthorization } from '../evaluation/release-search.ts';
import { researchConsent } from '../evaluation/research-use.ts';
import { matchPurpose } from '../duo/match.ts';
import type { PatientConsents } from '../ledger/directive-view.ts';
import type { ProxyPermission } from '../../schemas/consent/proxy.ts';
import type { RelationFact } from './vocabulary.ts';

/** One patient's consent state at the moment of a request, as the vault reads it. */
export interface ConsentState {
  /** the directives in force now, proxy links from before the ledger included */
  consents: PatientConsents;
  /** the moment of the request: expiry, signature dates, a minor's age are judged at it */
  at: Date;
  /** clinical use without a directive (the hospital's configured default) */
  clinicalUseDefault: ClinicalDefault;
  /** from the clinical record: a parent's proxy authority ends when the patient comes of age */
  patientBirthDate?: string;
  ageOfMajority?: number;
}

/** What the request says beyond who and what, for the rules that need it. */
export interface AccessQualifiers {
  /** why an insurer or third party asks (HIPAA 164.508(c)(1)(iv)); their rules need one */
  releasePurpose?: ReleasePurpose;
  /** the research project the request is made for; research rules need one */
  projectId?: string;
}

export type ConsentFact = Exclude<RelationFact, 'care_team' | 'break_glass' | 'self'>;

/** What a consent fact rested on: a directive (at its version), or the hospital default. */
export type ConsentBasis = { fact: ConsentFact; directiveId: string; version: number } | { fact: ConsentFact; hospitalDefault: true };

/** What keeps a consent fact from holding: a directive that says no, or is defective (its defect codes). */
export type ConsentBar = { fact: ConsentFact; directiveId: string; version: number; defects: readonly string[] } | { fact: ConsentFact; hospitalDefault: true };

export interface ConsentFactAnswers {
  values: Readonly<Record<ConsentFact, boolean>>;
  /** for each fact that holds, what it rests on */
  bases: readonly ConsentBasis[];
  /** for a fact that does not hold because of a directive (or the hospital default), that directive and why */
  bars?: readonly ConsentBar[];
}

export interface ConsentFactRequest {
  userId: string;
  /** the insurer's type as recorded on its account (never from the request) */
  insurerType?: InsurerType;
  releasePurpose?: ReleasePurpose;
  /** the caller's research project, if they are a member and it is approved, current and unsuspended */
  researchPurpose?: ProjectResearchPurpose | null;
}

/**
 * What the research rules learn of a project from the research gateway: its purpose, and which
 * consents DUO matching sends to review the ethics board included for it. The board decides per
 * group of consents with the same scope, so the answer is a question about a scope.
 */
export interface ProjectResearchPurpose {
  purpose: ResearchPurpose;
  /** whether the board included, for this project, the consents of this scope when matching answers review */
  includesReview(scope: ConsentScope): boolean;
}

const PROXY_FACTS: Readonly<Record<ProxyPermission, ConsentFact>> = {
  view_record: 'proxy_view_record',
  view_results: 'proxy_view_results',
  view_access_log: 'proxy_view_access_log',
  manage_consents: 'proxy_manage_consents',
  authorize_releases: 'proxy_authorize_releases',
};

export const NO_CONSENT_FACTS: ConsentFactAnswers = Object.freeze({
  values: Object.freeze({
    clinical_use: false,
    proxy_view_record: false,
    proxy_view_results: false,
    proxy_view_access_log: false,
    proxy_manage_consents: false,
    proxy_authorize_releases: false,
    family_share: false,
    insurer_authorization: false,
    recipient_authorization: false,
    research_consent: false,
  }),
  bases: Object.freeze([]),
});

export function evaluateConsentFacts(state: ConsentState, request: ConsentFactRequest): ConsentFactAnswers {
  const { consents, at } = state;
  const values: Record<ConsentFact, boolean> = { ...NO_CONSENT_FACTS.values };
  const bases: ConsentBasis[] = [];
  const bars: ConsentBar[] = [];
  const barred = (fact: ConsentFact, directiveId: string, defects: readonly string[]) => bars.push({ fact, directiveId, version: versionOf(consents, directiveId), defects });
  const holds = (fact: ConsentFact, directiveId: string) => {
    values[fact] = true;
    bases.push({ fact, directiveId, version: versionOf(consents, directiveId) });
  };

  const clinical = clinicalUseVerdict(consents, { hospitalDefault: state.clinicalUseDefault });
  if (clinical.permitted && clinical.basis === 'directive') holds('clinical_use', clinical.directiveId);
  if (clinical.permitted && clinical.basis === 'hospital_default') {
    values.clinical_use = true;
    bases.push({ fact: 'clinical_use', hospitalDefault: true });
  }
  if (!clinical.permitted) {
    if (clinical.basis === 'directive') barred('clinical_use', clinical.directiveId, ['clinical_use_denied']);
    else bars.push({ fact: 'clinical_use', hospitalDefault: true });
  }

  for (const [permission, fact] of Object.entries(PROXY_FACTS) as [ProxyPermission, ConsentFact][]) {
    const proxy = findProxyAuthority(consents, request.userId, {
      permission,
      at,
      ...(state.patientBirthDate !== undefined ? { patientBirthDate: state.patientBirthDate } : {}),
      ...(state.ageOfMajority !== undefined ? { ageOfMajority: state.ageOfMajority } : {}),
    });
    if (proxy.permitted) holds(fact, proxy.directiveId);
    else if (proxy.reason === 'defective') barred(fact, proxy.directiveId, proxy.defects);
  }

  const share = relativeShare(consents, request.userId);
  if (share) holds('family_share', share.directiveId);

  if (request.releasePurpose !== undefined) {
    // An insurer whose account records no type is refused: the type is what keeps a health plan from underwriting.
    if (request.insurerType !== undefined) {
      const insurer = findReleaseAuthorization(consents, { kind: 'insurer_release', recipientId: request.userId, insurerType: request.insurerType, purpose: request.releasePurpose, at });
      if (insurer.permitted) holds('insurer_authorization', insurer.directiveId);
      else if (insurer.reason === 'defective') for (const d of insurer.defective) barred('insurer_authorization', d.directiveId, d.defects);
    }
    const recipient = findReleaseAuthorization(consents, { kind: 'third_party_release', recipientId: request.userId, purpose: request.releasePurpose, at });
    if (recipient.permitted) holds('recipient_authorization', recipient.directiveId);
    else if (recipient.reason === 'defective') for (const d of recipient.defective) barred('recipient_authorization', d.directiveId, d.defects);
  }

  const research = researchConsent(consents);
  const project = request.researchPurpose;
  if (project && research.status === 'consented') {
    const { decision } = matchPurpose(research.scope, project.purpose, { on: dateOf(at) });
    // a review counts only where a person on the board included this scope for this project
    if (decision === 'permit' || (decision === 'review' && project.includesReview(research.scope) === true)) holds('research_consent', research.directiveId);
    else barred('research_consent', research.directiveId, [decision === 'review' ? 'duo_review_not_included' : 'duo_deny']);
  }
  return { values, bases, bars };
}

function versionOf(consents: PatientConsents, directiveId: string): number {
  return consents.directives.find((d) => d.directiveId === directiveId)?.version ?? 0;
}

/** The basis as an audit entry's reason: `consent:<directive>:v<version>` or `consent:hospital_default:<fact>`. */
export function describeBasis(bases: readonly ConsentBasis[]): string | null {
  if (bases.length === 0) return null;
  return bases.map((b) => ('directiveId' in b ? `consent:${b.directiveId}:v${b.version}` : `consent:hospital_default:${b.fact}`)).join(' ');
}
