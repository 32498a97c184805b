// The access policy's versions live in the vault: a sealed, hash-chained log of policy events
// (proposals, the ethics board's decisions, activations). This opens it, hands it to policy
// governance (which records the shipped policy as version 1 on a vault that has none yet), and
// audits, as the host, what opening did. It also reads the audit log back as the recorded
// decisions a what-if replays.
import { readFile } from 'node:fs/promises';
import type { PolicyEvent } from '../../schemas/policy/events.ts';
import { DEFAULT_POLICY_PATH } from '../../consent/policy/compiled-policy.ts';
import { PolicyGovernance, type StartupStep } from '../../consent/governance/policy-governance.ts';
import { WHAT_IF_DAYS, type RecordedDecision } from '../../consent/governance/what-if.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { SealedAppendLog } from '../log/sealed-append-log.ts';
import { HOST_ACTOR } from '../identity/principal.ts';
import { recordOutcome } from './audit-outcome.ts';

export const POLICY_LOG_ID = 'policy';

export interface PolicyLogOptions {
  path: string;
  key: Uint8Array;
  audit: AuditLog;
  /** the policy file this release ships (tests may ship another) */
  shippedPolicyPath?: string;
}

export async function openPolicyGovernance(options: PolicyLogOptions): Promise<{ governance: PolicyGovernance; close: () => Promise<void> }> {
  const log = await SealedAppendLog.open<PolicyEvent>(options.path, { key: options.key, logId: POLICY_LOG_ID });
  try {
    const shippedText = await readFile(options.shippedPolicyPath ?? DEFAULT_POLICY_PATH, 'utf8');
    const governance = await PolicyGovernance.open({ store: log, shippedText });
    for (const step of governance.startup) await auditStartup(options.audit, step);
    return { governance, close: () => log.close() };
  } catch (err) {
    await log.close();
    throw err;
  }
}

function auditStartup(audit: AuditLog, step: StartupStep): Promise<void> {
  const base = { requestId: null, actor: HOST_ACTOR as typeof HOST_ACTOR, resource: 'policy', decision: 'success' as const };
  switch (step.step) {
    case 'baseline':
      return recordOutcome(audit, { ...base, action: 'policy.baseline', reason: 'shipped_policy_recorded', counts: { version: 1 } });
    case 'shipped_update_proposed':
      return recordOutcome(audit, { ...base, action: 'policy.propose', reason: 'shipped_policy_differs', targetId: step.proposalId, flagged: true });
    case 'activation_completed':
      return recordOutcome(audit, { ...base, action: 'policy.activate', reason: 'interrupted_activation_completed', targetId: step.proposalId, counts: { version: step.version } });
  }
}

/** The authorization decisions audited in the what-if window, newest first, as the replay reads them. */
export function *recordedDecisions(audit: AuditLog, until = Date.now()): Generator<RecordedDecision> {
  for (const { seq, at, body } of audit.newestSince(until - WHAT_IF_DAYS * 86_400_000)) {
    if (body.decision !== 'permit' && body.decision !== 'deny') continue;
    yield {
      seq, at, requestId: body.requestId, actorId: body.actorId, roles: body.actorRoles, patientId: body.patientId,
      resource: body.resource, action: body.action, purpose: body.purpose, decision: body.decision,
      policyVersion: body.policyVersion ?? null, relations: body.relations ?? null,
    };
  }
}
