// A vault on disk that a service can serve at once: one synthetic patient with variants in a
// known gene, a clinician on that patient's care team, enrolled (TOTP pending until the first
// login), and the master key that opens it. Built in-process and closed again, so another
// process (a child server, a benchmark) can open it; `openFixtureService` and `loginClinician`
// serve in-process callers.
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { Vault } from '../../vault/store/vault.ts';
import { masterKeyFromBase64, newMasterKey } from '../../vault/crypto/master-key.ts';
import { ingestVcf } from '../../vault/ingest/ingest-vcf.ts';
import { loadConfig } from '../../vault/config/load-config.ts';
import type { Config } from '../../schemas/config.ts';
import { openVaultService, logPath, LOG_KEYS, type ServiceOptions, type VaultService } from '../../vault/service/open-service.ts';
import { enrolStaff } from './enrol-accounts.ts';
import { currentTotp } from '../../vault/identity/totp.ts';
import { generatePatients, writeSyntheticVcf } from '../../vault/demo/synthetic/index.ts';
import { inspectLog } from '../../vault/log/log-scan.ts';
import { verifyLog, type VerifyReport } from '../../vault/log/verify-log.ts';
import { DEFAULT_AUDIT_LOG_ID } from '../../vault/audit/audit-log.ts';
import type { AuditEvent } from '../../vault/audit/audit-event.ts';
import type { LogEntry } from '../../vault/log/log-format.ts';

/** Cheap password hashing: tests log in often and the cost is not what they measure. */
export const FIXTURE_SCRYPT = { log2N: 10, r: 8, p: 1 } as const;
export const FIXTURE_PASSWORD = 'correct-Horse-battery-9';
/** The gene the fixture patient is guaranteed to carry variants in. */
export const FIXTURE_GENE = 'BRCA1';
const FIXTURE_SEED = 7;

export interface FixtureClinician {
  accountId: string;
  username: string;
  password: string;
  totpSecret: string;
}

export interface FixtureVault {
  dataDir: string;
  /** base64 of the master key, as GENOVAULT_MASTER_KEY takes it */
  masterKeyBase64: string;
  patientId: string;
  clinician: FixtureClinician;
  /** every clinician on the patient's care team, `clinician` first (see buildFixtureVault's `clinicians`) */
  clinicians: FixtureClinician[];
  /** a clinician NOT on the care team: every read of the patient must be refused */
  outsider: FixtureClinician;
  gene: string;
  /** the patient's variants in `gene`, as the store reports them */
  variantsInGene: number;
}

/** The service configuration for the fixture: plain HTTP on a free loopback port. */
export function fixtureConfig(fixture: Pick<FixtureVault, 'dataDir' | 'masterKeyBase64'>): Config {
  return loadConfig({ dataDir: fixture.dataDir, masterKey: fixture.masterKeyBase64, plainHttp: true, host: '127.0.0.1', port: 0, logLevel: 'silent' }, {});
}

/** Opens the fixture vault's service in this process (close it before another process opens the vault). */
export function openFixtureService(fixture: FixtureVault, options: ServiceOptions = {}): Promise<VaultService> {
  return openVaultService(fixtureConfig(fixture), { scrypt: FIXTURE_SCRYPT, ...options });
}

/**
 * Logs the clinician in through the identity service. A TOTP step is accepted once per account,
 * so a second login needs a later `atMs` (one step ahead is still inside the accepted window).
 */
export async function loginClinician(service: VaultService, fixture: FixtureVault, atMs: number = service.now()): Promise<string> {
  const { username, password, totpSecret } = fixture.clinician;
  const result = await service.identity.login({ username, password, totp: currentTotp(totpSecret, atMs) });
  if (!result.ok) throw new Error(`fixture clinician login failed: ${result.reason}`);
  return result.token;
}

export interface FixtureOptions {
  /** non-reference calls of the synthetic sample (20,000 by default) */
  variantsPerSample?: number;
  /**
   * clinicians on the care team (1 by default). A TOTP step logs an account in once, so a caller
   * that restarts the server many times within a minute logs in as a different one each time.
   */
  clinicians?: number;
}

