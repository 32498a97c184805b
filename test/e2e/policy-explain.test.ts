// POST /v1/policy/explain over HTTPS: its answer is authorize()'s decision, for generated
// requests (given facts) and for a real account and patient (facts looked up, which is audited
// under the patient); it can also answer under a proposal; it refuses unknown facts without
// repeating them.
import { grant, revoke } from './consent-kit.ts';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createAuthorizer } from '../../consent/policy/authorize.ts';
import { NO_RELATIONS, type RelationSnapshot } from '../../consent/policy/relationship-facts.ts';
import { internalRequest } from '../../vault/service/patient-access.ts';
import { worldForSuite } from './service-world.ts';
import { callerFor, shippedPolicy, withoutRule } from './policy-kit.ts';
import { generatedRequests, snapshotFacts } from '../consent/policy/helpers/generated-requests.ts';

interface Explained {
  policyVersion: number;
  decision: 'permit' | 'deny';
  breakGlass: boolean;
  rule: { id: string; line: number; text: string; sentence: string } | null;
  explanation: string;
  consentBasis: ({ fact: string; directiveId: string; version: number } | { fact: string; hospitalDefault: true })[];
  consentBars: ({ fact: string; directiveId: string; version: number; defects: string[] } | { fact: string; hospitalDefault: true })[];
  relations: Record<string, boolean>;
  factsFrom: string;
  underProposal?: { proposalId: string; decision: string; rule: { id: string } | null };
  code?: string;
}

