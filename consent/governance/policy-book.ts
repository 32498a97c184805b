// The policy log as a book of versions and proposals. Every step is an event appended to a
// sealed, hash-chained store (the vault backs it with its sealed log); the history is derived by
// replay and checked by the same rules on the way in and on the way back (policy-history.ts).
// Steps run one at a time, so two decisions cannot both pass the checks.
import { randomBytes } from 'node:crypto';
import { PolicyEventSchema, type PolicyActor, type PolicyEvent } from '../../schemas/policy/events.ts';
import { PolicyGovernanceError, PolicyLogError } from './governance-errors.ts';
import { PolicyHistory, type PolicyVersionRecord, type ProposalRecord } from './policy-history.ts';

export interface StoredPolicyEvent {
  seq: number;
  /** ISO time at which the log committed the entry: the step's "when" */
  at: string;
  hash: string;
  body: PolicyEvent;
}

/** Where the policy events live: the vault's `SealedAppendLog<PolicyEvent>` fits as it is. */
export interface PolicyEventStore {
  /** Appends; resolves once the event is durable. */
  append(event: PolicyEvent): Promise<StoredPolicyEvent>;
  /** Every committed event, in order. */
  entries(): AsyncIterable<StoredPolicyEvent>;
}

export function newProposalId(): string {
  return `pp_${randomBytes(8).toString('hex')}`;
}

export class PolicyBook {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly store: PolicyEventStore,
    readonly history: PolicyHistory,
  ) {}

  /** Replays the store; refuses to open (PolicyLogError) if an entry breaks the rules. */
  static async open(store: PolicyEventStore): Promise<PolicyBook> {
    const history = new PolicyHistory();
    for await (const stored of store.entries()) {
      const parsed = PolicyEventSchema.safeParse(stored.body);
      if (!parsed.success) throw new PolicyLogError(stored.seq, `the entry does not match the policy event schema (${parsed.error.issues[0]?.path.join('.') ?? 'entry'})`);
      try {
        history.apply(parsed.data, stored.at);
      } catch (err) {
        if (err instanceof PolicyGovernanceError) throw new PolicyLogError(stored.seq, `the entry breaks the governance rules (${err.code})`);
        throw err;
      }
    }
    return new PolicyBook(store, history);
  }

  recordBaseline(text: string): Promise<PolicyVersionRecord> {
    return this.step({ type: 'baseline', version: 1, text }, () => this.history.active!);
  }

  /** `basedOn`: the version the proposal was checked and compared against; it must still be active. */
  propose(input: { basedOn: number; text: string; rationale: string; proposedBy: PolicyActor }): Promise<ProposalRecord> {
    const proposalId = newProposalId();
    return this.step({ type: 'proposed', proposalId, ...input }, () => this.history.proposal(proposalId)!);
  }

  decide(input: { proposalId: string; decision: 'approved' | 'rejected'; reason: string; decidedBy: PolicyActor }): Promise<ProposalRecord> {
    return this.step({ type: 'decided', ...input }, () => this.history.proposal(input.proposalId)!);
  }

  activate(proposalId: string): Promise<PolicyVersionRecord> {
    return this.step(
      { type: 'activated', proposalId, version: this.history.activeVersion + 1 },
      () => this.history.active!,
      () => ({ type: 'activated', proposalId, version: this.history.activeVersion + 1 }),
    );
  }

  /**
   * Runs after every earlier step: checks the event against the history as it then stands,
   * appends it durably, applies it. `fresh` rebuilds an event whose content depends on the
   * history (the active version), once the earlier steps are done.
   */
  private step<T>(event: PolicyEvent, result: () => T, fresh?: () => PolicyEvent): Promise<T> {
    const run = async (): Promise<T> => {
      const current = fresh ? fresh() : event;
      const checked = PolicyEventSchema.parse(current);
      this.history.check(checked);
      const stored = await this.store.append(checked);
      this.history.apply(checked, stored.at);
      return result();
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
