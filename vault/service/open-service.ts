// The composition root: opens the vault and every part the service needs, wired together,
// from the one Config. The HTTP routes and the CLI get this object; nothing is global.
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Config } from '../../schemas/config.ts';
import { resolveMasterKey } from '../crypto/resolve-master-key.ts';
import { Vault } from '../store/vault.ts';
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

import { LOG_KEYS, logPath } from '../log/log-files.ts';

export { LOG_KEYS, logPath };

export interface VaultService {
  config: Config;
  vault: Vault;
  queries: PatientQueries;
  clinical: ClinicalStore;
  identity: IdentityService;
  audit: AuditLog;
  authorizer: Authorizer;
  now: () => number;
  close(): Promise<void>;
}

export interface ServiceOptions {
  now?: () => number;
  /** lower scrypt cost in tests only */
  scrypt?: { log2N: number; r: number; p: number };
  /** benchmark baseline only: decisions are not written to the audit log */
  unauditedForBenchmark?: boolean;
}

export async function openVaultService(config: Config, options: ServiceOptions = {}): Promise<VaultService> {
  const now = options.now ?? Date.now;
  const vault = await Vault.open(config.dataDir, await resolveMasterKey(config), { write: true });
  const closers: (() => Promise<void>)[] = [() => vault.close()];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  };
  try {
    const [clinicalKey, accountsKey, auditKey] = await vault.namedKeys([LOG_KEYS.clinical, LOG_KEYS.accounts, LOG_KEYS.audit]);
    await mkdir(join(config.dataDir, 'logs'), { recursive: true, mode: 0o700 });
    const clinicalLog = await SealedAppendLog.open<ClinicalEvent>(logPath(config.dataDir, 'clinical'), { key: clinicalKey!, logId: 'clinical' });
    closers.push(() => clinicalLog.close());
    const accountLog = await openAccountLog(logPath(config.dataDir, 'accounts'), accountsKey!);
    closers.push(() => accountLog.close());
    const audit = await AuditLog.open(logPath(config.dataDir, 'audit'), { key: auditKey! });
    closers.push(() => audit.close());
    const clinical = await ClinicalStore.open(clinicalLog);
    const identity = await IdentityService.open(accountLog, { ...identityOptionsOf(config), now, ...(options.scrypt ? { scrypt: options.scrypt } : {}) });
    await reportRefusedRoles(identity, audit);
    const queries = await openQueries(vault, config);
    closers.push(() => queries.close());
    const facts = relationshipFacts(clinical, identity, now);
    const sink = options.unauditedForBenchmark ? () => Promise.resolve() : async (event: Parameters<AuditLog['record']>[0]) => void (await audit.record(event));
    const authorizer = await createAuthorizer({ facts, audit: sink });
    return { config, vault, queries, clinical, identity, audit, authorizer, now, close: closeAll };
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

/** Relationship facts, read fresh from the clinical and account state on every decision. */
function relationshipFacts(clinical: ClinicalStore, identity: IdentityService, now: () => number): RelationshipFacts {
  return {
    isOnCareTeam: (userId, patientId) => Promise.resolve(clinical.isOnCareTeam(userId, patientId)),
    hasActiveBreakGlass: (userId, patientId) => Promise.resolve(clinical.activeBreakGlass(userId, patientId, now()) !== undefined),
    isSelf: (userId, patientId) => Promise.resolve(identity.getAccount(userId)?.patientId === patientId),
    isProxyFor: (userId, patientId) => Promise.resolve(clinical.isProxyFor(userId, patientId)),
  };
}
