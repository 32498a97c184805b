// A whole service on loopback with one account per role, a patient with variants, and a test
// clock (TOTP steps move with it, so every login gets a fresh code). Plain HTTP by default; with
// `https: true` it serves HTTPS with the vault's own CA and certificate, as `genovault serve`
// does, and `w.http` trusts that CA alone. Accounts are enrolled as in real use: staff by
// redeeming the code the host's account creation returned; the patient, proxy and relative
// through the registrar's patient enrolment, confirmed by the privacy officer (the second half). Password hashing is cheap unless a test asks for the
// service's own cost, and settings may be given by config key (e.g. the login limits).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino, { type Logger } from 'pino';
import { Vault } from '../../vault/store/vault.ts';
import { newMasterKey, writeMasterKeyFile } from '../../vault/crypto/master-key.ts';
import { ingestVcf } from '../../vault/ingest/ingest-vcf.ts';
import { loadConfig } from '../../vault/config/load-config.ts';
import { openVaultService, type VaultService } from '../../vault/service/open-service.ts';
import { buildVaultApp } from '../../vault/service/http-service.ts';
import { loadOrCreateCa, loadOrIssueServerCertificate } from '../../vault/service/tls-material.ts';
import { startServer, type RunningServer } from '../../vault/http/start-server.ts';
import type { ScryptParams } from '../../vault/identity/password-hash.ts';
import { currentTotp } from '../../vault/identity/totp.ts';
import type { Role } from '../../vault/identity/roles.ts';
import type { MountedRoute } from '../../vault/http/mount-routes.ts';
import type { AuditEvent } from '../../vault/audit/audit-event.ts';
import type { LogEntry } from '../../vault/log/log-format.ts';
import { http, type HttpOptions, type HttpResult } from '../helpers/http-client.ts';
import { enrolPatientLinked, enrolStaff, principalOfAccount } from '../helpers/enrol-accounts.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

export const PASSWORD = 'correct-Horse-battery-9';
const SIMPLE_VCF = fileURLToPath(new URL('../fixtures/conformance/examples/simple.vcf', import.meta.url));

export interface WorldOptions {
  /** serve HTTPS with a server certificate from the vault's own CA */
  https?: boolean;
  /** password hashing cost; 'production' is the service's own default (slow on purpose) */
  scrypt?: ScryptParams | 'production';
  /** settings over the world's defaults, by config key (e.g. loginAccountFailuresPerHour) */
  config?: Record<string, string>;
  /** ingests more files before the service opens (the writer is closed after it) */
  moreData?: (writer: Vault) => Promise<void>;
  /** patient A's VCF and the sample in it (the hts-specs `simple.vcf`, NA00001, by default) */
  patientAVcf?: { path: string; sample: string };
  /** the master key in a key file beside the data directory (as `genovault init` makes it; the vault can rotate it itself), not in the environment */
  masterKeyFile?: boolean;
  /** where the service logs (silent by default) */
  logger?: Logger;
}

export interface World {
  service: VaultService;
  /** the vault's folder, and how a command-line process finds its master key (env, or the key file) */
  dataDir: string;
  keyEnv: NodeJS.ProcessEnv;
  server: RunningServer;
  /** the API root, e.g. https://127.0.0.1:PORT/v1 */
  url: string;
  /** PEM of the vault's CA, when serving HTTPS */
  ca?: string;
  routes: readonly MountedRoute[];
  /** patients: A has variants and a record; B has a record only */
  patientA: string;
  patientB: string;
  accounts: Record<string, { accountId: string; secret: string }>;
  clock: { now: number };
  /** a request to `path` under the API root, over this world's transport (`localAddress` picks the client's address) */
  http<T = Record<string, unknown>>(path: string, options?: ClientOptions): Promise<HttpResult<T>>;
  /** POST /sessions with a code from `secret` at a fresh TOTP step; the answer as it came */
  attemptLogin(username: string, password: string, secret: string, options?: ClientOptions): Promise<HttpResult<{ token: string }>>;
  /** logs in as one of `accounts` (throws unless 201) and returns the session token */
  login(username: string, password?: string, options?: ClientOptions): Promise<string>;
  /** `approver` (the privacy officer unless named) approves an enrolment over HTTP; the second half's code */
  secondHalf(enrolmentId: string, approver?: string): Promise<string>;
  /** the audit entries a response's request caused */
  auditOf(response: HttpResult<unknown>): Promise<LogEntry<AuditEvent>[]>;
  close(): Promise<void>;
}