describe('policy explain (HTTPS)', function () {
  this.timeout(180_000);
  const suite = worldForSuite({ https: true });
  const tokens = new Map<string, string>();
  const as = (username: string) => callerFor(suite.w, tokens, username);
  const explain = (body: unknown, username = 'ethics') => as(username)<Explained>('POST', '/policy/explain', body);

  it('answers what authorize() decides, for generated requests with given facts', async () => {
    let facts: RelationSnapshot = NO_RELATIONS;
    const authorizer = await createAuthorizer({ policy: suite.w.service.governance.activePolicy, facts: snapshotFacts(() => facts), audit: () => Promise.resolve() });
    const requests = generatedRequests(suite.w.service.governance.activePolicy.rules, { patients: [suite.w.patientA, null], minRoles: 1, baseFactsOnly: true });
    const outcomes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(requests, async (g) => {
        facts = g.relations;
        const expected = await authorizer.authorize({ subject: { userId: 'explained-subject', roles: g.roles }, patientId: g.patientId, resource: g.resource, action: g.action, purpose: g.purpose }, internalRequest('expected'));
        const got = await explain({ subject: { roles: g.roles }, relations: g.relations, patientId: g.patientId, resource: g.resource, action: g.action, purpose: g.purpose });
        assert.equal(got.status, 200, got.text);
        assert.equal(got.body.decision, expected.allowed ? 'permit' : 'deny');
        assert.equal(got.body.breakGlass, expected.breakGlass);
        assert.equal(got.body.rule?.text ?? null, expected.rule);
        assert.equal(got.body.explanation, expected.explanation);
        assert.equal(got.body.policyVersion, expected.policyVersion);
        assert.equal(got.body.factsFrom, 'request');
        outcomes.add(expected.allowed ? (expected.breakGlass ? 'break-glass' : 'permit') : 'deny');
      }),
      {
        numRuns: 120,
        // one of each kind for certain, besides the generated ones
        examples: [
          [{ userId: 'acc_00000000000000a1', roles: ['clinician'], patientId: suite.w.patientA, resource: 'variants' as const, action: 'read' as const, purpose: 'treatment', relations: { ...NO_RELATIONS, care_team: false, break_glass: true, clinical_use: true } }],
          [{ userId: 'acc_00000000000000a1', roles: ['clinician'], patientId: suite.w.patientA, resource: 'variants' as const, action: 'read' as const, purpose: 'treatment', relations: { ...NO_RELATIONS, care_team: true, break_glass: false, clinical_use: true } }],
          [{ userId: 'acc_00000000000000a1', roles: ['admin', 'clinician'], patientId: suite.w.patientA, resource: 'variants' as const, action: 'read' as const, purpose: 'treatment', relations: { ...NO_RELATIONS, care_team: true, break_glass: true, clinical_use: true } }],
        ],
      },
    );
    assert.deepEqual([...outcomes].sort(), ['break-glass', 'deny', 'permit']);
  });

  it('looks facts up for a real account and patient, answers as the real request is decided, and audits the lookup under the patient', async () => {
    const { w } = suite;
    for (const [user, status] of [['clin_a', 200], ['clin_b', 404]] as const) {
      const real = await as(user)('GET', `/patients/${w.patientA}/variants`);
      assert.equal(real.status, status);
      const [decided] = await w.auditOf(real);
      const got = await explain({ subject: { accountId: w.accounts[user]!.accountId }, patientId: w.patientA, resource: 'variants', action: 'read', purpose: 'treatment' }, 'auditor');
      assert.equal(got.status, 200, got.text);
      assert.equal(got.body.factsFrom, 'lookup');
      assert.equal(got.body.relations.care_team, user === 'clin_a');
      assert.equal(got.body.decision, decided?.body.decision);
      assert.equal(got.body.rule?.text ?? null, decided?.body.rule);
      const lookups = (await w.auditOf(got)).filter((e) => e.body.action === 'policy.explain_lookup');
      assert.equal(lookups.length, 1, 'the lookup is audited');
      assert.deepEqual([lookups[0]!.body.patientId, lookups[0]!.body.targetId, lookups[0]!.body.actorId], [w.patientA, w.accounts[user]!.accountId, w.accounts.auditor!.accountId]);
    }
    const inPatientsLog = await as('pat_a')<{ items: { who: string; action: string }[] }>('GET', `/patients/${w.patientA}/access-log`);
    assert.ok(inPatientsLog.body.items.some((item) => item.who === 'auditor' && item.action === 'policy.explain_lookup'), 'the patient sees who looked');
  });

  it('decides a lookup for the patient: the board and every other role without the line are refused alike for any account, audited under the patient; the privacy officer sees only the facts the request\u2019s rules read', async () => {
    const { w } = suite;
    const lookUp = (accountId: string) => ({ subject: { accountId }, patientId: w.patientA, resource: 'variants', action: 'read', purpose: 'treatment' });
    const answer = (r: { status: number; body: unknown }) => {
      const { instance: _instance, ...problem } = r.body as Record<string, unknown>;
      return JSON.stringify([r.status, problem]);
    };
    for (const user of ['ethics', 'clin_a', 'admin', 'registrar', 'pat_a']) {
      const real = await explain(lookUp(w.accounts.clin_a!.accountId), user);
      const unknown = await explain(lookUp('acc_00000000deadbeef'), user);
      assert.equal(real.status, 404, `${user}: ${real.text}`);
      assert.equal(answer(real), answer(unknown), `${user}: a real account answered as an unknown one`);
      const entries = await w.auditOf(real);
      assert.deepEqual(entries.filter((e) => e.body.resource === 'decision_facts').map((e) => [e.body.decision, e.body.patientId]), [['deny', w.patientA]], `${user}: refused for the patient, audited`);
      assert.equal(entries.some((e) => e.body.action === 'policy.explain_lookup'), false, `${user}: nothing looked up`);
    }
    const given = await explain({ subject: { roles: ['clinician'] }, relations: { care_team: true, clinical_use: true }, patientId: w.patientA, resource: 'variants', action: 'read', purpose: 'treatment' });
    assert.equal(given.status, 200, 'the board still explains on facts it gives');
    // a patient who does not exist: refused alike to those who may not look up, "no such patient" (not a fact sheet of falses) to those who may
    const nobody = { ...lookUp(w.accounts.clin_a!.accountId), patientId: 'p_00000000deadbeef' };
    assert.equal(answer(await explain(nobody, 'ethics')), answer(await explain(lookUp(w.accounts.clin_a!.accountId), 'ethics')), 'the board cannot tell a patient who exists');
    const forAuditor = await explain(nobody, 'auditor');
    assert.equal(forAuditor.status, 404, forAuditor.text);
    assert.match(forAuditor.text, /no such patient/);
    assert.equal((await w.auditOf(forAuditor)).some((e) => e.body.action === 'policy.explain_lookup'), false, 'nothing looked up');

    const byPrivacy = await explain(lookUp(w.accounts.clin_a!.accountId), 'privacy');
    assert.equal(byPrivacy.status, 200, byPrivacy.text);
    assert.deepEqual(Object.keys(byPrivacy.body.relations).sort(), ['break_glass', 'care_team', 'clinical_use'], 'the facts the clinician\u2019s variant rules read, nothing about proxies, relatives or releases');
    const permitted = (await w.auditOf(byPrivacy)).filter((e) => e.body.resource === 'decision_facts' || e.body.action === 'policy.explain_lookup');
    assert.deepEqual(permitted.map((e) => `${e.body.action} ${e.body.decision} ${e.body.patientId === w.patientA}`).sort(), ['policy.explain_lookup success true', 'read permit true']);
  });

  it('names the directive a looked-up permit rested on (or the hospital default), and the one that kept a refused request\u2019s rule from applying', async () => {
    const { w } = suite;
    const ask = (user: string) => explain({ subject: { accountId: w.accounts[user]!.accountId }, patientId: w.patientA, resource: 'variants', action: 'read', purpose: 'treatment' }, 'auditor');
    const byDefault = await ask('clin_a');
    assert.deepEqual(byDefault.body.consentBasis, [{ fact: 'clinical_use', hospitalDefault: true }]);
    assert.match(byDefault.body.explanation, /rested on the hospital default/);
    assert.deepEqual((await ask('clin_b')).body.consentBasis, [], 'a refusal rests on nothing');
    const permit = await grant(w, await w.login('pat_a'), w.patientA, { kind: 'clinical_use', decision: 'permit' });
    const byDirective = await ask('clin_a');
    assert.deepEqual(byDirective.body.consentBasis, [{ fact: 'clinical_use', directiveId: permit.directiveId, version: permit.version }]);
    assert.ok(byDirective.body.explanation.includes(`directive ${permit.directiveId} (version ${permit.version})`), byDirective.body.explanation);
    const given = await explain({ subject: { roles: ['clinician'] }, relations: { care_team: true, clinical_use: true }, patientId: w.patientA, resource: 'variants', action: 'read', purpose: 'treatment' });
    assert.deepEqual(given.body.consentBasis, [], 'given facts name no directive');
    await revoke(w, await w.login('pat_a'), w.patientA, permit);
    assert.deepEqual((await ask('clin_b')).body.consentBars, [], 'off the care team: no directive kept the rule from applying');

    // a refusal names the directive that kept the rule from applying, and why
    const deny = await grant(w, await w.login('pat_a'), w.patientA, { kind: 'clinical_use', decision: 'deny' });
    const refused = await ask('clin_a');
    assert.equal(refused.body.decision, 'deny');
    assert.deepEqual(refused.body.consentBars, [{ fact: 'clinical_use', directiveId: deny.directiveId, version: deny.version, defects: ['clinical_use_denied'] }]);
    assert.ok(refused.body.explanation.includes(`directive ${deny.directiveId} (version ${deny.version}): clinical_use_denied`), refused.body.explanation);
    await revoke(w, await w.login('pat_a'), w.patientA, deny);
  });

  it('answers under a proposal beside the active version', async () => {
    const proposal = await as('privacy')<{ proposalId: string }>('POST', '/policy/proposals', { text: withoutRule(await shippedPolicy(), 'clinician-reads-variants-on-care-team'), rationale: 'to compare explanations' });
    const got = await explain({ subject: { roles: ['clinician'] }, relations: { care_team: true, clinical_use: true }, patientId: suite.w.patientA, resource: 'variants', action: 'read', purpose: 'treatment', proposalId: proposal.body.proposalId });
    assert.equal(got.body.decision, 'permit');
    assert.equal(got.body.rule?.id, 'clinician-reads-variants-on-care-team');
    assert.deepEqual([got.body.underProposal?.decision, got.body.underProposal?.rule], ['deny', null]);
    const unknown = await explain({ subject: { roles: ['clinician'] }, relations: {}, patientId: null, resource: 'variants', action: 'read', purpose: 'treatment', proposalId: 'pp_ffffffffffffffff' });
    assert.equal(unknown.status, 404);
  });

  it('refuses a fact the policy does not know, and a request that mixes given and looked-up facts, without repeating them', async () => {
    for (const relations of [{ care_tema: true }, { 'Ada Lovelace': true }, { care_team: 'Ada Lovelace' }]) {
      const typo = await explain({ subject: { roles: ['clinician'] }, relations, patientId: null, resource: 'variants', action: 'read', purpose: 'treatment' });
      assert.equal(typo.status, 400, typo.text);
      assert.match(typo.text, /body\.relations/);
      assert.doesNotMatch(typo.text, /tema|Ada/);
    }
    const both = await explain({ subject: { accountId: suite.w.accounts.clin_a!.accountId }, relations: { care_team: true }, patientId: suite.w.patientA, resource: 'variants', action: 'read', purpose: 'treatment' });
    assert.equal(both.status, 400);
    assert.match(both.text, /body\.relations/);
  });
});
