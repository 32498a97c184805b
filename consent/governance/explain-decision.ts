// A decision explained for the ethics board and auditors: permit or deny, the rule that decided
// (its line and plain words) and one sentence, under a given policy version. It calls the same
// decideUnder() as authorize(), so the explanation is the decision authorize() would take.
import type { CompiledPolicy } from '../policy/compiled-policy.ts';
import { decideUnder, type DecisionInput } from '../policy/decide.ts';
import { explain } from '../policy/explain.ts';
import type { RelationSnapshot } from '../policy/relationship-facts.ts';
import { ruleView, type RuleView } from './policy-diff.ts';

export interface ExplainedDecision {
  decision: 'permit' | 'deny';
  /** permitted only through a break-glass grant (flagged for review) */
  breakGlass: boolean;
  rule: RuleView | null;
  explanation: string;
}

export function explainDecision(policy: CompiledPolicy, input: DecisionInput, relations: RelationSnapshot): ExplainedDecision {
  const verdict = decideUnder(policy, input, relations);
  return {
    decision: verdict.allowed ? 'permit' : 'deny',
    breakGlass: verdict.breakGlass,
    rule: verdict.rule === null ? null : ruleView(verdict.rule),
    explanation: explain({ subject: { roles: input.roles }, resource: input.resource, action: input.action, purpose: input.purpose }, verdict),
  };
}
