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
import type { RelationshipFacts } from '../../../consent/policy/relationship-facts.ts';
import { ACTIONS, FACTS, PURPOSES, RELATION_FACTS, RESOURCES, ROLES, type RelationFact } from '../../../consent/policy/vocabulary.ts';
import { INSURER_TYPE, PATIENT, QUALIFIERS, USER, factsWith } from './helpers/situations.ts';
import type { InMemoryRelationships } from './helpers/relationships.ts';

// Callers outside TypeScript (or a future route) may send words the vocabulary lacks.
const word = (known: readonly string[]) => fc.oneof(fc.constantFrom(...known), fc.string({ minLength: 1, maxLength: 12 }));

const requestArbitrary = fc.record({
  roles: fc.array(word([...ROLES, 'admin']), { maxLength: 3 }),
  patient: fc.boolean(),
  resource: word(RESOURCES),
  action: word(ACTIONS),
  purpose: word([...PURPOSES, '*']),
  relations: fc.record(Object.fromEntries(FACTS.map((fact) => [fact, fc.boolean()])) as Record<RelationFact, fc.Arbitrary<boolean>>),
});
type Generated = typeof requestArbitrary extends fc.Arbitrary<infer T> ? T : never;

/**
 * Purely random requests are almost always refused, which would leave the permit side barely
 * tested; so half the requests start from a real rule and keep most of its fields.
 */
function requests(rules: readonly PolicyRule[]): fc.Arbitrary<Generated> {
  const mostly = fc.integer({ min: 0, max: 9 }).map((n) => n > 1);
  const nearRule = fc
    .tuple(fc.constantFrom(...rules), requestArbitrary, mostly, mostly, mostly, mostly, mostly)
    .map(([rule, g, role, resource, action, purpose, relation]) => ({
      ...g,
      // the facts the rule needs, mostly true (the other facts stay as generated)
      relations: relation ? { ...g.relations, ...Object.fromEntries((RELATION_FACTS[rule.relation] as readonly RelationFact[]).map((fact) => [fact, true])) } : g.relations,
      roles: role ? [...g.roles, rule.role] : g.roles,
      resource: resource && rule.resource !== '*' ? rule.resource : g.resource,
      action: action && rule.action !== '*' ? rule.action : g.action,
      purpose: purpose && rule.purpose !== '*' ? rule.purpose : g.purpose,
    }));
  return fc.oneof(requestArbitrary, nearRule);
}

/** The rule's conditions, evaluated here independently of casbin. */
function ruleApplies(rule: PolicyRule, g: Generated, relations: Readonly<Record<RelationFact, boolean>>): boolean {
  const field = (ruleValue: string, asked: string) => ruleValue === '*' || ruleValue === asked;
  const needed: readonly RelationFact[] = RELATION_FACTS[rule.relation];
  const relationOk = rule.relation === 'any' || (g.patient && needed.every((fact) => relations[fact]));
  return (
    g.roles.includes(rule.role) &&
    field(rule.resource, g.resource) &&
    field(rule.action, g.action) &&
    field(rule.purpose, g.purpose) &&
    relationOk
  );
}

describe('authorize(): properties over generated requests', () => {
  let current: InMemoryRelationships;
  let events: AuthorizationAuditEvent[];
  let authorizer: Authorizer;

  before(async () => {
    // every question goes to the facts built for the request being run
    const facts: RelationshipFacts = {
      isOnCareTeam: (u, p) => current.isOnCareTeam(u, p),
      hasActiveBreakGlass: (u, p) => current.hasActiveBreakGlass(u, p),
      isSelf: (u, p) => current.isSelf(u, p),
      consentState: (p) => current.consentState(p),
      researchPurpose: (u, project) => current.researchPurpose(u, project),
    };
    authorizer = await createAuthorizer({ facts, audit: (event) => Promise.resolve(void events.push(event)) });
  });

  const run = (g: Generated) => {
    current = factsWith(g.relations);
    events = [];
    const request: AccessRequest = {
      subject: { userId: USER, roles: g.roles, insurerType: INSURER_TYPE },
      patientId: g.patient ? PATIENT : null,
      resource: g.resource as AccessRequest['resource'],
      action: g.action as AccessRequest['action'],
      purpose: g.purpose,
      qualifiers: QUALIFIERS,
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
      fc.asyncProperty(
        adminish,
        fc.constantFrom('record', 'variants', 'consent', 'release_authorization', 'proxy_authority', 'declined_findings', 'shared_findings', 'released_findings', 'research_data', 'care_team', 'patient_account'),
        async (g, resource) => {
        const decision = await run({ ...g, resource });
        assert.equal(decision.allowed, false);
        // a deny line decides: the admin's own, or one for another role the user holds that comes first
        assert.match(decision.rule ?? '', /^p, [a-z-]+-never-[a-z-]+, .*, deny$/);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('flags break-glass only when the grant was needed and held', async () => {
    let flagged = 0;
    // half the requests start from a break-glass rule: they are few among the rules
    const breakGlassRules = authorizer.rules.filter((rule) => rule.relation.startsWith('break_glass'));
    await fc.assert(
      fc.asyncProperty(fc.oneof(requests(authorizer.rules), requests(breakGlassRules)), async (g) => {
        const decision = await run(g);
        if (!decision.breakGlass) return;
        flagged += 1;
        assert.equal(decision.allowed, true);
        assert.equal(g.relations.break_glass, true);
        assert.match(decision.rule ?? '', /, break_glass(_clinical_use)?, allow$/);
        const withoutGrant = await run({ ...g, relations: { ...g.relations, break_glass: false } });
        assert.equal(withoutGrant.allowed, false);
      }),
      { numRuns: 3000 },
    );
    assert.ok(flagged >= 5, `only ${flagged} break-glass permits generated`);
  });

  it('names what a consent-gated permit rested on, and only then', async () => {
    let gated = 0;
    const gatedRules = authorizer.rules.filter((rule) => (RELATION_FACTS[rule.relation] as readonly RelationFact[]).some((fact) => !['care_team', 'break_glass', 'self'].includes(fact)));
    await fc.assert(
      fc.asyncProperty(fc.oneof(requests(authorizer.rules), requests(gatedRules)), async (g) => {
        const decision = await run(g);
        const relation = authorizer.rules.find((rule) => decision.rule !== null && formatRuleLine(rule) === decision.rule)?.relation ?? 'any';
        const consentFacts = (RELATION_FACTS[relation] as readonly RelationFact[]).filter((fact) => !['care_team', 'break_glass', 'self'].includes(fact));
        assert.deepEqual(decision.consentBasis.map((b) => b.fact).sort(), decision.allowed ? [...consentFacts].sort() : []);
        if (decision.consentBasis.length > 0) gated += 1;
        assert.equal(events[0]!.reason, decision.consentBasis.length > 0 ? events[0]!.reason : undefined);
        if (decision.consentBasis.length > 0) assert.match(events[0]!.reason ?? '', /^consent:/);
      }),
      { numRuns: 2000 },
    );
    assert.ok(gated >= 40, `only ${gated} consent-gated permits generated`);
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
        assert.equal(event.actorId, USER);
        assert.equal(event.patientId, g.patient ? PATIENT : null);
        assert.ok(!decision.explanation.includes(USER));
        assert.ok(!decision.explanation.includes(PATIENT));
        assert.ok(!decision.explanation.includes('cd_'), 'no directive id in an explanation');
      }),
      { numRuns: 2000 },
    );
  });
});
