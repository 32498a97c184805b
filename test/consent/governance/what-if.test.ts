// The what-if replay on its own: the 30-day window, entries that cannot be replayed, break-glass
// changes, examples; and, for generated requests, that replaying an audited decision under the
// version that made it gives back the decision authorize() recorded.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createAuthorizer, type AuthorizationAuditEvent } from '../../../consent/policy/authorize.ts';
import { compilePolicyText, type CompiledPolicy } from '../../../consent/policy/compiled-policy.ts';
import { NO_RELATIONS, type RelationSnapshot } from '../../../consent/policy/relationship-facts.ts';
import { decideUnder, decisionKey } from '../../../consent/policy/decide.ts';
import { replayWhatIf, type RecordedDecision } from '../../../consent/governance/what-if.ts';
import { replacingRule, shippedPolicy, withoutRule } from '../../e2e/policy-kit.ts';
import { generatedRequests, snapshotFacts, type GeneratedRequest } from '../policy/helpers/generated-requests.ts';

const DAY = 86_400_000;
const UNTIL = Date.parse('2026-12-01T00:00:00Z');
// the hospital's default permits clinical use: a clinician's access turns on the care team and break-glass facts
const NO_FACTS: RelationSnapshot = { ...NO_RELATIONS, clinical_use: true };

function record(seq: number, fields: Partial<RecordedDecision> = {}): RecordedDecision {
  return {
    seq, at: new Date(UNTIL - DAY).toISOString(), requestId: `req-${seq}`, actorId: 'acc_00000000000000a1', roles: ['clinician'], patientId: 'p_00000000000000a1',
    resource: 'variants', action: 'read', purpose: 'treatment', decision: 'permit', policyVersion: 1, relations: { ...NO_FACTS, care_team: true }, ...fields,
  };
}

