// Builds the casbin enforcer from the model file and the checked policy rules.
import { readFile } from 'node:fs/promises';
import { newEnforcer, newModelFromString, setLogger, type Enforcer, type Logger } from 'casbin';
import { registerMatcherFunctions } from './matcher-functions.ts';
import { RULE_COLUMNS, ruleValues, type PolicyRule } from './policy-file.ts';

export class PolicyModelError extends Error {
  readonly code = 'policy_model_invalid';
  constructor(
    readonly source: string,
    detail: string,
  ) {
    super(`${source}: ${detail}`);
    this.name = 'PolicyModelError';
  }
}

/**
 * casbin prints every request's values when its logger is on, and a request carries patient
 * ids. Its default logger is process-wide and anyone may switch it on, so we replace it with
 * one that cannot be switched on at all.
 */
class SilentLogger implements Logger {
  enableLog(): void {}
  isEnable(): boolean {
    return false;
  }
  print(): void {}
  printf(): void {}
}

export function silenceCasbinLogger(): void {
  setLogger(new SilentLogger());
}

/** The request and policy columns the matcher functions and the rule loader rely on. */
const EXPECTED_REQUEST = ['r_sub', 'r_pat', 'r_res', 'r_act', 'r_pur'];
const EXPECTED_POLICY = ['p_id', 'p_role', 'p_res', 'p_act', 'p_pur', 'p_rel', 'p_eft'];

function checkModelShape(enforcer: Enforcer, source: string): void {
  const model = enforcer.getModel().model;
  const requestTokens = model.get('r')?.get('r')?.tokens ?? [];
  const policyTokens = model.get('p')?.get('p')?.tokens ?? [];
  if (requestTokens.join(',') !== EXPECTED_REQUEST.join(',')) {
    throw new PolicyModelError(source, `request_definition must be "r = sub, pat, res, act, pur"`);
  }
  // The policy columns follow the policy file's column order (id, role, resource, ...).
  if (policyTokens.length !== RULE_COLUMNS.length || policyTokens.join(',') !== EXPECTED_POLICY.join(',')) {
    throw new PolicyModelError(source, `policy_definition must be "p = id, role, res, act, pur, rel, eft"`);
  }
  if (!model.get('m')?.get('m')?.value) throw new PolicyModelError(source, 'the model has no matcher');
}

export async function buildEnforcer(modelPath: string, rules: readonly PolicyRule[]): Promise<Enforcer> {
  silenceCasbinLogger();
  const modelText = await readFile(modelPath, 'utf8');
  let enforcer: Enforcer;
  try {
    enforcer = await newEnforcer(newModelFromString(modelText));
  } catch (error) {
    throw new PolicyModelError(modelPath, `casbin could not read the model (${(error as Error).message})`);
  }
  enforcer.enableLog(false);
  checkModelShape(enforcer, modelPath);
  await registerMatcherFunctions(enforcer);
  // The rules come from our own checked reader, never from casbin's file adapter, so the
  // enforcer holds exactly what the reviewers read.
  if (!(await enforcer.addPolicies(rules.map(ruleValues)))) {
    throw new PolicyModelError(modelPath, 'casbin refused the policy rules (duplicate lines?)');
  }
  return enforcer;
}
