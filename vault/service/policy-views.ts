// The policy history as the board reads it over the API: a version with each rule in plain
// words and who approved it, a proposal with its status and decision. Account ids are shown
// with their usernames (staff accounts; `host` is the vault itself).
import { createHash } from 'node:crypto';
import type { PolicyActor } from '../../schemas/policy/events.ts';
import type { PolicyGovernance } from '../../consent/governance/policy-governance.ts';
import type { PolicyVersionRecord, ProposalRecord } from '../../consent/governance/policy-history.ts';
import { ruleView } from '../../consent/governance/policy-diff.ts';
import type { IdentityService } from '../identity/identity-service.ts';

export function policyViews(governance: PolicyGovernance, identity: IdentityService) {
  const actor = ({ accountId }: PolicyActor) => ({ accountId, username: identity.getAccount(accountId)?.username ?? null });

  function summary(proposal: ProposalRecord) {
    const { decision } = proposal;
    return {
      proposalId: proposal.proposalId,
      status: governance.history.status(proposal),
      basedOn: proposal.basedOn,
      proposedBy: actor(proposal.proposedBy),
      proposedAt: proposal.proposedAt,
      rationale: proposal.rationale,
      decision: decision === null ? null : { decision: decision.decision, reason: decision.reason, decidedBy: actor(decision.decidedBy), decidedAt: decision.decidedAt },
      version: proposal.version,
    };
  }

  function version(record: PolicyVersionRecord) {
    const proposal = record.proposalId === null ? undefined : governance.history.proposal(record.proposalId);
    const approval = proposal?.decision ?? null;
    return {
      version: record.version,
      active: record.version === governance.history.activeVersion,
      activatedAt: record.activatedAt,
      source: proposal ? ('proposal' as const) : ('shipped' as const),
      proposalId: record.proposalId,
      rationale: proposal?.rationale ?? null,
      approvedBy: approval ? actor(approval.decidedBy) : null,
      approvedAt: approval?.decidedAt ?? null,
      approvalReason: approval?.reason ?? null,
      sha256: createHash('sha256').update(record.text).digest('hex'),
      // the active version's compiled rules; an older version is read again from its text
      rules: (record.version === governance.activePolicy.version ? governance.activePolicy.rules : governance.rulesOf(record.text)).map(ruleView),
    };
  }

  return {
    summary,
    version,
    proposal: (proposal: ProposalRecord) => ({ ...summary(proposal), text: proposal.text, diff: governance.diffOf(proposal) }),
  };
}