/** Builds the fixture vault under `root` (a fresh temp dir); nothing stays open afterwards. */
export async function buildFixtureVault(root: string, options: FixtureOptions = {}): Promise<FixtureVault> {
  const dataDir = join(root, 'vault');
  const kek = newMasterKey('test');
  const masterKeyBase64 = kek.bytes.toString('base64');
  const [person] = generatePatients(1, FIXTURE_SEED);
  if (!person) throw new Error('the synthetic generator returned no patient');

  await (await Vault.init(dataDir, kek)).close();
  const vcf = join(root, 'fixture.vcf');
  await mkdir(root, { recursive: true });
  // chr17 only: BRCA1 and TP53 sit there, and a small file ingests in well under a second
  await writeSyntheticVcf(vcf, { samples: [person.sampleName], seed: FIXTURE_SEED, variantsPerSample: options.variantsPerSample ?? 20_000, chromosomes: ['chr17'] });
  const writer = await Vault.open(dataDir, kek, { write: true });
  try {
    await ingestVcf(writer, vcf, { patient: person.mrn, sample: person.sampleName, workers: 0 });
  } finally {
    await writer.close();
  }

  const fixtureBase = { dataDir, masterKeyBase64 };
  const service = await openVaultService(fixtureConfig(fixtureBase), { scrypt: FIXTURE_SCRYPT });
  try {
    const patientId = service.vault.catalog.patientByMrn(person.mrn)?.patientId;
    if (!patientId) throw new Error('the ingested patient is not in the catalog');
    const conditions = person.conditions.map((c) => ({ system: 'icd10' as const, code: c.code }));
    const { mrn, givenName, familyName, birthDate, sex, zip } = person;
    await service.clinical.recordPatient(patientId, { mrn, givenName, familyName, birthDate, sex, zip, conditions }, 'setup');
    const clinicians: FixtureClinician[] = [];
    for (let i = 0; i < Math.max(1, options.clinicians ?? 1); i++) {
      const clinician = await createClinician(service, i === 0 ? 'clin_load' : `clin_load_${i + 1}`);
      await service.clinical.setCareTeam(patientId, clinician.accountId, true, 'setup');
      clinicians.push(clinician);
    }
    const outsider = await createClinician(service, 'clin_outside');
    const variantsInGene = (await service.queries.variantsOfPatient(patientId, { gene: FIXTURE_GENE })).variants.length;
    if (variantsInGene === 0) throw new Error(`the fixture patient carries no ${FIXTURE_GENE} variant; change the seed`);
    return {
      ...fixtureBase,
      patientId,
      clinician: clinicians[0]!,
      clinicians,
      outsider,
      gene: FIXTURE_GENE,
      variantsInGene,
    };
  } finally {
    await service.close();
  }
}

async function createClinician(service: VaultService, username: string): Promise<FixtureClinician> {
  const { accountId, secret } = await enrolStaff(service, username, ['clinician'], FIXTURE_PASSWORD);
  return { accountId, username, password: FIXTURE_PASSWORD, totpSecret: secret };
}

export interface AuditReadout {
  /** the read-only verdict on the chain and its anchor, before anything repairs the file */
  report: VerifyReport;
  entries: LogEntry<AuditEvent>[];
}

/** Verifies the fixture's audit log read-only and returns every valid entry, oldest first. */
export async function readFixtureAudit(fixture: Pick<FixtureVault, 'dataDir' | 'masterKeyBase64'>): Promise<AuditReadout> {
  const key = await auditKey(fixture);
  const path = logPath(fixture.dataDir, 'audit');
  const report = await verifyLog(path, { key, logId: DEFAULT_AUDIT_LOG_ID });
  const entries: LogEntry<AuditEvent>[] = [];
  await inspectLog(path, key, DEFAULT_AUDIT_LOG_ID, (entry) => entries.push(entry as LogEntry<AuditEvent>));
  return { report, entries };
}

/** The audit log's data key, read from the vault opened read-only (no writer lock taken). */
export async function auditKey(fixture: Pick<FixtureVault, 'dataDir' | 'masterKeyBase64'>): Promise<Buffer> {
  const vault = await Vault.open(fixture.dataDir, masterKeyFromBase64(fixture.masterKeyBase64, 'fixture'), { write: false });
  try {
    const [key] = await vault.namedKeys([LOG_KEYS.audit]);
    if (!key) throw new Error('the vault has no audit log key');
    return key;
  } finally {
    await vault.close();
  }
}

