// Policy governance: the versions of the access policy, proposals, the ethics board's decisions
// and activations, over the policy book. An approved proposal becomes the next version at once:
// its activation entry is durable first, then the enforcer is swapped, so every decision after
// that is made (and audited) under the new version. Who may call each step is authorize()'s
// decision, taken by the caller before; the rules of governance themselves (only the board
// decides, never on its own proposal, only approved and current proposals become active) hold
// here and in the log's replay whatever the policy says.
import type { PolicyActor } from '../../schemas/policy/events.ts';
import { compilePolicyText, type CompiledPolicy } from '../policy/compiled-policy.ts';
import { PolicyModelError } from '../policy/enforcer.ts';
import { PolicyFileError, parsePolicyText, type PolicyRule } from '../policy/policy-file.ts';
import { PolicyGovernanceError } from './governance-errors.ts';
import { PolicyBook, type PolicyEventStore } from './policy-book.ts';
import { diffPolicies, type PolicyDiff } from './policy-diff.ts';
import type { PolicyHistory, PolicyVersionRecord, ProposalRecord } from './policy-history.ts';
import { replayWhatIf, type RecordedDecision, type WhatIfReport } from './what-if.ts';

/** The vault host, as the proposer of a policy shipped with a new release. */
export const HOST_PROPOSER: PolicyActor = Object.freeze({ accountId: 'host', roles: [] });

export const SHIPPED_UPDATE_RATIONALE =
  'The policy file shipped with this release of GenoVault differs from the active version. Review the difference (and its what-if) before approving it; until then the active version stays in force.';

/** What opening did that the caller should audit. */
export type StartupStep =
  | { step: 'baseline'; version: 1 }
  | { step: 'shipped_update_proposed'; proposalId: string }
  | { step: 'activation_completed'; proposalId: string; version: number };

/** Receives each newly active version: the authorizer. */
export interface PolicySwitch {
  activate(policy: CompiledPolicy): void;
}

export interface GovernanceOptions {
  store: PolicyEventStore;
  /** the policy file shipped with this release: version 1 of a new policy log */
  shippedText: string;
  modelPath?: string;
}

