// Generated access requests for property tests: any words of the vocabulary, and (since random
// requests are nearly all refused) as many that start from a rule of the policy, so permits,
// refusals and break-glass permits all occur. And relationship facts that answer from whatever
// snapshot the test sets.
import fc from 'fast-check';
import type { PolicyRule } from '../../../../consent/policy/policy-file.ts';
import type { RelationSnapshot, RelationshipFacts } from '../../../../consent/policy/relationship-facts.ts';
import { ACTIONS, PURPOSES, RESOURCES, ROLES, type Action, type Resource } from '../../../../consent/policy/vocabulary.ts';

export interface GeneratedRequest {
  userId: string;
  roles: string[];
  patientId: string | null;
  resource: Resource;
  action: Action;
  purpose: string;
  relations: { care_team: boolean; break_glass: boolean; self: boolean; proxy_for: boolean };
}

const hexId = (prefix: string) => fc.stringMatching(/^[0-9a-f]{16}$/).map((hex) => `${prefix}_${hex}`);

/** `patients`: the patient ids to pick from (null: a request about no patient); default any id or null. */
export function generatedRequests(rules: readonly PolicyRule[], options: { patients?: readonly (string | null)[]; minRoles?: number } = {}): fc.Arbitrary<GeneratedRequest> {
  const any = fc.record({
    userId: hexId('acc'),
    roles: fc.subarray<string>([...ROLES], { minLength: options.minRoles ?? 0, maxLength: 3 }),
    patientId: options.patients ? fc.constantFrom(...options.patients) : fc.option(hexId('p'), { nil: null }),
    resource: fc.constantFrom(...RESOURCES),
    action: fc.constantFrom(...ACTIONS),
    purpose: fc.constantFrom(...PURPOSES),
    relations: fc.record({ care_team: fc.boolean(), break_glass: fc.boolean(), self: fc.boolean(), proxy_for: fc.boolean() }),
  });
  const nearRule = fc.tuple(fc.constantFrom(...rules), any).map(([rule, g]) => ({
    ...g,
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
  return { isOnCareTeam: answer('care_team'), hasActiveBreakGlass: answer('break_glass'), isSelf: answer('self'), isProxyFor: answer('proxy_for') };
}
