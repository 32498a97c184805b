// What a proposal changes, rule by rule: rules added, removed and changed, matched by rule id
// (a rule that only moved to another line is unchanged). Each rule is shown as its line and its
// plain-words sentence, as the board reads it.
import { describeRule } from '../policy/explain.ts';
import { RULE_COLUMNS, formatRuleLine, type PolicyRule } from '../policy/policy-file.ts';

export interface RuleView {
  id: string;
  /** the line in its policy text */
  line: number;
  /** the rule as written (`p, id, role, ...`) */
  text: string;
  /** the rule in plain words */
  sentence: string;
  effect: 'allow' | 'deny';
}

export function ruleView(rule: PolicyRule): RuleView {
  return { id: rule.id, line: rule.line, text: formatRuleLine(rule), sentence: describeRule(rule), effect: rule.effect };
}

export interface PolicyDiff {
  added: RuleView[];
  removed: RuleView[];
  changed: { id: string; before: RuleView; after: RuleView }[];
  /** rules the same in both (wherever they stand) */
  unchanged: number;
}

const sameRule = (a: PolicyRule, b: PolicyRule) => RULE_COLUMNS.every((column) => a[column] === b[column]);

export function diffPolicies(before: readonly PolicyRule[], after: readonly PolicyRule[]): PolicyDiff {
  const beforeById = new Map(before.map((rule) => [rule.id, rule]));
  const afterIds = new Set(after.map((rule) => rule.id));
  const diff: PolicyDiff = { added: [], removed: [], changed: [], unchanged: 0 };
  for (const rule of after) {
    const old = beforeById.get(rule.id);
    if (old === undefined) diff.added.push(ruleView(rule));
    else if (sameRule(old, rule)) diff.unchanged += 1;
    else diff.changed.push({ id: rule.id, before: ruleView(old), after: ruleView(rule) });
  }
  for (const rule of before) if (!afterIds.has(rule.id)) diff.removed.push(ruleView(rule));
  return diff;
}
