// Policy governance over HTTPS against a real service: version 1 is the shipped file, proposals
// are checked line by line, only the ethics board decides and never on its own proposal, an
// approval takes effect on the very next request (whose audit entry names the new version), and
// rejected or superseded proposals never become active.
import assert from 'node:assert/strict';
import { parsePolicyText } from '../../consent/policy/policy-file.ts';
import { HOST_ACTOR } from '../../vault/identity/principal.ts';
import { HOST_PROPOSER, SHIPPED_UPDATE_RATIONALE } from '../../consent/governance/policy-governance.ts';
import { enrolStaff } from '../helpers/enrol-accounts.ts';
import { PASSWORD, worldForSuite } from './service-world.ts';
import { boardMemberCreatedByAdmin, callerFor, replacingRule, shippedPolicy, withoutRule, type Caller } from './policy-kit.ts';

interface RuleView { id: string; line: number; text: string; sentence: string }
interface VersionView { version: number; source: string; approvedBy: { username: string } | null; approvedAt: string | null; activatedAt: string; rules: RuleView[] }
interface Proposed { proposalId: string; basedOn: number; diff: { added: RuleView[]; removed: RuleView[]; changed: { id: string }[]; unchanged: number } }
interface Problem { code: string; detail: string; errors?: { path: string; message: string }[] }

