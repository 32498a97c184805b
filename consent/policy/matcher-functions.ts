// The functions the model's matcher calls. casbin calls matcher functions synchronously, while
// relationship lookups are async; so the authorizer gathers the facts first and hands them to
// casbin INSIDE the request, as part of the subject (`r.sub`). These functions only read what
// the request carries: they hold no state, so concurrent decisions on one shared enforcer
// cannot see each other's facts, and nothing is cached from one request to the next.
import type { Enforcer } from 'casbin';
import type { RelationSnapshot } from './relationship-facts.ts';
import { RELATION_FACTS, WILDCARD, type Relation } from './vocabulary.ts';

/** What casbin receives as `r.sub`. */
export interface EnforcementSubject {
  readonly userId: string;
  readonly roles: readonly string[];
  /** the patient the relations were gathered for; relations count only for that patient */
  readonly patientId: string | null;
  readonly relations: RelationSnapshot;
}

function isSubject(value: unknown): value is EnforcementSubject {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<EnforcementSubject>;
  return Array.isArray(candidate.roles) && typeof candidate.relations === 'object' && candidate.relations !== null;
}

/** `hasRole(r.sub, p.role)`: the subject holds the rule's role. */
export function hasRole(subject: unknown, role: unknown): boolean {
  return isSubject(subject) && typeof role === 'string' && subject.roles.includes(role);
}

/** `fieldMatches(r.x, p.x)`: equal, or the rule says `*`. */
export function fieldMatches(requested: unknown, ruleValue: unknown): boolean {
  return ruleValue === WILDCARD || (typeof requested === 'string' && requested === ruleValue);
}

/**
 * `relationHolds(r.sub, r.pat, p.rel)`: the rule needs no relationship, or every fact the
 * relation is made of (vocabulary.ts, RELATION_FACTS) was gathered true for this very patient.
 * Checking the patient id guards against facts gathered for one patient being reused for another.
 */
export function relationHolds(subject: unknown, patientId: unknown, relation: unknown): boolean {
  if (relation === 'any') return true;
  if (!isSubject(subject) || typeof relation !== 'string' || !Object.hasOwn(RELATION_FACTS, relation)) return false;
  if (typeof patientId !== 'string' || subject.patientId !== patientId) return false;
  const needed: readonly string[] = RELATION_FACTS[relation as Relation];
  const facts = subject.relations as Readonly<Record<string, boolean>>;
  return needed.length > 0 && needed.every((fact) => Object.hasOwn(facts, fact) && facts[fact] === true);
}

export async function registerMatcherFunctions(enforcer: Enforcer): Promise<void> {
  await enforcer.addFunction('hasRole', hasRole);
  await enforcer.addFunction('fieldMatches', fieldMatches);
  await enforcer.addFunction('relationHolds', relationHolds);
}