export class PolicyGovernance {
  private target: PolicySwitch | null = null;
  private readonly compiled = new Map<string, Promise<CompiledPolicy>>();
  /** proposals and decisions one at a time: a decision and its activation are never split by another */
  private steps: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly book: PolicyBook,
    private active: CompiledPolicy,
    private readonly modelPath: string | undefined,
    readonly startup: readonly StartupStep[],
  ) {}

  /**
   * Replays the policy log; records the shipped policy as version 1 if the log is new; completes
   * an activation a stop interrupted; proposes the shipped policy for review if a new release
   * ships a different one. Throws if the active version no longer reads (the vault must not
   * start on a policy it cannot enforce).
   */
  static async open(options: GovernanceOptions): Promise<PolicyGovernance> {
    const book = await PolicyBook.open(options.store);
    const steps: StartupStep[] = [];
    if (book.history.active === undefined) {
      await book.recordBaseline(options.shippedText);
      steps.push({ step: 'baseline', version: 1 });
    }
    const interrupted = book.history.awaitingActivation();
    if (interrupted) {
      const version = await book.activate(interrupted.proposalId);
      steps.push({ step: 'activation_completed', proposalId: interrupted.proposalId, version: version.version });
    }
    const record = book.history.active!;
    const active = await compilePolicyText(record.text, { version: record.version, source: `policy version ${record.version}`, ...(options.modelPath !== undefined && { modelPath: options.modelPath }) });
    const governance = new PolicyGovernance(book, active, options.modelPath, steps);
    const proposed = await governance.proposeShippedUpdate(options.shippedText);
    if (proposed) steps.push({ step: 'shipped_update_proposed', proposalId: proposed.proposalId });
    return governance;
  }

  /** The authorizer that enforces the active version; it receives every version activated from now on. */
  attach(target: PolicySwitch): void {
    this.target = target;
    target.activate(this.active);
  }

  get activePolicy(): CompiledPolicy {
    return this.active;
  }

  get history(): PolicyHistory {
    return this.book.history;
  }

  /** The rules of a version or a proposal's text, as reviewers read them. */
  rulesOf(text: string): PolicyRule[] {
    return parsePolicyText(text, 'policy');
  }

  /** A privacy officer's or administrator's proposal: checked line by line and against the model, then recorded. */
  propose(input: { text: string; rationale: string; proposedBy: PolicyActor }): Promise<{ proposal: ProposalRecord; diff: PolicyDiff }> {
    return this.oneAtATime(() => this.recordProposal(input));
  }

  private async recordProposal(input: { text: string; rationale: string; proposedBy: PolicyActor }): Promise<{ proposal: ProposalRecord; diff: PolicyDiff }> {
    const base = this.active;
    if (input.text === this.history.version(base.version)?.text) throw new PolicyGovernanceError('policy_unchanged', 'the proposal is the active version as it stands');
    const checked = await this.check(input.text, base.version + 1);
    const proposal = await this.book.propose({ ...input, basedOn: base.version });
    this.compiled.set(proposal.proposalId, Promise.resolve(checked));
    return { proposal, diff: diffPolicies(base.rules, checked.rules) };
  }

  /** What the proposal changes against the version it was made for. */
  diffOf(proposal: ProposalRecord): PolicyDiff {
    const base = this.history.version(proposal.basedOn);
    return diffPolicies(base ? this.rulesOf(base.text) : [], this.rulesOf(proposal.text));
  }

  proposal(proposalId: string): ProposalRecord {
    const proposal = this.history.proposal(proposalId);
    if (!proposal) throw new PolicyGovernanceError('unknown_proposal', 'no such proposal');
    return proposal;
  }

  /** The proposal ready to decide (for what-if and explain), numbered as the version it would become. */
  compiledProposal(proposalId: string): Promise<CompiledPolicy> {
    const proposal = this.proposal(proposalId);
    let compiled = this.compiled.get(proposalId);
    if (!compiled) {
      compiled = this.check(proposal.text, proposal.basedOn + 1);
      this.compiled.set(proposalId, compiled);
      compiled.catch(() => this.compiled.delete(proposalId));
    }
    return compiled;
  }

  /** Replays the audited decisions of the last 30 days under the active version and the proposal. */
  async whatIf(proposalId: string, records: Iterable<RecordedDecision>, until?: number): Promise<WhatIfReport> {
    const proposed = await this.compiledProposal(proposalId);
    return replayWhatIf({ records, active: this.active, proposed, ...(until !== undefined && { until }) });
  }

  /**
   * A board member's decision. Approval activates the proposal as the next version: the
   * decision, then the activation, are durable before the new version decides anything.
   */
  decide(input: { proposalId: string; decision: 'approved' | 'rejected'; reason: string; decidedBy: PolicyActor }): Promise<{ proposal: ProposalRecord; activated: PolicyVersionRecord | null }> {
    return this.oneAtATime(() => this.recordDecision(input));
  }

  private async recordDecision(input: { proposalId: string; decision: 'approved' | 'rejected'; reason: string; decidedBy: PolicyActor }): Promise<{ proposal: ProposalRecord; activated: PolicyVersionRecord | null }> {
    const ready = input.decision === 'approved' ? await this.compiledProposal(input.proposalId) : null;
    const proposal = await this.book.decide(input);
    if (ready === null) return { proposal, activated: null };
    const activated = await this.book.activate(proposal.proposalId);
    if (activated.version !== ready.version) throw new Error(`policy version ${activated.version} activated, ${ready.version} expected`);
    this.active = ready;
    this.target?.activate(ready);
    return { proposal, activated };
  }

  /**
   * A release whose policy file differs from every one seen before gets it proposed, once: not
   * when it is the file the vault started with, nor when the board has it before them or has
   * decided on it (unless another version overtook that proposal: then it is proposed afresh).
   */
  private async proposeShippedUpdate(shippedText: string): Promise<ProposalRecord | null> {
    const { history } = this;
    if (shippedText === history.active?.text || shippedText === history.version(1)?.text) return null;
    const sameText = history.proposals().filter((p) => p.text === shippedText);
    if (sameText.some((p) => history.status(p) !== 'superseded')) return null;
    const { proposal } = await this.recordProposal({ text: shippedText, rationale: SHIPPED_UPDATE_RATIONALE, proposedBy: HOST_PROPOSER });
    return proposal;
  }

  private oneAtATime<T>(task: () => Promise<T>): Promise<T> {
    const next = this.steps.then(task, task);
    this.steps = next.catch(() => undefined);
    return next;
  }

  /** Parses and builds the enforcer; a mistake becomes invalid_policy naming the line and column, never the text. */
  private async check(text: string, version: number): Promise<CompiledPolicy> {
    try {
      return await compilePolicyText(text, { version, source: 'proposal', ...(this.modelPath !== undefined && { modelPath: this.modelPath }) });
    } catch (err) {
      if (err instanceof PolicyFileError) throw new PolicyGovernanceError('invalid_policy', `line ${err.line}: ${err.problem}`, { line: err.line, field: err.field });
      if (err instanceof PolicyModelError) throw new PolicyGovernanceError('invalid_policy', 'the rules do not load into the access model', { line: 1, field: 'line' });
      throw err;
    }
  }
}
