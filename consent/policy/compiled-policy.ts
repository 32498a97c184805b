// One version of the access policy, ready to decide: its checked rules and the casbin enforcer
// built from them. A compiled policy never changes; switching versions means handing the
// authorizer another one (authorize.ts), so a decision always knows which version made it.
import { fileURLToPath } from 'node:url';
import type { Enforcer } from 'casbin';
import { buildEnforcer } from './enforcer.ts';
import { loadPolicyFile, parsePolicyText, type PolicyRule } from './policy-file.ts';

export const DEFAULT_MODEL_PATH = fileURLToPath(new URL('./model.conf', import.meta.url));
/** The policy file shipped with GenoVault: version 1 of every new vault. */
export const DEFAULT_POLICY_PATH = fileURLToPath(new URL('./policy.csv', import.meta.url));

export interface CompiledPolicy {
  /** the version number in the vault's policy history (1 = the shipped file) */
  readonly version: number;
  readonly rules: readonly PolicyRule[];
  readonly rulesById: ReadonlyMap<string, PolicyRule>;
  /** every rule */
  readonly enforcer: Enforcer;
  /**
   * Per role, an enforcer holding only that role's rules, in file order. casbin tries every
   * line on every request (measured ~7 µs a line); most users hold one role, whose lines are a
   * few of the whole file, and no other role's line can match them (`hasRole`).
   */
  readonly enforcerByRole: ReadonlyMap<string, Enforcer>;
}

export async function compilePolicy(rules: readonly PolicyRule[], options: { version: number; modelPath?: string }): Promise<CompiledPolicy> {
  const frozen = Object.freeze(rules.map((rule) => Object.freeze({ ...rule })));
  const modelPath = options.modelPath ?? DEFAULT_MODEL_PATH;
  const enforcer = await buildEnforcer(modelPath, frozen);
  const enforcerByRole = new Map<string, Enforcer>();
  for (const role of new Set(frozen.map((rule) => rule.role))) {
    enforcerByRole.set(role, await buildEnforcer(modelPath, frozen.filter((rule) => rule.role === role)));
  }
  return Object.freeze({ version: options.version, rules: frozen, rulesById: new Map(frozen.map((rule) => [rule.id, rule])), enforcer, enforcerByRole });
}

/** Parses a policy text (PolicyFileError names the line) and builds its enforcer (PolicyModelError). */
export async function compilePolicyText(text: string, options: { version: number; source?: string; modelPath?: string }): Promise<CompiledPolicy> {
  return compilePolicy(parsePolicyText(text, options.source ?? 'policy'), options);
}

export async function compilePolicyFile(path: string, options: { version: number; modelPath?: string }): Promise<CompiledPolicy> {
  return compilePolicy(await loadPolicyFile(path), options);
}
