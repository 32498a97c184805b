// The what-if replay over a real audit history made by real requests over HTTPS: a proposal that
// turns permits into refusals, one that turns refusals into permits, and one that changes
// nothing are each counted by rule, role and resource, with examples that point at the audited
// decisions by id and carry no patient data. Entries written before decisions recorded their
// facts count as not replayable.
import assert from 'node:assert/strict';
import { worldForSuite } from './service-world.ts';
import { callerFor, replacingRule, shippedPolicy, withoutRule } from './policy-kit.ts';

type Tally = { permitToDeny: number; denyToPermit: number; breakGlassChanged: number };
interface WhatIf {
  activeVersion: number;
  examined: number;
  replayed: number;
  notReplayable: number;
  unchanged: number;
  changed: number;
  otherRuleOnly: number;
  changes: Tally;
  byRule: { before: string | null; after: string | null; from: string; to: string; count: number }[];
  byRole: ({ role: string } & Tally)[];
  byResource: ({ resource: string } & Tally)[];
  examples: { auditSeq: number; requestId: string; roles: string[]; resource: string; before: { outcome: string }; after: { outcome: string } }[];
}

describe('policy what-if replay (HTTPS)', function () {
  this.timeout(120_000);
  const suite = worldForSuite({ https: true });
  const tokens = new Map<string, string>();
  const as = (username: string) => callerFor(suite.w, tokens, username);
  const permittedReads: string[] = [];
  const refusedReads: string[] = [];
  let decisionsInLog: number;

  before(async () => {
    const { w } = suite;
    for (let i = 0; i < 5; i++) {
      const read = await as('clin_a')('GET', `/patients/${w.patientA}/variants`);
      assert.equal(read.status, 200);
      permittedReads.push(read.headers.get('x-request-id')!);
    }
    for (let i = 0; i < 3; i++) {
      const read = await as('clin_b')('GET', `/patients/${w.patientA}/variants`);
      assert.equal(read.status, 404);
      refusedReads.push(read.headers.get('x-request-id')!);
    }
    for (let i = 0; i < 2; i++) assert.equal((await as('pat_a')('GET', `/patients/${w.patientA}`)).status, 200);
    // a decision audited before decisions carried their facts and policy version
    await w.service.audit.record({ requestId: 'older-entry-0001', actorId: w.accounts.clin_a!.accountId, actorRoles: ['clinician'], action: 'read', resource: 'variants', patientId: w.patientA, purpose: 'treatment', decision: 'permit', rule: 'p, clinician-reads-variants-on-care-team, clinician, variants, read, treatment, care_team, allow' });
    decisionsInLog = (await w.service.audit.query({ limit: 10_000 })).filter((e) => e.body.decision === 'permit' || e.body.decision === 'deny').length;
  });

  async function whatIf(text: string): Promise<WhatIf> {
    const proposal = await as('privacy')<{ proposalId: string }>('POST', '/policy/proposals', { text, rationale: 'to see what it would change' });
    assert.equal(proposal.status, 201, proposal.text);
    const answer = await as('ethics')<WhatIf>('POST', `/policy/proposals/${proposal.body.proposalId}/what-if`);
    assert.equal(answer.status, 200, answer.text);
    assert.doesNotMatch(answer.text, /MRN-|Ada|Lovelace|Grace|1980/);
    assert.ok(!answer.text.includes(suite.w.patientA), 'the replay names no patient');
    const [outcome] = (await suite.w.auditOf(answer)).filter((e) => e.body.action === 'policy.what_if');
    assert.deepEqual([outcome?.body.decision, outcome?.body.targetId, outcome?.body.counts?.changed], ['success', proposal.body.proposalId, answer.body.changed]);
    return answer.body;
  }

  it('counts every audited decision of the window, and the ones without recorded facts as not replayable', async () => {
    const report = await whatIf((await shippedPolicy()).replace('# GenoVault access policy', '# GenoVault access policy, reworded'));
    // besides those before it: the decisions to let this proposal be made and replayed
    assert.equal(report.examined, decisionsInLog + 2);
    assert.equal(report.notReplayable, 1);
    assert.equal(report.replayed, report.examined - 1);
    assert.deepEqual([report.changed, report.unchanged, report.otherRuleOnly], [0, report.replayed, 0]);
    assert.deepEqual([report.byRule, report.byRole, report.byResource, report.examples], [[], [], [], []]);
  });

  it('reports the permits a removed rule would turn into refusals, by rule, role and resource, with examples', async () => {
    const report = await whatIf(withoutRule(await shippedPolicy(), 'clinician-reads-variants-on-care-team'));
    assert.deepEqual(report.changes, { permitToDeny: 5, denyToPermit: 0, breakGlassChanged: 0 });
    assert.equal(report.changed, 5);
    assert.deepEqual(report.byRule, [{ before: 'clinician-reads-variants-on-care-team', after: null, from: 'permit', to: 'deny', count: 5 }]);
    assert.deepEqual(report.byRole, [{ role: 'clinician', permitToDeny: 5, denyToPermit: 0, breakGlassChanged: 0 }]);
    assert.deepEqual(report.byResource, [{ resource: 'variants', permitToDeny: 5, denyToPermit: 0, breakGlassChanged: 0 }]);
    assert.deepEqual(report.examples.map((e) => e.requestId).sort(), [...permittedReads].sort());
    for (const example of report.examples) {
      const [entry] = await suite.w.service.audit.query({ limit: 10_000 }).then((all) => all.filter((e) => e.seq === example.auditSeq));
      assert.deepEqual([entry?.body.requestId, entry?.body.decision, example.before.outcome, example.after.outcome], [example.requestId, 'permit', 'permit', 'deny']);
    }
  });

  it('reports the refusals a widened rule would turn into permits', async () => {
    const widened = replacingRule(await shippedPolicy(), 'clinician-reads-variants-on-care-team', 'p, clinician-reads-variants-on-care-team, clinician, variants, read, treatment, any, allow');
    const report = await whatIf(widened);
    assert.deepEqual(report.changes, { permitToDeny: 0, denyToPermit: 3, breakGlassChanged: 0 });
    assert.deepEqual(report.byRule, [{ before: null, after: 'clinician-reads-variants-on-care-team', from: 'deny', to: 'permit', count: 3 }]);
    assert.deepEqual(report.examples.map((e) => e.requestId).sort(), [...refusedReads].sort());
  });
});
