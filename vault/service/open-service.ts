// The composition root: opens the vault and every part the service needs, wired together,
// from the one Config. The HTTP routes and the CLI get this object; nothing is global.
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Config } from '../../schemas/config.ts';
import { masterKeyFinder, resolveMasterKey } from '../crypto/resolve-master-key.ts';
import { Vault, readVaultInfo } from '../store/vault.ts';
import { openQueries, type PatientQueries } from '../store/patient-queries.ts';
import { SealedAppendLog } from '../log/sealed-append-log.ts';
import { AuditLog } from '../audit/audit-log.ts';
import { IdentityService, openAccountLog } from '../identity/identity-service.ts';
import { identityOptionsOf } from './identity-options.ts';
import { HOST_ACTOR } from '../identity/principal.ts';
import { ClinicalStore } from '../clinical/clinical-store.ts';
import type { ClinicalEvent } from '../clinical/clinical-events.ts';
import { createAuthorizer, type Authorizer } from '../../consent/policy/authorize.ts';
import type { RelationshipFacts } from '../../consent/policy/relationship-facts.ts';
import type { PolicyGovernance } from '../../consent/governance/policy-governance.ts';
import { openPolicyGovernance } from './policy-log.ts';
import { ConsentLedger } from '../../consent/ledger/consent-ledger.ts';
import type { ConsentEvent } from '../../schemas/consent/events.ts';
import { consentStateOf, currentResearchConsents, type ConsentParts, type ResearchConsentEntry } from './consent-state.ts';
import type { ResearchGateway } from '../../research-gateway/gateway.ts';
import { openResearch, type ResearchPurposeSource } from './research-service.ts';

import { CONSENT_LOG_ID, LOG_KEYS, logPath } from '../log/log-files.ts';

export { LOG_KEYS, logPath };

export interface VaultService {
  config: Config;
  vault: Vault;
  queries: PatientQueries;
  clinical: ClinicalStore;
  identity: IdentityService;
  audit: AuditLog;
  /** the consent ledger: every patient's directives, on the sealed consent log */
  consents: ConsentLedger;
  authorizer: Authorizer;
  /** the relationship facts authorize() reads, looked up fresh on every call (also for explanations) */
  facts: RelationshipFacts;
  /** the policy's versions, proposals and the board's decisions; swaps the authorizer's version on approval */
  governance: PolicyGovernance;
  /** research projects, cohort queries and the Beacon */
  research: ResearchGateway;
  now: () => number;
  /** every patient's research scope in force now (for the research gateway's cohorts) */
  researchConsents(): ResearchConsentEntry[];
  close(): Promise<void>;
}

export interface ServiceOptions {
  now?: () => number;
  /** lower scrypt cost in tests only */
  scrypt?: { log2N: number; r: number; p: number };
  /** benchmark baseline only: decisions are not written to the audit log */
  unauditedForBenchmark?: boolean;
  /** tests only: the policy file this release ships, instead of consent/policy/policy.csv */
  shippedPolicyPath?: string;
}

