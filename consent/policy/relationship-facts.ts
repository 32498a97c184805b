// The relationships a decision depends on, behind a small interface: the vault answers them
// from its care-team, break-glass and account records; consent/ never reads those stores.
import type { RelationFact } from './vocabulary.ts';

export interface RelationshipFacts {
  /** Is the user currently a member of the patient's care team? */
  isOnCareTeam(userId: string, patientId: string): Promise<boolean>;
  /** Does the user hold a break-glass grant for the patient that is unexpired and unrevoked now? */
  hasActiveBreakGlass(userId: string, patientId: string): Promise<boolean>;
  /** Is the user's account the patient's own? */
  isSelf(userId: string, patientId: string): Promise<boolean>;
  /** Is the user the patient's current legal proxy? */
  isProxyFor(userId: string, patientId: string): Promise<boolean>;
}

export type RelationSnapshot = Readonly<Record<RelationFact, boolean>>;

export const NO_RELATIONS: RelationSnapshot = Object.freeze({
  care_team: false,
  break_glass: false,
  self: false,
  proxy_for: false,
});

/**
 * Looks up every relationship between this user and this patient, fresh for this request:
 * a care-team removal or a revoked grant takes effect on the very next call. Anything but a
 * literal `true` counts as false, so a sloppy implementation fails closed.
 */
export async function gatherRelations(
  facts: RelationshipFacts,
  userId: string,
  patientId: string | null,
): Promise<RelationSnapshot> {
  if (patientId === null) return NO_RELATIONS;
  const [careTeam, breakGlass, self, proxyFor] = await Promise.all([
    facts.isOnCareTeam(userId, patientId),
    facts.hasActiveBreakGlass(userId, patientId),
    facts.isSelf(userId, patientId),
    facts.isProxyFor(userId, patientId),
  ]);
  return Object.freeze({
    care_team: careTeam === true,
    break_glass: breakGlass === true,
    self: self === true,
    proxy_for: proxyFor === true,
  });
}
