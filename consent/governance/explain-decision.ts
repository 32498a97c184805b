// A decision explained for the ethics board and auditors: permit or deny, the rule that decided
// (its line and plain words) and one sentence, under a given policy version. It calls the same
// decideUnder() as authorize(), so the explanation is the decision authorize() would take.
import type { CompiledPolicy } from '../policy/compiled-policy.ts';
import { decideUnder, isWrittenFor, type DecisionInput } from '../policy/decide.ts';
import { explain } from '../policy/explain.ts';
import { basesOfRelation, type RelationSnapshot } from '../policy/relationship-facts.ts';
import type { ConsentBar, ConsentBasis } from '../policy/consent-facts.ts';
import { FACTS, RELATION_FACTS, type RelationFact } from '../policy/vocabulary.ts';
import { ruleView, type RuleView } from './policy-diff.ts';

export interface ExplainedDecision {
  decision: 'permit' | 'deny';
  /** permitted only through a break-glass grant (flagged for review) */
  breakGlass: boolean;
  rule: RuleView | null;
  explanation: string;
  /** what a permit rested on in the patient's consents: each directive (and version), or the hospital default */
  consentBasis: ConsentBasis[];
  /** for a refusal: the directives (or the hospital default) that kept a rule for this request from applying, and why */
  consentBars: ConsentBar[];
}

/** The looked-up facts: what consent facts rest on, and what keeps others from holding. */
export interface ConsentGrounds {
  bases: readonly ConsentBasis[];
  bars: readonly ConsentBar[];
}

/** `grounds`: what the looked-up consent facts rest on (none when the facts were given). */
export function explainDecision(policy: CompiledPolicy, input: DecisionInput, relations: RelationSnapshot, grounds: ConsentGrounds = { bases: [], bars: [] }): ExplainedDecision {
  const verdict = decideUnder(policy, input, relations);
  const consentBasis = verdict.allowed && verdict.rule ? basesOfRelation(verdict.rule.relation, grounds.bases) : [];
  const consentBars = verdict.allowed ? [] : barsOfCandidates(policy, input, relations, grounds.bars);
  return {
    decision: verdict.allowed ? 'permit' : 'deny',
    breakGlass: verdict.breakGlass,
    rule: verdict.rule === null ? null : ruleView(verdict.rule),
    explanation: explain({ subject: { roles: input.roles }, resource: input.resource, action: input.action, purpose: input.purpose }, verdict) + basisSentence(consentBasis) + barSentence(consentBars),
    consentBasis,
    consentBars,
  };
}

/**
 * The facts any rule written for this request (its roles, resource, action, purpose; allow or
 * deny) reads: all an explanation needs to show of how the person relates to the patient.
 */
export function factsReadFor(policy: CompiledPolicy, input: DecisionInput): RelationFact[] {
  const read = new Set<RelationFact>();
  for (const rule of policy.rules) {
    if (!isWrittenFor(rule, input)) continue;
    RELATION_FACTS[rule.relation].forEach((fact) => read.add(fact));
  }
  return FACTS.filter((fact) => read.has(fact));
}

/**
 * The allow rules written for this request (role, resource, action, purpose) whose relation did
 * not hold, and among the consent facts they needed, the ones a directive (or the default) kept false.
 */
function barsOfCandidates(policy: CompiledPolicy, input: DecisionInput, relations: RelationSnapshot, bars: readonly ConsentBar[]): ConsentBar[] {
  const missing = new Set<string>();
  for (const rule of policy.rules) {
    if (rule.effect !== 'allow' || !isWrittenFor(rule, input)) continue;
    const needed: readonly string[] = RELATION_FACTS[rule.relation];
    const unmet = needed.filter((fact) => relations[fact as keyof RelationSnapshot] !== true);
    // only a rule that nothing but consent facts kept from applying points at a directive
    if (unmet.length > 0 && unmet.every((fact) => bars.some((b) => b.fact === fact))) unmet.forEach((fact) => missing.add(fact));
  }
  return bars.filter((b) => missing.has(b.fact));
}

/** " Refused because of directive cd_… (version 2): clinical_use_denied." */
function barSentence(bars: readonly ConsentBar[]): string {
  if (bars.length === 0) return '';
  const named = bars.map((b) => ('directiveId' in b ? `directive ${b.directiveId} (version ${b.version}): ${b.defects.join(', ')}` : 'the hospital default (no directive recorded), which does not permit it'));
  return ` It was kept from applying by ${[...new Set(named)].join('; ')}.`;
}

/** " It rested on directive cd_… (version 2)." or on the hospital default; nothing when no consent was needed. */
function basisSentence(bases: readonly ConsentBasis[]): string {
  if (bases.length === 0) return '';
  const named = bases.map((b) => ('directiveId' in b ? `directive ${b.directiveId} (version ${b.version})` : 'the hospital default (no directive recorded)'));
  return ` It rested on ${[...new Set(named)].join(' and ')}.`;
}
