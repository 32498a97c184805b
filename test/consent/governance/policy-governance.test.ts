// The rules of governance held by PolicyGovernance and its book over the vault's real sealed log,
// whatever a route in front of them checks: only a board member decides, never on their own
// proposal; only an approved proposal made against the active version becomes active; two
// approvals racing on one version activate one of them; the history survives a reopen.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { newKey } from '../../../vault/crypto/aead.ts';
import { SealedAppendLog } from '../../../vault/log/sealed-append-log.ts';
import type { PolicyEvent } from '../../../schemas/policy/events.ts';
import { PolicyGovernance } from '../../../consent/governance/policy-governance.ts';
import { PolicyGovernanceError } from '../../../consent/governance/governance-errors.ts';
import type { CompiledPolicy } from '../../../consent/policy/compiled-policy.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { shippedPolicy, withoutRule } from '../../e2e/policy-kit.ts';

const PRIVACY = { accountId: 'acc_00000000000000a1', roles: ['privacy_officer'] };
const BOTH = { accountId: 'acc_00000000000000a2', roles: ['privacy_officer', 'ethics_board'] };
const BOARD = { accountId: 'acc_00000000000000b1', roles: ['ethics_board'] };
const AUDITOR = { accountId: 'acc_00000000000000c1', roles: ['auditor'] };

describe('policy governance: versions, proposals and decisions on the sealed log', () => {
  let dir: { path: string; remove: () => Promise<void> };
  let log: SealedAppendLog<PolicyEvent>;
  let shipped: string;
  const options = { key: newKey(), logId: 'policy' };
  const open = async () => {
    log = await SealedAppendLog.open<PolicyEvent>(join(dir.path, 'policy.gvl'), options);
    return PolicyGovernance.open({ store: log, shippedText: shipped });
  };
  const refusedWith = (code: string) => (err: unknown) => err instanceof PolicyGovernanceError && err.code === code;

  beforeEach(async () => {
    dir = await makeTempDir();
    shipped = await shippedPolicy();
  });
  afterEach(async () => {
    await log.close();
    await dir.remove();
  });

  it('refuses a decision by the proposer (whatever roles they hold) and by anyone off the board, recording nothing', async () => {
    const governance = await open();
    const { proposal } = await governance.propose({ text: withoutRule(shipped, 'auditor-reads-policy'), rationale: 'a test proposal', proposedBy: BOTH });
    const decide = (decidedBy: typeof BOARD) => governance.decide({ proposalId: proposal.proposalId, decision: 'approved', reason: 'approved in a test', decidedBy });
    await assert.rejects(decide(BOTH), refusedWith('own_proposal'));
    await assert.rejects(decide(AUDITOR), refusedWith('not_board_member'));
    assert.equal(log.length, 2, 'only the baseline and the proposal are in the log');
    const { activated } = await decide(BOARD);
    assert.equal(activated?.version, 2);
  });

  it('activates exactly one of two proposals approved at once on the same version; the other stays undecided', async () => {
    const governance = await open();
    const activations: CompiledPolicy[] = [];
    governance.attach({ activate: (policy) => void activations.push(policy) });
    const first = await governance.propose({ text: withoutRule(shipped, 'auditor-reads-policy'), rationale: 'first proposal', proposedBy: PRIVACY });
    const second = await governance.propose({ text: withoutRule(shipped, 'admin-reads-policy'), rationale: 'second proposal', proposedBy: PRIVACY });
    const approve = (proposalId: string) => governance.decide({ proposalId, decision: 'approved', reason: 'approved in a test', decidedBy: BOARD });
    const results = await Promise.allSettled([approve(first.proposal.proposalId), approve(second.proposal.proposalId)]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected']);
    assert.ok(refusedWith('proposal_superseded')((results[1] as PromiseRejectedResult).reason));
    assert.deepEqual(activations.map((p) => p.version), [1, 2]);
    assert.equal(governance.history.status(second.proposal), 'superseded');
    assert.equal(second.proposal.decision, null);
  });

  it('never activates a rejected proposal, and keeps the whole history across a reopen', async () => {
    let governance = await open();
    const { proposal } = await governance.propose({ text: withoutRule(shipped, 'auditor-reads-policy'), rationale: 'a proposal to reject', proposedBy: PRIVACY });
    await governance.decide({ proposalId: proposal.proposalId, decision: 'rejected', reason: 'auditors need it', decidedBy: BOARD });
    await assert.rejects(governance.decide({ proposalId: proposal.proposalId, decision: 'approved', reason: 'second thoughts', decidedBy: BOARD }), refusedWith('proposal_decided'));
    const approved = await governance.propose({ text: withoutRule(shipped, 'admin-reads-policy'), rationale: 'a proposal to approve', proposedBy: PRIVACY });
    await governance.decide({ proposalId: approved.proposal.proposalId, decision: 'approved', reason: 'agreed', decidedBy: BOARD });
    await log.close();
    governance = await open();
    assert.equal(governance.activePolicy.version, 2);
    assert.deepEqual(governance.history.versions.map((v) => v.proposalId), [null, approved.proposal.proposalId]);
    assert.equal(governance.history.status(governance.history.proposal(proposal.proposalId)!), 'rejected');
    assert.ok(!governance.activePolicy.rules.some((r) => r.id === 'admin-reads-policy'));
    assert.equal(governance.startup.length, 0, 'nothing to do at a second start');
  });

  it('refuses an appended approval by the proposer on replay: the log does not open', async () => {
    const governance = await open();
    const { proposal } = await governance.propose({ text: withoutRule(shipped, 'auditor-reads-policy'), rationale: 'a proposal', proposedBy: BOTH });
    await log.append({ type: 'decided', proposalId: proposal.proposalId, decision: 'approved', reason: 'self-approved', decidedBy: BOTH });
    await log.close();
    await assert.rejects(open(), (err: Error) => err.name === 'PolicyLogError' && /entry 3: .*own_proposal/.test(err.message));
  });
});
