// The decision itself, for one request and one snapshot of relationship facts under one policy
// version. authorize() calls it for live requests; the what-if replay and explain call the very
// same function, so what they report is what authorize() would decide.
import type { Enforcer } from 'casbin';
import type { Verdict } from './explain.ts';
import type { CompiledPolicy } from './compiled-policy.ts';
import type { PolicyRule } from './policy-file.ts';
import type { EnforcementSubject } from './matcher-functions.ts';
import { NO_RELATIONS, type RelationSnapshot } from './relationship-facts.ts';
import { RELATION_FACTS, WILDCARD } from './vocabulary.ts';

/** What a decision depends on besides the facts: who asks (id, roles), about whom, what, why. */
export interface DecisionInput {
  userId: string;
  roles: readonly string[];
  patientId: string | null;
  resource: string;
  action: string;
  purpose: string;
}

/**
 * Decides first as if the user held no break-glass grant; only if that refuses and a grant is
 * active does it decide again with the grant. So `breakGlass` means "the grant was needed",
 * whatever order the rules stand in, and a clinician on the care team is never flagged.
 */
export function decideUnder(policy: CompiledPolicy, input: DecisionInput, relations: RelationSnapshot): Verdict {
  const ordinary = enforce(policy, input, { ...relations, break_glass: false });
  if (ordinary.allowed || !relations.break_glass) return ordinary;
  const withGrant = enforce(policy, input, relations);
  return withGrant.allowed ? { ...withGrant, breakGlass: true } : ordinary;
}

/** A line written for this request: one of its roles, and its resource, action and purpose (or `*`), whatever the relation. */
export function isWrittenFor(rule: PolicyRule, input: Pick<DecisionInput, 'roles' | 'resource' | 'action' | 'purpose'>): boolean {
  const fits = (ruleValue: string, asked: string) => ruleValue === WILDCARD || ruleValue === asked;
  return input.roles.includes(rule.role) && fits(rule.resource, input.resource) && fits(rule.action, input.action) && fits(rule.purpose, input.purpose);
}

/** Stands in for "some patient" when asking whether any patient's facts could permit a request. */
const SOME_PATIENT = 'p_some_patient';

/**
 * Role-level: could the policy permit this request for some patient, whatever the facts between
 * user and patient? Each allow line written for these roles is tried with exactly the facts its
 * relation needs (the fewest: more facts can only bring in more deny lines), under the same
 * decideUnder. False means no patient and no relationship opens it, so a caller may be refused
 * before anything about the patient or the object asked for is looked up.
 */
export function couldPermitForSomePatient(policy: CompiledPolicy, input: Omit<DecisionInput, 'patientId'>): boolean {
  return policy.rules.some((rule) => {
    if (rule.effect !== 'allow' || !isWrittenFor(rule, input)) return false;
    const needed: readonly string[] = RELATION_FACTS[rule.relation];
    const relations = Object.fromEntries(Object.keys(NO_RELATIONS).map((fact) => [fact, needed.includes(fact)])) as RelationSnapshot;
    return decideUnder(policy, { ...input, patientId: SOME_PATIENT }, relations).allowed;
  });
}

/**
 * The enforcer to ask: a user whose roles have lines in one role only is decided over that
 * role's lines alone (the others cannot match); several roles, over the whole policy. A user
 * whose roles have no line at all is refused without asking (nothing can match: deny by default).
 */
function enforcerFor(policy: CompiledPolicy, roles: readonly string[]): Enforcer | null {
  let only: Enforcer | null = null;
  for (const role of roles) {
    const own = policy.enforcerByRole.get(role);
    if (own === undefined || own === only) continue;
    if (only !== null) return policy.enforcer;
    only = own;
  }
  return only;
}

function enforce(policy: CompiledPolicy, input: DecisionInput, relations: RelationSnapshot): Verdict {
  const enforcer = enforcerFor(policy, input.roles);
  if (enforcer === null) return { allowed: false, rule: null, breakGlass: false };
  const subject: EnforcementSubject = { userId: input.userId, roles: [...input.roles], patientId: input.patientId, relations };
  // The matcher functions are synchronous (the facts are already in the request), so the
  // synchronous enforce applies; measured twice the throughput of the async one.
  const [allowed, matched] = enforcer.enforceExSync(subject, input.patientId, input.resource, input.action, input.purpose);
  const rule = matched[0] === undefined ? null : (policy.rulesById.get(matched[0]) ?? null);
  // casbin reports the deciding line; a refusal is only ever explained by a deny line.
  const deciding = rule !== null && (rule.effect === 'allow') === allowed ? rule : null;
  return { allowed: allowed && deciding !== null, rule: deciding, breakGlass: false };
}

/**
 * What a decision depends on, as one string: the roles (as a set), whether the request names a
 * patient, resource, action, purpose and every fact. Not the user or patient id: the matcher
 * functions read neither beyond "the facts were gathered for this patient". Equal keys get
 * equal decisions, so a replay of many audited decisions decides each distinct key once.
 * A new matcher input must be added here.
 */
export function decisionKey(input: DecisionInput, relations: Readonly<Record<string, boolean>>): string {
  const facts = Object.keys(relations)
    .sort()
    .map((name) => `${name}=${relations[name] === true ? 1 : 0}`);
  return JSON.stringify([[...new Set(input.roles)].sort(), input.patientId === null, input.resource, input.action, input.purpose, facts]);
}