/** What a world's requests may set besides the CA it already trusts. */
export type ClientOptions = Omit<HttpOptions, 'ca'>;

export const USERS = ['admin', 'registrar', 'clin_a', 'clin_b', 'counselor', 'pat_a', 'proxy_a', 'researcher', 'insurer', 'relative', 'auditor', 'ethics', 'privacy'] as const;
const STAFF: Partial<Record<(typeof USERS)[number], Role>> = {
  admin: 'admin', registrar: 'registrar', clin_a: 'clinician', clin_b: 'clinician', counselor: 'genetic_counselor',
  researcher: 'researcher', insurer: 'insurer', auditor: 'auditor', ethics: 'ethics_board', privacy: 'privacy_officer',
};

async function serve(service: VaultService, https: boolean, logger: Logger): Promise<{ server: RunningServer; routes: readonly MountedRoute[]; ca?: string }> {
  const { app, routes } = await buildVaultApp(service, logger, { tls: https });
  if (!https) return { server: await startServer(app, { host: '127.0.0.1', port: 0, plainHttp: true }), routes };
  const ca = await loadOrCreateCa(service.vault);
  const cert = await loadOrIssueServerCertificate(service.vault, ca, []);
  const server = await startServer(app, { host: '127.0.0.1', port: 0, tls: { key: cert.privateKeyPem, cert: cert.certificatePem, ca: ca.certificatePem, requestClientCert: true } });
  return { server, routes, ca: ca.certificatePem };
}

