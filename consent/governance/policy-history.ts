// The policy history derived from the policy log: every version that was ever active, every
// proposal and what became of it. `apply` checks each event against the rules of governance
// before it changes anything, on append and again on replay, so a log that breaks them (an
// activation nobody approved, an approval by the proposer) does not open.
import type { PolicyActor, PolicyEvent } from '../../schemas/policy/events.ts';
import { PolicyGovernanceError } from './governance-errors.ts';

export const BOARD_ROLE = 'ethics_board';

export interface PolicyVersionRecord {
  version: number;
  text: string;
  /** the proposal it came from; null for version 1, the shipped policy */
  proposalId: string | null;
  /** when it became active (the log's time of the activation or baseline entry) */
  activatedAt: string;
}

export interface ProposalDecision {
  decision: 'approved' | 'rejected';
  reason: string;
  decidedBy: PolicyActor;
  decidedAt: string;
}

export interface ProposalRecord {
  proposalId: string;
  basedOn: number;
  text: string;
  rationale: string;
  proposedBy: PolicyActor;
  proposedAt: string;
  decision: ProposalDecision | null;
  /** the version number it became, once activated */
  version: number | null;
}

/** pending: awaiting the board; superseded: another version became active after it was proposed. */
export type ProposalStatus = 'pending' | 'approved' | 'rejected' | 'superseded';

export class PolicyHistory {
  private readonly versionList: PolicyVersionRecord[] = [];
  private readonly proposalMap = new Map<string, ProposalRecord>();

  get active(): PolicyVersionRecord | undefined {
    return this.versionList.at(-1);
  }

  get activeVersion(): number {
    return this.active?.version ?? 0;
  }

  version(number: number): PolicyVersionRecord | undefined {
    return this.versionList[number - 1];
  }

  get versions(): readonly PolicyVersionRecord[] {
    return this.versionList;
  }

  proposal(proposalId: string): ProposalRecord | undefined {
    return this.proposalMap.get(proposalId);
  }

  /** Newest first. */
  proposals(): ProposalRecord[] {
    return [...this.proposalMap.values()].reverse();
  }

  status(proposal: ProposalRecord): ProposalStatus {
    if (proposal.decision?.decision === 'rejected') return 'rejected';
    if (proposal.decision?.decision === 'approved') return 'approved';
    return proposal.basedOn === this.activeVersion ? 'pending' : 'superseded';
  }

  /** An approved proposal not yet activated (the service stopped between the two entries). */
  awaitingActivation(): ProposalRecord | undefined {
    return [...this.proposalMap.values()].find((p) => p.decision?.decision === 'approved' && p.version === null && p.basedOn === this.activeVersion);
  }

  /** Throws PolicyGovernanceError (and changes nothing) if the event breaks a rule. */
  check(event: PolicyEvent): void {
    const refuse = (code: ConstructorParameters<typeof PolicyGovernanceError>[0], detail: string): never => {
      throw new PolicyGovernanceError(code, detail);
    };
    if (event.type === 'baseline') {
      if (this.versionList.length > 0 || this.proposalMap.size > 0) refuse('out_of_order', 'the shipped policy is recorded only as the first entry');
      return;
    }
    if (this.active === undefined) refuse('out_of_order', 'the shipped policy must be recorded first');
    if (event.type === 'proposed') {
      if (this.proposalMap.has(event.proposalId)) refuse('out_of_order', 'a proposal with this id exists');
      if (event.basedOn !== this.activeVersion) refuse('proposal_superseded', 'a proposal is made against the active version');
      return;
    }
    const proposal = this.proposalMap.get(event.proposalId) ?? refuse('unknown_proposal', 'no such proposal');
    if (event.type === 'decided') {
      if (proposal.decision !== null) refuse('proposal_decided', 'the proposal has been decided already');
      if (proposal.basedOn !== this.activeVersion) refuse('proposal_superseded', 'another version became active after this proposal was made; propose again against it');
      if (!event.decidedBy.roles.includes(BOARD_ROLE)) refuse('not_board_member', 'only a member of the ethics board decides on a proposal');
      if (event.decidedBy.accountId === proposal.proposedBy.accountId) refuse('own_proposal', 'the proposer may not decide on their own proposal');
      return;
    }
    if (proposal.decision?.decision !== 'approved') refuse('not_approved', 'only an approved proposal becomes active');
    if (proposal.version !== null) refuse('out_of_order', 'the proposal is active already');
    if (proposal.basedOn !== this.activeVersion) refuse('proposal_superseded', 'another version became active after this proposal was made');
    if (event.version !== this.activeVersion + 1) refuse('out_of_order', 'versions are numbered in order');
  }

  /** Checks, then applies one committed event (with the log's time of it). */
  apply(event: PolicyEvent, at: string): void {
    this.check(event);
    switch (event.type) {
      case 'baseline':
        this.versionList.push({ version: 1, text: event.text, proposalId: null, activatedAt: at });
        return;
      case 'proposed': {
        const { proposalId, basedOn, text, rationale, proposedBy } = event;
        this.proposalMap.set(proposalId, { proposalId, basedOn, text, rationale, proposedBy, proposedAt: at, decision: null, version: null });
        return;
      }
      case 'decided': {
        const proposal = this.proposalMap.get(event.proposalId)!;
        proposal.decision = { decision: event.decision, reason: event.reason, decidedBy: event.decidedBy, decidedAt: at };
        return;
      }
      case 'activated': {
        const proposal = this.proposalMap.get(event.proposalId)!;
        proposal.version = event.version;
        this.versionList.push({ version: event.version, text: proposal.text, proposalId: proposal.proposalId, activatedAt: at });
        return;
      }
    }
  }
}