describe('policy governance (HTTPS)', function () {
  this.timeout(120_000);
  const suite = worldForSuite({ https: true });
  const tokens = new Map<string, string>();
  const as = (username: string): Caller => callerFor(suite.w, tokens, username);
  let shipped: string;
  before(async () => (shipped = await shippedPolicy()));

  const propose = (username: string, text: string, rationale = 'a change the board should consider') => as(username)<Proposed & Problem>('POST', '/policy/proposals', { text, rationale });
  const decide = (username: string, id: string, decision: 'approve' | 'reject', reason = 'reviewed with the what-if replay') =>
    as(username)<{ status: string; version: number | null } & Problem>('POST', `/policy/proposals/${id}/decision`, { decision, reason });

  it('records the shipped policy as version 1 at first start, with every rule in plain words, audited as the host', async () => {
    const answer = await as('ethics')<VersionView>('GET', '/policy');
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.version, 1);
    assert.equal(answer.body.source, 'shipped');
    assert.equal(answer.body.approvedBy, null);
    const expected = parsePolicyText(shipped);
    assert.deepEqual(answer.body.rules.map((r) => [r.id, r.line]), expected.map((r) => [r.id, r.line]));
    const rule = answer.body.rules.find((r) => r.id === 'clinician-reads-variants-on-care-team')!;
    assert.equal(rule.sentence, "a clinician may read the variants for treatment while on the patient's care team, if the patient permits clinical use of their genomic data (or has not decided and the hospital default permits it)");
    assert.equal(rule.text, 'p, clinician-reads-variants-on-care-team, clinician, variants, read, treatment, care_team_clinical_use, allow');
    const baseline = (await suite.w.service.audit.query({ limit: 10_000 })).filter((e) => e.body.action === 'policy.baseline');
    assert.equal(baseline.length, 1);
    assert.equal(baseline[0]!.body.actorId, HOST_ACTOR);
    assert.equal(baseline[0]!.body.counts?.version, 1);
    const [decided] = await suite.w.auditOf(answer);
    assert.equal(decided?.body.policyVersion, 1, 'the read itself was decided under version 1');
  });

  // who may call each route, as the policy lines say; everyone else of the world is refused
  const ROUTES: [string, string, () => unknown, string[]][] = [
    ['GET', '/policy', () => undefined, ['ethics', 'auditor', 'privacy', 'admin']],
    ['GET', '/policy/versions/1', () => undefined, ['ethics', 'auditor', 'privacy', 'admin']],
    ['GET', '/policy/proposals', () => undefined, ['ethics', 'auditor', 'privacy', 'admin']],
    ['GET', '/policy/proposals/pp_0000000000000000', () => undefined, ['ethics', 'auditor', 'privacy', 'admin']],
    ['POST', '/policy/proposals', () => ({ text: shipped.replace('# GenoVault access policy', '# GenoVault access policy (draft)'), rationale: 'reworded the title line' }), ['privacy', 'admin']],
    ['POST', '/policy/proposals/pp_0000000000000000/what-if', () => undefined, ['ethics', 'privacy']],
    ['POST', '/policy/proposals/pp_0000000000000000/decision', () => ({ decision: 'approve', reason: 'looks right to the board' }), ['ethics']],
    ['POST', '/policy/explain', () => ({ subject: { roles: ['clinician'] }, relations: { care_team: true }, patientId: null, resource: 'variants', action: 'read', purpose: 'treatment' }), ['ethics', 'auditor']],
  ];
  const EVERYONE = ['admin', 'registrar', 'clin_a', 'counselor', 'pat_a', 'proxy_a', 'researcher', 'insurer', 'relative', 'auditor', 'ethics', 'privacy'];

  it('refuses every policy route to the roles the policy does not name, and audits the refusal', async () => {
    for (const [method, path, body, allowed] of ROUTES) {
      for (const user of EVERYONE) {
        const answer = await as(user)<Problem>(method, path, body());
        if (allowed.includes(user)) {
          assert.notEqual(answer.status, 403, `${user} ${method} ${path}: ${answer.text}`);
          continue;
        }
        assert.equal(answer.status, 403, `${user} ${method} ${path} should be refused: ${answer.status}`);
        assert.equal(answer.body.code, 'forbidden');
        const entries = await suite.w.auditOf(answer);
        assert.ok(entries.some((e) => e.body.decision === 'deny' && e.body.resource === 'policy'), `${user} ${method} ${path}: refusal not audited`);
      }
    }
  });

  it('checks a proposal line by line: errors name the line and column, never the text, and nothing is recorded', async () => {
    const before = suite.w.service.governance.history.proposals().length;
    const cases: [string, number, string][] = [
      [shipped.replace('admin, variants, *, *, any, deny', 'admin, MRN-A-0001, *, *, any, deny'), lineOf(shipped, 'admin-never-touches-variants'), 'resource'],
      [shipped.replace('p, auditor-reads-audit-events, auditor,', 'p, auditor-reads-audit-events, Ada Lovelace,'), lineOf(shipped, 'auditor-reads-audit-events'), 'role'],
      [`${shipped}\np, Ada-Lovelace-1980-02-03, clinician, record, read, treatment, care_team, allow\n`, shipped.split('\n').length + 1, 'id'],
      [`${shipped}\np, clinician-reads-record-on-care-team, clinician, record, read, treatment, any, allow\n`, shipped.split('\n').length + 1, 'id'],
      [shipped.replace('p, registrar-registers-patients,', 'x, registrar-registers-patients,'), lineOf(shipped, 'registrar-registers-patients'), 'line'],
    ];
    for (const [text, line, field] of cases) {
      const answer = await propose('privacy', text);
      assert.equal(answer.status, 400, answer.text);
      assert.equal(answer.body.code, 'invalid_policy');
      assert.equal(answer.body.errors?.[0]?.path, 'body.text');
      assert.match(answer.body.errors?.[0]?.message ?? '', new RegExp(`^line ${line} \\(${field}\\)`));
      assert.doesNotMatch(answer.text, /MRN-A-0001|Ada|Lovelace|1980/, 'the error repeats the submitted text');
      const [entry] = (await suite.w.auditOf(answer)).filter((e) => e.body.action === 'policy.propose');
      assert.equal(entry?.body.decision, 'failure');
      assert.equal(entry?.body.reason, 'invalid_policy');
    }
    const unchanged = await propose('privacy', shipped);
    assert.equal(unchanged.status, 409);
    assert.equal(unchanged.body.code, 'policy_unchanged');
    assert.equal(suite.w.service.governance.history.proposals().length, before, 'a refused proposal was recorded');
  });

  it('answers a proposal with its id and what it adds, removes and changes, by rule id', async () => {
    let text = withoutRule(shipped, 'auditor-explains-decisions');
    text = replacingRule(text, 'ethics-board-reads-break-glass-queue', 'p, ethics-board-reads-break-glass-queue, ethics_board, break_glass, read, operations, any, deny');
    text += '\np, auditor-reads-break-glass-queue, auditor, break_glass, read, operations, any, allow\n';
    const answer = await propose('admin', text);
    assert.equal(answer.status, 201, answer.text);
    assert.match(answer.body.proposalId, /^pp_[0-9a-f]{16}$/);
    assert.equal(answer.body.basedOn, 1);
    assert.deepEqual(answer.body.diff.added.map((r) => r.id), ['auditor-reads-break-glass-queue']);
    assert.deepEqual(answer.body.diff.removed.map((r) => r.id), ['auditor-explains-decisions']);
    assert.deepEqual(answer.body.diff.changed.map((r) => r.id), ['ethics-board-reads-break-glass-queue']);
    assert.equal(answer.body.diff.unchanged, parsePolicyText(shipped).length - 2);
    const listed = await as('ethics')<{ status: string; text: string; proposedBy: { username: string } }>('GET', `/policy/proposals/${answer.body.proposalId}`);
    assert.equal(listed.body.status, 'pending');
    assert.equal(listed.body.text, text);
    assert.equal(listed.body.proposedBy.username, 'admin');
  });

  it('refuses a decision by the proposer, even one who holds the board role too, and by a board account the proposer created', async () => {
    const both = await enrolStaff(suite.w.service, 'privacy_and_board', ['privacy_officer', 'ethics_board'], PASSWORD);
    suite.w.accounts.privacy_and_board = both;
    const own = await propose('privacy_and_board', withoutRule(shipped, 'auditor-reads-policy'));
    assert.equal(own.status, 201, own.text);
    const refused = await decide('privacy_and_board', own.body.proposalId, 'approve');
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.body.code, 'own_proposal');
    const [entry] = (await suite.w.auditOf(refused)).filter((e) => e.body.action === 'policy.decide');
    assert.deepEqual([entry?.body.decision, entry?.body.reason, entry?.body.flagged], ['failure', 'own_proposal', true]);

    const byAdmin = await propose('admin', withoutRule(shipped, 'auditor-reads-policy'));
    suite.w.accounts.admins_board = await boardMemberCreatedByAdmin(suite.w, as('admin'), 'admins_board');
    const puppet = await decide('admins_board', byAdmin.body.proposalId, 'approve');
    assert.equal(puppet.status, 403, puppet.text);
    assert.equal(puppet.body.code, 'own_proposal');
    assert.equal(suite.w.service.governance.history.proposal(own.body.proposalId)?.decision, null);
    assert.equal(suite.w.service.governance.history.proposal(byAdmin.body.proposalId)?.decision, null);
    assert.equal(suite.w.service.governance.activePolicy.version, 1);
  });

  it('decides the very next request under an approved version, and its audit entry names that version', async () => {
    const text = withoutRule(shipped, 'ethics-board-reads-break-glass-queue');
    const proposal = await propose('privacy', text, 'the queue moves to the privacy office');
    const beforeApproval = await as('ethics')('GET', '/break-glass');
    assert.equal(beforeApproval.status, 200);
    assert.equal((await suite.w.auditOf(beforeApproval))[0]?.body.policyVersion, 1);

    const approved = await decide('ethics', proposal.body.proposalId, 'approve');
    assert.equal(approved.status, 200, approved.text);
    assert.deepEqual([approved.body.status, approved.body.version], ['approved', 2]);
    const steps = (await suite.w.auditOf(approved)).reverse().map((e) => [e.body.action, e.body.decision, e.body.counts?.version ?? null]);
    assert.deepEqual(steps, [['decide', 'permit', null], ['policy.decide', 'success', null], ['policy.activate', 'success', 2]]);

    const afterApproval = await as('ethics')('GET', '/break-glass');
    assert.equal(afterApproval.status, 403);
    const [entry] = await suite.w.auditOf(afterApproval);
    assert.deepEqual([entry?.body.decision, entry?.body.policyVersion], ['deny', 2]);
    const active = await as('auditor')<VersionView>('GET', '/policy');
    assert.equal(active.body.version, 2);
    assert.equal(active.body.approvedBy?.username, 'ethics');
    assert.ok(!active.body.rules.some((r) => r.id === 'ethics-board-reads-break-glass-queue'));
    const first = await as('auditor')<VersionView>('GET', '/policy/versions/1');
    assert.ok(first.body.rules.some((r) => r.id === 'ethics-board-reads-break-glass-queue'), 'version 1 stays readable as it was');
  });

  it('never activates a rejected or a superseded proposal', async () => {
    const base = suite.w.service.governance.activePolicy.version;
    const current = suite.w.service.governance.history.active!.text;
    const rejected = await propose('privacy', withoutRule(current, 'auditor-reads-policy'));
    const superseded = await propose('privacy', withoutRule(current, 'admin-reads-policy'));
    const winner = await propose('admin', withoutRule(current, 'privacy-officer-reads-policy'));
    assert.equal((await decide('ethics', rejected.body.proposalId, 'reject', 'auditors keep reading the policy')).status, 200);
    const again = await decide('ethics', rejected.body.proposalId, 'approve');
    assert.deepEqual([again.status, again.body.code], [409, 'proposal_decided']);
    assert.equal((await decide('ethics', winner.body.proposalId, 'approve')).body.version, base + 1);
    const late = await decide('ethics', superseded.body.proposalId, 'approve');
    assert.deepEqual([late.status, late.body.code], [409, 'proposal_superseded']);
    const listed = await as('ethics')<{ items: { proposalId: string; status: string }[] }>('GET', '/policy/proposals');
    const statusOf = (id: string) => listed.body.items.find((p) => p.proposalId === id)?.status;
    assert.deepEqual([statusOf(rejected.body.proposalId), statusOf(superseded.body.proposalId), statusOf(winner.body.proposalId)], ['rejected', 'superseded', 'approved']);
    assert.equal(suite.w.service.governance.activePolicy.version, base + 1);
    assert.equal(suite.w.service.authorizer.policy.version, base + 1);
  });

  it('lets board members the host created decide on a policy the release itself proposed', async () => {
    const text = withoutRule(suite.w.service.governance.history.active!.text, 'auditor-explains-decisions');
    const { proposal } = await suite.w.service.governance.propose({ text, rationale: SHIPPED_UPDATE_RATIONALE, proposedBy: HOST_PROPOSER });
    assert.equal(suite.w.service.identity.getAccount(suite.w.accounts.ethics!.accountId)?.createdBy, HOST_ACTOR);
    const approved = await decide('ethics', proposal.proposalId, 'approve');
    assert.equal(approved.status, 200, approved.text);
    assert.equal(approved.body.status, 'approved');
  });
});

function lineOf(text: string, ruleId: string): number {
  return text.split('\n').findIndex((line) => line.startsWith(`p, ${ruleId},`)) + 1;
}
