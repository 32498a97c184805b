// The research gateway as the vault composes it: its project log (sealed like every other log),
// its two keys (pseudonyms and noise, from the vault's named keys), an in-memory DuckDB of its own
// that never spills, and adapters over the vault's partitions, clinical store, consent ledger,
// audit log and authorize(), and its research index (the cohort index) when the vault keeps one.
// It answers the access policy's research facts in turn: the purpose of a member's approved,
// current, unsuspended project and the review groups its board included, so the policy's rule
// researcher-uses-consented-data decides exactly as the gateway's cohorts do.
import type { Config } from '../../schemas/config.ts';
import { ResearchGateway } from '../../research-gateway/gateway.ts';
import type { ResearchAuditEntry, ResearchGatewayDeps } from '../../research-gateway/ports.ts';
import type { ProjectEvent } from '../../research-gateway/projects/project-events.ts';
import type { ConsentLedger } from '../../consent/ledger/consent-ledger.ts';
import { diseaseOntology } from '../../consent/duo/disease-ontology.ts';
import type { Authorizer } from '../../consent/policy/authorize.ts';
import type { RelationshipFacts } from '../../consent/policy/relationship-facts.ts';
import { SealedAppendLog } from '../log/sealed-append-log.ts';
import { LOG_KEYS, logPath } from '../log/log-files.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { ClinicalStore } from '../clinical/clinical-store.ts';
import type { IdentityService } from '../identity/identity-service.ts';
import type { Vault } from '../store/vault.ts';
import type { QueryEngine } from '../store/query-engine.ts';
import type { CohortIndex } from '../store/research-index/cohort-index.ts';
import { openSecureDuckDB } from '../store/duckdb-session.ts';
import { currentVault, requestOrigin, type AuditedRequest } from './patient-access.ts';
import { clinicalDemographics, ledgerResearchConsents, vaultCohortData, vaultCohortIndex } from './research-sources.ts';

export const RESEARCH_KEYS = { pseudonyms: 'research:pseudonyms', noise: 'research:noise' } as const;
const RESEARCH_SQL_MEMORY = 256 * 1024 * 1024;

export interface ResearchParts {
  config: Config;
  vault: Vault;
  engine: QueryEngine;
  /** the research index, when the vault keeps one: count, aggregate and Beacon answers read it */
  cohortIndex: CohortIndex | null;
  clinical: ClinicalStore;
  identity: IdentityService;
  consents: ConsentLedger;
  audit: AuditLog;
  authorizer: Authorizer;
  /** where the research facts of authorize() are answered from once the gateway is open */
  registerResearchPurposes(source: ResearchPurposeSource): void;
  now: () => number;
}

export type ResearchPurposeSource = NonNullable<RelationshipFacts['researchPurpose']>;

function knowsDisease(id: string): boolean {
  try {
    return diseaseOntology().readings(id).length > 0;
  } catch {
    return false;
  }
}

/** The vault's record of the request, when the caller came over HTTP. */
const requestOf = (value: unknown) => value as AuditedRequest | undefined;

function auditSink(audit: AuditLog): (entry: ResearchAuditEntry) => Promise<void> {
  return async (entry) => {
    const request = requestOf(entry.request);
    await audit.record({
      ...(request ? requestOrigin(request) : {}),
      requestId: entry.requestId,
      actorId: entry.actorId,
      actorRoles: [...entry.actorRoles],
      action: entry.action,
      resource: entry.resource,
      patientId: null,
      purpose: entry.resource === 'cohort' ? 'research' : 'operations',
      decision: entry.decision,
      rule: null,
      outcome: entry.outcome,
      targetId: entry.projectId,
      ...(entry.counts && { counts: entry.counts }),
      ...(entry.flagged && { flagged: true }),
    });
  };
}

export async function openResearch(parts: ResearchParts): Promise<{ gateway: ResearchGateway; close(): Promise<void> }> {
  const { config, vault } = parts;
  const [logKey, pseudonyms, noise] = await vault.namedKeys([LOG_KEYS.research, RESEARCH_KEYS.pseudonyms, RESEARCH_KEYS.noise]);
  const log = await SealedAppendLog.open<ProjectEvent>(logPath(config.dataDir, 'research'), { key: logKey!, logId: 'research' });
  const sql = await openSecureDuckDB({ memoryLimitBytes: RESEARCH_SQL_MEMORY, threads: 1 });
  const close = async () => {
    sql.close();
    await log.close();
  };
  try {
    const deps: ResearchGatewayDeps = {
      store: log,
      cohortData: vaultCohortData(vault, parts.engine),
      ...(parts.cohortIndex && { cohortIndex: vaultCohortIndex(parts.cohortIndex) }),
      consents: ledgerResearchConsents(parts.consents),
      demographics: clinicalDemographics(parts.clinical),
      audit: auditSink(parts.audit),
      async authorize(caller, intent) {
        const request = requestOf(caller.request);
        const decision = await parts.authorizer.authorize(
          { subject: { userId: caller.accountId, roles: caller.roles }, patientId: null, ...intent },
          request ? requestOrigin(request) : { requestId: caller.requestId },
        );
        if (request) request.auditedDecision = decision.allowed && request.auditedDecision !== 'deny' ? 'permit' : 'deny';
        return decision.allowed;
      },
      isResearcher: (accountId) => {
        const account = parts.identity.getAccount(accountId);
        return account !== undefined && !account.disabled && account.roles.includes('researcher');
      },
      knowsDisease,
      catchUp: async () => {
        await currentVault({ vault });
      },
      sql: sql.connection,
      keys: { pseudonyms: pseudonyms!, noise: noise! },
      now: parts.now,
    };
    const gateway = await ResearchGateway.open(deps, {
      threshold: config.researchThreshold,
      defaultBudget: config.researchBudget,
      repeatLimit: config.researchRepeatLimit,
      repeatWindowMs: config.researchRepeatHours * 3_600_000,
    });
    parts.registerResearchPurposes((userId, projectId) => Promise.resolve(gateway.memberPurpose(userId, projectId)));
    return { gateway, close };
  } catch (err) {
    await close();
    throw err;
  }
}