export async function openVaultService(config: Config, options: ServiceOptions = {}): Promise<VaultService> {
  const now = options.now ?? Date.now;
  await readVaultInfo(config.dataDir);
  const vault = await Vault.open(config.dataDir, await resolveMasterKey(config), { write: true, findKey: masterKeyFinder(config) });
  const closers: (() => Promise<void>)[] = [() => vault.close()];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  };
  try {
    const [clinicalKey, accountsKey, auditKey, consentKey, policyKey] = await vault.namedKeys([LOG_KEYS.clinical, LOG_KEYS.accounts, LOG_KEYS.audit, LOG_KEYS.consent, LOG_KEYS.policy]);
    await mkdir(join(config.dataDir, 'logs'), { recursive: true, mode: 0o700 });
    const clinicalLog = await SealedAppendLog.open<ClinicalEvent>(logPath(config.dataDir, 'clinical'), { key: clinicalKey!, logId: 'clinical' });
    closers.push(() => clinicalLog.close());
    const accountLog = await openAccountLog(logPath(config.dataDir, 'accounts'), accountsKey!);
    closers.push(() => accountLog.close());
    const audit = await AuditLog.open(logPath(config.dataDir, 'audit'), { key: auditKey! });
    closers.push(() => audit.close());
    const consentLog = await SealedAppendLog.open<ConsentEvent>(logPath(config.dataDir, 'consent'), { key: consentKey!, logId: CONSENT_LOG_ID });
    closers.push(() => consentLog.close());
    const clinical = await ClinicalStore.open(clinicalLog);
    const consents = await ConsentLedger.open(consentLog);
    const identity = await IdentityService.open(accountLog, { ...identityOptionsOf(config), now, ...(options.scrypt ? { scrypt: options.scrypt } : {}) });
    await reportRefusedRoles(identity, audit);
    const queries = await openQueries(vault, config);
    closers.push(() => queries.close());
    const researchPurposes: { purposes: ResearchPurposeSource | null } = { purposes: null };
    const facts = relationshipFacts({ clinical, identity, consents, config, now }, researchPurposes);
    const sink = options.unauditedForBenchmark ? () => Promise.resolve() : async (event: Parameters<AuditLog['record']>[0]) => void (await audit.record(event));
    const policy = await openPolicyGovernance({ path: logPath(config.dataDir, 'policy'), key: policyKey!, audit, ...(options.shippedPolicyPath !== undefined && { shippedPolicyPath: options.shippedPolicyPath }) });
    closers.push(policy.close);
    const { governance } = policy;
    const authorizer = await createAuthorizer({ facts, audit: sink, policy: governance.activePolicy });
    governance.attach(authorizer);
    // the research rules learn a project's purpose from the gateway; until it is open none applies
    const registerResearchPurposes = (source: ResearchPurposeSource) => void (researchPurposes.purposes = source);
    const research = await openResearch({ config, vault, engine: queries.engine, cohortIndex: queries.cohortIndex, clinical, identity, consents, audit, authorizer, registerResearchPurposes, now });
    closers.push(() => research.close());
    return {
      config, vault, queries, clinical, identity, audit, consents, authorizer, facts, governance, now,
      research: research.gateway,
      researchConsents: () => currentResearchConsents(consents),
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/**
 * Accounts an older version let hold roles that do not fit their kind (a service account holding a
 * person's role) cannot authenticate; each start flags every one of them for review until an
 * admin disables it (and, where needed, the host makes a proper one).
 */
async function reportRefusedRoles(identity: IdentityService, audit: AuditLog): Promise<void> {
  for (const account of identity.accountsWithRefusedRoles().filter((a) => !a.disabled)) {
    await audit.record({ requestId: null, actorId: HOST_ACTOR, actorRoles: [], action: 'account.roles_refused', resource: 'account', patientId: null, purpose: 'operations', decision: 'failure', rule: null, reason: account.accountId, flagged: true });
  }
}

/** Relationship and consent facts, read fresh from the clinical, account and consent state on every decision. */
function relationshipFacts(parts: ConsentParts & { identity: IdentityService }, research: { purposes: ResearchPurposeSource | null }): RelationshipFacts {
  const { clinical, identity, now } = parts;
  return {
    isOnCareTeam: (userId, patientId) => Promise.resolve(clinical.isOnCareTeam(userId, patientId)),
    hasActiveBreakGlass: (userId, patientId) => Promise.resolve(clinical.activeBreakGlass(userId, patientId, now()) !== undefined),
    isSelf: (userId, patientId) => Promise.resolve(identity.getAccount(userId)?.patientId === patientId),
    consentState: (patientId) => Promise.resolve(consentStateOf(parts, patientId)),
    researchPurpose: (userId, projectId) => research.purposes?.(userId, projectId) ?? Promise.resolve(null),
  };
}
