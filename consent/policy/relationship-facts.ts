// The facts a decision depends on, behind a small interface: the vault answers them from its
// care-team, break-glass, account and consent records (consent/ never reads those stores), and
// the research gateway may register what its projects are for.
import type { InsurerType } from '../../schemas/consent/release-authorization.ts';
import {
  NO_CONSENT_FACTS,
  evaluateConsentFacts,
  type AccessQualifiers,
  type ConsentBar,
  type ConsentBasis,
  type ConsentFactAnswers,
  type ConsentState,
  type ProjectResearchPurpose,
} from './consent-facts.ts';
import { RELATION_FACTS, type Relation, type RelationFact } from './vocabulary.ts';

export interface RelationshipFacts {
  /** Is the user currently a member of the patient's care team? */
  isOnCareTeam(userId: string, patientId: string): Promise<boolean>;
  /** Does the user hold a break-glass grant for the patient that is unexpired and unrevoked now? */
  hasActiveBreakGlass(userId: string, patientId: string): Promise<boolean>;
  /** Is the user's account the patient's own? */
  isSelf(userId: string, patientId: string): Promise<boolean>;
  /** The patient's consent state now. Without it every consent-gated rule refuses. */
  consentState?(patientId: string): Promise<ConsentState>;
  /**
   * The purpose of a research project and the review groups its board included, when the user is
   * a member and the project is approved, current and unsuspended; answered by the research
   * gateway through the vault. Null, or absent: no research rule applies.
   */
  researchPurpose?(userId: string, projectId: string): Promise<ProjectResearchPurpose | null>;
}

export type RelationSnapshot = Readonly<Record<RelationFact, boolean>>;

export const NO_RELATIONS: RelationSnapshot = Object.freeze({ care_team: false, break_glass: false, self: false, ...NO_CONSENT_FACTS.values });

/** What a decision is asked about, as far as the facts are concerned. */
export interface FactRequest {
  subject: { userId: string; insurerType?: InsurerType };
  patientId: string | null;
  qualifiers?: AccessQualifiers;
}

export interface GatheredFacts {
  relations: RelationSnapshot;
  /** what each consent fact that holds rests on (directive and version, or the hospital default) */
  bases: readonly ConsentBasis[];
  /** what keeps a consent fact from holding, where a directive (or the hospital default) does */
  bars: readonly ConsentBar[];
}

/**
 * Looks up every fact between this user and this patient, fresh for this request: a care-team
 * removal, an expired grant or a revoked directive takes effect on the very next call. Anything
 * but a literal `true` counts as false, so a sloppy implementation fails closed.
 */
export async function gatherRelations(facts: RelationshipFacts, request: FactRequest): Promise<GatheredFacts> {
  const { patientId } = request;
  if (patientId === null) return { relations: NO_RELATIONS, bases: [], bars: [] };
  const { userId } = request.subject;
  const projectId = request.qualifiers?.projectId;
  const [careTeam, breakGlass, self, state, researchPurpose] = await Promise.all([
    facts.isOnCareTeam(userId, patientId),
    facts.hasActiveBreakGlass(userId, patientId),
    facts.isSelf(userId, patientId),
    facts.consentState?.(patientId),
    projectId !== undefined ? facts.researchPurpose?.(userId, projectId) : undefined,
  ]);
  const consent: ConsentFactAnswers =
    state && state.consents.patientId === patientId
      ? evaluateConsentFacts(state, {
          userId,
          researchPurpose: researchPurpose ?? null,
          ...(request.subject.insurerType !== undefined ? { insurerType: request.subject.insurerType } : {}),
          ...(request.qualifiers?.releasePurpose !== undefined ? { releasePurpose: request.qualifiers.releasePurpose } : {}),
        })
      : NO_CONSENT_FACTS;
  const relations = Object.freeze({
    care_team: careTeam === true,
    break_glass: breakGlass === true,
    self: self === true,
    ...Object.fromEntries(Object.entries(consent.values).map(([fact, value]) => [fact, value === true])),
  }) as RelationSnapshot;
  return { relations, bases: consent.bases, bars: consent.bars ?? [] };
}

/** The consent bases a rule's relation relied on (none for a rule that needs no consent fact). */
export function basesOfRelation(relation: Relation, bases: readonly ConsentBasis[]): ConsentBasis[] {
  const facts: readonly RelationFact[] = RELATION_FACTS[relation];
  return bases.filter((basis) => facts.includes(basis.fact));
}
