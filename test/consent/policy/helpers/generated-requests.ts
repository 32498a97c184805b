// Generated access requests for property tests: any words of the vocabulary, and (since random
// requests are nearly all refused) as many that start from a rule of the policy, so permits,
// refusals and break-glass permits all occur. And relationship facts that answer from whatever
// snapshot the test sets (care team, break-glass, self, and clinical use as the hospital default
// with no directive; the other consent facts come from directives, so tests that decide through
// authorize() generate them false: `baseFactsOnly`).
import fc from 'fast-check';
import type { PolicyRule } from '../../../../consent/policy/policy-file.ts';
import type { RelationSnapshot, RelationshipFacts } from '../../../../consent/policy/relationship-facts.ts';
import { ACTIONS, FACTS, PURPOSES, RELATION_FACTS, RESOURCES, ROLES, type Action, type Resource } from '../../../../consent/policy/vocabulary.ts';

export interface GeneratedRequest {
  userId: string;
  roles: string[];
  patientId: string | null;
  resource: Resource;
  action: Action;
  purpose: string;
  relations: RelationSnapshot;
}

const BASE_FACTS: readonly string[] = ['care_team', 'break_glass', 'self', 'clinical_use'];

const hexId = (prefix: string) => fc.stringMatching(/^[0-9a-f]{16}$/).map((hex) => `${prefix}_${hex}`);

/** `patients`: the patient ids to pick from (null: a request about no patient); default any id or null. */
export function generatedRequests(rules: readonly PolicyRule[], options: { patients?: readonly (string | null)[]; minRoles?: number; baseFactsOnly?: boolean } = {}): fc.Arbitrary<GeneratedRequest> {
  const any = fc.record({
    userId: hexId('acc'),
    roles: fc.subarray<string>([...ROLES], { minLength: options.minRoles ?? 0, maxLength: 3 }),
    patientId: options.patients ? fc.constantFrom(...options.patients) : fc.option(hexId('p'), { nil: null }),
    resource: fc.constantFrom(...RESOURCES),
    action: fc.constantFrom(...ACTIONS),
    purpose: fc.constantFrom(...PURPOSES),
    relations: fc
      .array(fc.boolean(), { minLength: FACTS.length, maxLength: FACTS.length })
      .map((held) => Object.fromEntries(FACTS.map((fact, i) => [fact, held[i]! && (!options.baseFactsOnly || BASE_FACTS.includes(fact))])) as RelationSnapshot),
  });
  const allowed = (fact: string) => !options.baseFactsOnly || BASE_FACTS.includes(fact);
  // most of the time the facts the rule needs hold too, so that its permit (a break-glass one
  // among them, rare among a hundred rules) is reached, not only its refusals
  const nearRule = fc.tuple(fc.constantFrom(...rules), any, fc.integer({ min: 0, max: 3 })).map(([rule, g, coin]) => ({
    ...g,
    relations: coin === 0 ? g.relations : ({ ...g.relations, ...Object.fromEntries(RELATION_FACTS[rule.relation].filter(allowed).map((fact) => [fact, true])) }),
    roles: [...new Set([...g.roles, rule.role])],
    resource: rule.resource === '*' ? g.resource : rule.resource,
    action: rule.action === '*' ? g.action : rule.action,
    purpose: rule.purpose === '*' ? g.purpose : rule.purpose,
  }));
  return fc.oneof(any, nearRule);
}

/** Facts that answer from `current()`, as the vault's stores would answer for one request. */
export function snapshotFacts(current: () => RelationSnapshot): RelationshipFacts {
  const answer = (fact: keyof RelationSnapshot) => () => Promise.resolve(current()[fact]);
  return {
    isOnCareTeam: answer('care_team'),
    hasActiveBreakGlass: answer('break_glass'),
    isSelf: answer('self'),
    // no directives: clinical use is the hospital default, which the snapshot decides
    consentState: (patientId) => Promise.resolve({ consents: { patientId, directives: [] }, at: new Date(), clinicalUseDefault: current().clinical_use ? 'permit' : 'deny' }),
  };
}