describe('what-if replay', () => {
  let shipped: string;
  let active: CompiledPolicy;
  const compile = (text: string) => compilePolicyText(text, { version: 2 });
  before(async () => {
    shipped = await shippedPolicy();
    active = await compilePolicyText(shipped, { version: 1 });
  });

  it('replays only the last 30 days', async () => {
    const proposed = await compile(withoutRule(shipped, 'clinician-reads-variants-on-care-team'));
    const at = (msBefore: number) => new Date(UNTIL - msBefore).toISOString();
    const records = [record(1, { at: at(31 * DAY) }), record(2, { at: at(30 * DAY + 1000) }), record(3, { at: at(29 * DAY) }), record(4, { at: at(0) }), record(5, { at: new Date(UNTIL + 1000).toISOString() })];
    const report = await replayWhatIf({ records, active, proposed, until: UNTIL });
    assert.deepEqual([report.examined, report.changes.permitToDeny], [2, 2]);
    assert.deepEqual(report.examples.map((e) => e.auditSeq).sort(), [3, 4]);
  });

  it('counts as not replayable an entry without facts, or without a fact either version reads', async () => {
    const proposed = await compile(`${shipped}\np, proxy-reads-consents, proxy, consent, read, self, proxy_manage_consents, allow\n`);
    const { proxy_manage_consents: _dropped, ...withoutProxyFact } = NO_FACTS;
    const records = [record(1, { relations: null }), record(2, { relations: withoutProxyFact }), record(3, { purpose: null }), record(4)];
    const report = await replayWhatIf({ records, active, proposed, until: UNTIL });
    assert.deepEqual([report.examined, report.notReplayable, report.replayed, report.unchanged], [4, 3, 1, 1]);
  });

  it('tells a permit that would need break-glass from one that would not', async () => {
    const grant = { ...NO_FACTS, break_glass: true };
    const records = [record(1, { relations: grant })];
    const noGrantRule = await compile(withoutRule(shipped, 'clinician-reads-variants-by-break-glass'));
    const anyClinician = await compile(replacingRule(shipped, 'clinician-reads-variants-on-care-team', 'p, clinician-reads-variants-on-care-team, clinician, variants, read, treatment, any, allow'));
    const refused = await replayWhatIf({ records, active, proposed: noGrantRule, until: UNTIL });
    assert.deepEqual(refused.byRule, [{ before: 'clinician-reads-variants-by-break-glass', after: null, from: 'permit_break_glass', to: 'deny', count: 1 }]);
    const unflagged = await replayWhatIf({ records, active, proposed: anyClinician, until: UNTIL });
    assert.deepEqual(unflagged.changes, { permitToDeny: 0, denyToPermit: 0, breakGlassChanged: 1 });
    assert.deepEqual([unflagged.byRule[0]?.from, unflagged.byRule[0]?.to], ['permit_break_glass', 'permit']);
  });

  it('gives at most ten examples, one of each kind of change first', async () => {
    const proposed = await compile(withoutRule(withoutRule(shipped, 'clinician-reads-variants-on-care-team'), 'patient-reads-own-record'));
    const clinicians = Array.from({ length: 20 }, (_, i) => record(i + 1));
    const patient = record(99, { roles: ['patient'], resource: 'record', purpose: 'self', relations: { ...NO_FACTS, self: true } });
    const report = await replayWhatIf({ records: [...clinicians, patient], active, proposed, until: UNTIL });
    assert.equal(report.changed, 21);
    assert.equal(report.examples.length, 10);
    assert.ok(report.examples.some((e) => e.auditSeq === 99), 'the rarer change has its example');
  });

  it('replays every audited decision to the decision authorize() recorded (generated requests)', async () => {
    let facts: RelationSnapshot = NO_FACTS;
    const audited: AuthorizationAuditEvent[] = [];
    const authorizer = await createAuthorizer({ policy: active, facts: snapshotFacts(() => facts), audit: (event) => Promise.resolve(void audited.push(event)) });
    // a version that permits nothing: every recorded permit must come back as permit_to_deny, of its own kind
    const nothing = await compile('p, nobody-is-allowed, admin, *, *, *, any, deny\n');
    const request = generatedRequests(active.rules, { patients: ['p_00000000000000a1', null], baseFactsOnly: true });
    const outcomes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(request, async (g) => {
        facts = g.relations;
        audited.length = 0;
        const decision = await authorizer.authorize({ subject: { userId: 'acc_00000000000000a1', roles: g.roles }, patientId: g.patientId, resource: g.resource, action: g.action, purpose: g.purpose }, { requestId: 'generated' });
        const event = audited[0]!;
        const recorded: RecordedDecision = {
          seq: 1, at: new Date(UNTIL).toISOString(), requestId: event.requestId, actorId: event.actorId, roles: event.actorRoles, patientId: event.patientId,
          resource: event.resource, action: event.action, purpose: event.purpose, decision: event.decision, policyVersion: event.policyVersion, relations: event.relations,
        };
        const report = await replayWhatIf({ records: [recorded], active, proposed: nothing, until: UNTIL });
        const expected = !decision.allowed ? 'deny' : decision.breakGlass ? 'permit_break_glass' : 'permit';
        outcomes.add(expected);
        if (expected === 'deny') assert.equal(report.unchanged, 1);
        else assert.deepEqual([report.byRule[0]?.from, report.byRule[0]?.before], [expected, decision.rule?.split(', ')[1]]);
      }),
      { numRuns: 1500 },
    );
    assert.deepEqual([...outcomes].sort(), ['deny', 'permit', 'permit_break_glass'], 'the generated requests reached every outcome');
  });

  it('decides each distinct request once: requests with the same decision key get the same decision whoever and whomever they are about', () => {
    const request = generatedRequests(active.rules);
    type Request = GeneratedRequest;
    // a second request that keeps each field of the first, or not: keys often collide, and nearly collide
    const pair = fc.tuple(request, request, fc.array(fc.boolean(), { minLength: 7, maxLength: 7 })).map(([a, other, keep]) => {
      const b = Object.fromEntries(Object.keys(a).map((field, i) => [field, keep[i] ? a[field as keyof Request] : other[field as keyof Request]])) as unknown as Request;
      return [a, { ...b, roles: [...b.roles].reverse() }] as const;
    });
    let collisions = 0;
    fc.assert(
      fc.property(pair, ([a, b]) => {
        if (decisionKey(a, a.relations) !== decisionKey(b, b.relations)) return;
        collisions += 1;
        const [x, y] = [decideUnder(active, a, a.relations), decideUnder(active, b, b.relations)];
        assert.deepEqual([x.allowed, x.breakGlass, x.rule?.id], [y.allowed, y.breakGlass, y.rule?.id]);
      }),
      { numRuns: 4000 },
    );
    assert.ok(collisions > 100, `only ${collisions} pairs shared a key`);
  });
});
