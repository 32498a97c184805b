// A decision explained for the ethics board and auditors: permit or deny, the rule that decided
// (its line and plain words) and one sentence, under a given policy version. It calls the same
// decideUnder() as authorize(), so the explanation is the decision authorize() would take.
import type { CompiledPolicy } from '../policy/compiled-policy.ts';
import { decideUnder, type DecisionInput } from '../policy/decide.ts';
import { explain } from '../policy/explain.ts';
import { basesOfRelation, type RelationSnapshot } from '../policy/relationship-facts.ts';
import type { ConsentBasis } from '../policy/consent-facts.ts';
import { ruleView, type RuleView } from './policy-diff.ts';

export interface ExplainedDecision {
  decision: 'permit' | 'deny';
  /** permitted only through a break-glass grant (flagged for review) */
  breakGlass: boolean;
  rule: RuleView | null;
  explanation: string;
  /** what a permit rested on in the patient's consents: each directive (and version), or the hospital default */
  consentBasis: ConsentBasis[];
}

/** `bases`: what each consent fact that holds rests on, when the facts were looked up (none when given). */
export function explainDecision(policy: CompiledPolicy, input: DecisionInput, relations: RelationSnapshot, bases: readonly ConsentBasis[] = []): ExplainedDecision {
  const verdict = decideUnder(policy, input, relations);
  const consentBasis = verdict.allowed && verdict.rule ? basesOfRelation(verdict.rule.relation, bases) : [];
  return {
    decision: verdict.allowed ? 'permit' : 'deny',
    breakGlass: verdict.breakGlass,
    rule: verdict.rule === null ? null : ruleView(verdict.rule),
    explanation: explain({ subject: { roles: input.roles }, resource: input.resource, action: input.action, purpose: input.purpose }, verdict) + basisSentence(consentBasis),
    consentBasis,
  };
}

/** " It rested on directive cd_… (version 2)." or on the hospital default; nothing when no consent was needed. */
function basisSentence(bases: readonly ConsentBasis[]): string {
  if (bases.length === 0) return '';
  const named = bases.map((b) => ('directiveId' in b ? `directive ${b.directiveId} (version ${b.version})` : 'the hospital default (no directive recorded)'));
  return ` It rested on ${[...new Set(named)].join(' and ')}.`;
}