export async function buildWorld(root: string, options: WorldOptions = {}): Promise<World> {
  const clock = { now: Date.parse('2026-06-01T08:00:00Z') };
  const dataDir = join(root, 'vault');
  const kek = newMasterKey('test');
  const keyFile = `${dataDir}.master-key`;
  if (options.masterKeyFile) await writeMasterKeyFile(keyFile, kek);
  const keyConfig = options.masterKeyFile ? { masterKeyFile: keyFile } : { masterKey: kek.bytes.toString('base64') };
  const keyEnv = options.masterKeyFile ? { GENOVAULT_MASTER_KEY_FILE: keyFile } : { GENOVAULT_MASTER_KEY: kek.bytes.toString('base64') };
  await (await Vault.init(dataDir, kek)).close();
  const writer = await Vault.open(dataDir, kek, { write: true });
  const patientAVcf = options.patientAVcf ?? { path: SIMPLE_VCF, sample: 'NA00001' };
  await ingestVcf(writer, patientAVcf.path, { patient: 'MRN-A-0001', sample: patientAVcf.sample, workers: 0 });
  await options.moreData?.(writer);
  await writer.close();
  const config = loadConfig({ dataDir, ...keyConfig, plainHttp: options.https ? 'false' : 'true', host: '127.0.0.1', port: '0', ...options.config }, {});
  const scrypt = options.scrypt ?? { log2N: 10, r: 8, p: 1 };
  const service = await openVaultService(config, { now: () => clock.now, ...(scrypt !== 'production' && { scrypt }) });
  const patientA = service.vault.catalog.patientByMrn('MRN-A-0001')!.patientId;
  const { patientId: patientB } = await service.vault.registerPatient('MRN-B-0002');
  const record = { givenName: 'Ada', familyName: 'Lovelace', birthDate: '1980-02-03', sex: 'female' as const, zip: '02139', conditions: [{ system: 'icd10' as const, code: 'Z80.3' }] };
  await service.clinical.recordPatient(patientA, { mrn: 'MRN-A-0001', ...record }, 'setup');
  await service.clinical.recordPatient(patientB, { mrn: 'MRN-B-0002', ...record, givenName: 'Grace' }, 'setup');

  const accounts: World['accounts'] = {};
  for (const username of USERS) {
    const role = STAFF[username];
    if (role) accounts[username] = await enrolStaff(service, username, [role], PASSWORD);
  }
  const people = { issuer: principalOfAccount(service, accounts.registrar!.accountId), approver: principalOfAccount(service, accounts.privacy!.accountId) };
  const evidence = 'identity document checked in person';
  accounts.pat_a = await enrolPatientLinked(service, people, patientA, { role: 'patient', evidence }, 'pat_a', PASSWORD);
  accounts.proxy_a = await enrolPatientLinked(service, people, patientA, { role: 'proxy', evidence: 'court order on file' }, 'proxy_a', PASSWORD);
  accounts.relative = await enrolPatientLinked(service, people, patientA, { role: 'relative', evidence, relationship: 'sibling' }, 'relative', PASSWORD);
  await service.clinical.setCareTeam(patientA, accounts.clin_a!.accountId, true, 'setup');
  await service.clinical.setCareTeam(patientA, accounts.counselor!.accountId, true, 'setup');

  const { server, routes, ca } = await serve(service, options.https === true, options.logger ?? pino({ level: 'silent' }));
  const url = `${server.url}/v1`;
  const request = <T = Record<string, unknown>>(path: string, opts: ClientOptions = {}) => http<T>(`${url}${path}`, { ...opts, ...(ca !== undefined && { ca }) });
  const attemptLogin = (username: string, password: string, secret: string, opts: ClientOptions = {}) => {
    clock.now += 31_000; // a fresh TOTP step for every login
    return request<{ token: string }>('/sessions', { ...opts, method: 'POST', body: { username, password, totp: currentTotp(secret, clock.now) } });
  };
  const login = async (username: string, password = PASSWORD, opts: ClientOptions = {}) => {
    const r = await attemptLogin(username, password, accounts[username]?.secret ?? 'AAAAAAAAAAAAAAAA', opts);
    if (r.status !== 201) throw new Error(`login ${username}: ${r.status} ${r.text}`);
    return r.body.token;
  };
  const secondHalf = async (enrolmentId: string, approver = 'privacy') => {
    const r = await request<{ code: string }>(`/enrolments/${enrolmentId}/approve`, { method: 'POST', token: await login(approver), body: { evidence: 'checked again by a second person' } });
    if (r.status !== 201) throw new Error(`approval of ${enrolmentId} by ${approver}: ${r.status} ${r.text}`);
    return r.body.code;
  };
  const auditOf = async (response: HttpResult<unknown>) => {
    const requestId = response.headers.get('x-request-id');
    return (await service.audit.query({ limit: 10_000 })).filter((e) => e.body.requestId === requestId);
  };
  return {
    service, dataDir, keyEnv, server, url, ...(ca !== undefined && { ca }), routes, patientA, patientB, accounts, clock, http: request, attemptLogin, login, secondHalf, auditOf,
    close: async () => {
      await server.close(1000);
      await service.close();
    },
  };
}

/** A world built before the suite's tests (mocha `before`) and removed after them. */
export function worldForSuite(options: WorldOptions = {}): { readonly w: World } {
  let dir: { path: string; remove: () => Promise<void> } | undefined;
  let world: World | undefined;
  before(async () => {
    dir = await makeTempDir();
    world = await buildWorld(dir.path, options);
  });
  after(async () => {
    await world?.close();
    await dir?.remove();
  });
  return {
    get w() {
      if (!world) throw new Error('the world is built in before(): use it inside a test');
      return world;
    },
  };
}
