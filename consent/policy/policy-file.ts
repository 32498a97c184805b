// Reads the human-readable policy file the ethics board reviews. casbin's own CSV reader skips
// `#` lines too, but it accepts any value in any column; we read the file ourselves so every
// line is checked against the vocabulary and a mistake names its line.
import { readFile } from 'node:fs/promises';
import {
  ACTIONS,
  EFFECTS,
  PURPOSES,
  RELATIONS,
  RESOURCES,
  ROLES,
  WILDCARD,
  isOneOf,
  type Action,
  type Effect,
  type Purpose,
  type Relation,
  type Resource,
  type Role,
} from './vocabulary.ts';

export interface PolicyRule {
  /** stable name, quoted in decisions and audit entries */
  id: string;
  role: Role;
  resource: Resource | typeof WILDCARD;
  action: Action | typeof WILDCARD;
  purpose: Purpose | typeof WILDCARD;
  relation: Relation;
  effect: Effect;
  /** 1-based line in the policy file, for reviewers */
  line: number;
}

/** The columns of a `p` line, in order (the model's `policy_definition` must match). */
export const RULE_COLUMNS = ['id', 'role', 'resource', 'action', 'purpose', 'relation', 'effect'] as const;

/**
 * A policy line that cannot be read. `message` quotes the offending word, for whoever edits the
 * file on the host; `field` (the column, or `line`) and `problem` never repeat the text, so a
 * proposal submitted over the API can be answered without echoing what was sent.
 */
export class PolicyFileError extends Error {
  readonly code = 'policy_file_invalid';
  readonly problem: string;
  constructor(
    readonly source: string,
    readonly line: number,
    detail: string,
    readonly field = 'line',
    problem?: string,
  ) {
    super(`${source}, line ${line}: ${detail}`);
    this.name = 'PolicyFileError';
    this.problem = problem ?? detail;
  }
}

const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export async function loadPolicyFile(path: string): Promise<PolicyRule[]> {
  const text = await readFile(path, 'utf8');
  return parsePolicyText(text, path);
}

export function parsePolicyText(text: string, source = 'policy'): PolicyRule[] {
  const rules: PolicyRule[] = [];
  const seenIds = new Map<string, number>();
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const content = raw.trim();
    if (content === '' || content.startsWith('#')) return;
    const rule = parseRuleLine(content, source, line);
    const earlier = seenIds.get(rule.id);
    if (earlier !== undefined) throw new PolicyFileError(source, line, `rule id "${rule.id}" is used twice`, 'id', `this rule id is used twice (first on line ${earlier})`);
    seenIds.set(rule.id, line);
    rules.push(rule);
  });
  if (rules.length === 0) throw new PolicyFileError(source, 1, 'the policy holds no rules');
  return rules;
}

function parseRuleLine(content: string, source: string, line: number): PolicyRule {
  /** `problem` says what is wrong without the text; `detail`, for the file's own editor, may quote it. */
  const fail = (problem: string, field = 'line', detail = problem): never => {
    throw new PolicyFileError(source, line, detail, field, problem);
  };
  // Reviewers read each line as it stands: no quoting, no trailing remarks to misread.
  if (content.includes('#')) fail('comments must stand on their own line, starting with #');
  if (content.includes('"')) fail('quotes are not allowed in policy lines');
  const [kind, ...fields] = content.split(',').map((field) => field.trim());
  if (kind !== 'p') fail('a rule line starts with "p"', 'line', `a rule line starts with "p", found "${kind ?? ''}"`);
  if (fields.length !== RULE_COLUMNS.length) {
    fail(`expected ${RULE_COLUMNS.length} columns (${RULE_COLUMNS.join(', ')}), found ${fields.length}`);
  }
  const [id = '', role = '', resource = '', action = '', purpose = '', relation = '', effect = ''] = fields;
  const pick = <T extends string>(column: string, value: string, list: readonly T[], wildcard: boolean): T | '*' => {
    if (wildcard && value === WILDCARD) return WILDCARD;
    if (isOneOf(list, value)) return value;
    const expected = `expected one of: ${[...list, ...(wildcard ? [WILDCARD] : [])].join(', ')}`;
    return fail(`unknown ${column} (${expected})`, column, `unknown ${column} "${value}" (${expected})`);
  };
  if (!RULE_ID.test(id)) fail('the rule id must be lower-case words joined by hyphens', 'id', `rule id "${id}" must be lower-case words joined by hyphens`);
  const rule: PolicyRule = {
    id,
    role: pick('role', role, ROLES, false) as Role,
    resource: pick('resource', resource, RESOURCES, true),
    action: pick('action', action, ACTIONS, true),
    purpose: pick('purpose', purpose, PURPOSES, true),
    relation: pick('relation', relation, RELATIONS, false) as Relation,
    effect: pick('effect', effect, EFFECTS, false) as Effect,
    line,
  };
  // A permit must say what data and why; only refusals may cover every resource or purpose.
  if (rule.effect === 'allow' && rule.purpose === WILDCARD) fail('an allow rule must name one purpose, not *', 'purpose');
  if (rule.effect === 'allow' && rule.resource === WILDCARD) fail('an allow rule must name one resource, not *', 'resource');
  return rule;
}

/** The rule as its policy line reads (`p, id, role, ...`), the form decisions and audit quote. */
export function formatRuleLine(rule: PolicyRule): string {
  return ['p', ...RULE_COLUMNS.map((column) => rule[column])].join(', ');
}

/** The rule's columns in model order, as casbin stores a policy line. */
export function ruleValues(rule: PolicyRule): string[] {
  return RULE_COLUMNS.map((column) => rule[column]);
}
