// Rules that must hold for every request, checked over generated ones: arbitrary roles (known
// and unknown, several at once), resources, actions, purposes, ids and relationship facts.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  createAuthorizer,
  type AccessRequest,
  type AuthorizationAuditEvent,
  type Authorizer,
} from '../../../consent/policy/authorize.ts';
import type { PolicyRule } from '../../../consent/policy/policy-file.ts';
import { formatRuleLine } from '../../../consent/policy/policy-file.ts';
import type { RelationSnapshot } from '../../../consent/policy/relationship-facts.ts';
import { ACTIONS, PURPOSES, RESOURCES, ROLES } from '../../../consent/policy/vocabulary.ts';

// Callers outside TypeScript (or a future route) may send words the vocabulary lacks.
const word = (known: readonly string[]) => fc.oneof(fc.constantFrom(...known), fc.string({ minLength: 1, maxLength: 12 }));

const requestArbitrary = fc.record({
  userId: fc.string({ minLength: 1, maxLength: 20 }).map((s) => `user:${s}`),
  roles: fc.array(word([...ROLES, 'admin']), { maxLength: 3 }),
  patientId: fc.option(fc.string({ minLength: 1, maxLength: 20 }).map((s) => `patient:${s}`), { nil: null }),
  resource: word(RESOURCES),
  action: word(ACTIONS),
  purpose: word([...PURPOSES, '*']),
  relations: fc.record({ care_team: fc.boolean(), break_glass: fc.boolean(), self: fc.boolean(), proxy_for: fc.boolean() }),
});
type Generated = typeof requestArbitrary extends fc.Arbitrary<infer T> ? T : never;

/**
 * Purely random requests are almost always refused, which would leave the permit side barely
 * tested; so half the requests start from a real rule and keep most of its fields.
 */
function requests(rules: readonly PolicyRule[]): fc.Arbitrary<Generated> {
  const mostly = fc.integer({ min: 0, max: 9 }).map((n) => n > 1);
  const nearRule = fc
    .tuple(fc.constantFrom(...rules), requestArbitrary, mostly, mostly, mostly, mostly)
    .map(([rule, g, role, resource, action, purpose]) => ({
      ...g,
      roles: role ? [...g.roles, rule.role] : g.roles,
      resource: resource && rule.resource !== '*' ? rule.resource : g.resource,
      action: action && rule.action !== '*' ? rule.action : g.action,
      purpose: purpose && rule.purpose !== '*' ? rule.purpose : g.purpose,
    }));
  return fc.oneof(requestArbitrary, nearRule);
}

/** The rule's conditions, evaluated here independently of casbin. */
function ruleApplies(rule: PolicyRule, g: Generated, relations: RelationSnapshot): boolean {
  const field = (ruleValue: string, asked: string) => ruleValue === '*' || ruleValue === asked;
  const relationOk = rule.relation === 'any' || (g.patientId !== null && relations[rule.relation]);
  return (
    g.roles.includes(rule.role) &&
    field(rule.resource, g.resource) &&
    field(rule.action, g.action) &&
    field(rule.purpose, g.purpose) &&
    relationOk
  );
}

describe('authorize(): properties over generated requests', () => {
  let current: RelationSnapshot;
  let events: AuthorizationAuditEvent[];
  let authorizer: Authorizer;

  before(async () => {
    const answer = (fact: keyof RelationSnapshot) => () => Promise.resolve(current[fact]);
    authorizer = await createAuthorizer({
      facts: {
        isOnCareTeam: answer('care_team'),
        hasActiveBreakGlass: answer('break_glass'),
        isSelf: answer('self'),
        isProxyFor: answer('proxy_for'),
      },
      audit: (event) => Promise.resolve(void events.push(event)),
    });
  });

  const run = (g: Generated) => {
    current = g.relations;
    events = [];
    const request: AccessRequest = {
      subject: { userId: g.userId, roles: g.roles },
      patientId: g.patientId,
      resource: g.resource as AccessRequest['resource'],
      action: g.action as AccessRequest['action'],
      purpose: g.purpose,
    };
    return authorizer.authorize(request, { requestId: 'prop' });
  };

  it('permits exactly when an allow rule applies and no deny rule does (deny by default, deny overrides)', async () => {
    let permits = 0;
    await fc.assert(
      fc.asyncProperty(requests(authorizer.rules), async (g) => {
        const decision = await run(g);
        const applying = authorizer.rules.filter((rule) => ruleApplies(rule, g, g.relations));
        const denied = applying.some((rule) => rule.effect === 'deny');
        const allowLines = applying.filter((rule) => rule.effect === 'allow').map(formatRuleLine);
        assert.equal(decision.allowed, allowLines.length > 0 && !denied);
        if (decision.allowed) permits += 1;
        if (decision.allowed) assert.ok(allowLines.includes(decision.rule ?? ''), `${decision.rule} is not an applying allow line`);
        if (denied) assert.match(decision.rule ?? '', /, deny$/);
      }),
      { numRuns: 3000 },
    );
    assert.ok(permits >= 150, `only ${permits} permits generated: the property saw too few allowed requests`);
  });

  it('never permits anyone holding the admin role to touch records, variants, consents, care teams or patient-linked accounts', async () => {
    const adminish = requests(authorizer.rules).map((g) => ({ ...g, roles: [...g.roles, 'admin'] }));
    await fc.assert(
      fc.asyncProperty(adminish, fc.constantFrom('record', 'variants', 'consent', 'care_team', 'patient_account'), async (g, resource) => {
        const decision = await run({ ...g, resource });
        assert.equal(decision.allowed, false);
        // a deny line decides: the admin's own, or one for another role the user holds that comes first
        assert.match(decision.rule ?? '', /^p, [a-z-]+-never-[a-z-]+, .*, deny$/);
      }),
      { numRuns: 1000 },
    );
  });

  it('flags break-glass only when the grant was needed and held', async () => {
    let flagged = 0;
    await fc.assert(
      fc.asyncProperty(requests(authorizer.rules), async (g) => {
        const decision = await run(g);
        if (!decision.breakGlass) return;
        flagged += 1;
        assert.equal(decision.allowed, true);
        assert.equal(g.relations.break_glass, true);
        assert.match(decision.rule ?? '', /, break_glass, allow$/);
        const withoutGrant = await run({ ...g, relations: { ...g.relations, break_glass: false } });
        assert.equal(withoutGrant.allowed, false);
      }),
      { numRuns: 3000 },
    );
    assert.ok(flagged >= 5, `only ${flagged} break-glass permits generated`);
  });

  it('audits every call exactly once, with the same decision, and explains without ids', async () => {
    await fc.assert(
      fc.asyncProperty(requests(authorizer.rules), async (g) => {
        const decision = await run(g);
        assert.equal(events.length, 1);
        const event = events[0]!;
        assert.equal(event.decision, decision.allowed ? 'permit' : 'deny');
        assert.equal(event.rule, decision.rule);
        assert.equal(event.flagged, decision.breakGlass);
        assert.equal(event.actorId, g.userId);
        assert.equal(event.patientId, g.patientId);
        assert.ok(!decision.explanation.includes('user:'));
        assert.ok(!decision.explanation.includes('patient:'));
      }),
      { numRuns: 2000 },
    );
  });
});
