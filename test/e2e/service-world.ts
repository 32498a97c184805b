// A whole service on loopback with one account per role, a patient with variants, and a test
// clock (TOTP steps move with it, so every login gets a fresh code). Plain HTTP by default, or
// HTTPS with the vault's own CA (`tls: true`), as `genovault serve` runs it.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { Vault } from '../../vault/store/vault.ts';
import { newMasterKey } from '../../vault/crypto/master-key.ts';
import { ingestVcf } from '../../vault/ingest/ingest-vcf.ts';
import { loadConfig } from '../../vault/config/load-config.ts';
import { openVaultService, type VaultService } from '../../vault/service/open-service.ts';
import { buildVaultApp } from '../../vault/service/http-service.ts';
import { startServer, type RunningServer } from '../../vault/http/start-server.ts';
import { loadOrCreateCa, loadOrIssueServerCertificate } from '../../vault/service/tls-material.ts';
import type { ScryptParams } from '../../vault/identity/password-hash.ts';
import { HOST_ACTOR } from '../../vault/identity/principal.ts';
import { currentTotp } from '../../vault/identity/totp.ts';
import type { MountedRoute } from '../../vault/http/mount-routes.ts';
import type { HttpResult } from '../helpers/http-client.ts';
import { request, type RequestOptions } from '../helpers/https-client.ts';

export const PASSWORD = 'correct-Horse-battery-9';
const SIMPLE_VCF = fileURLToPath(new URL('../fixtures/conformance/examples/simple.vcf', import.meta.url));

export interface WorldOptions {
  /** serve HTTPS with a server certificate from the vault's own CA */
  tls?: boolean;
  /** password hashing cost; 'production' is the service's own default (slow on purpose) */
  scrypt?: ScryptParams | 'production';
  /** settings over the world's defaults, by config key (e.g. loginAccountFailuresPerHour) */
  config?: Record<string, string>;
}

export interface World {
  service: VaultService;
  server: RunningServer;
  url: string;
  /** the vault CA's certificate (PEM) when served over HTTPS */
  ca?: string;
  /** a request to `url` + path, trusting the vault's CA; `localAddress` picks the client's address */
  call<T = Record<string, unknown>>(path: string, options?: RequestOptions): Promise<HttpResult<T>>;
  routes: readonly MountedRoute[];
  /** patients: A has variants and a record; B has a record only */
  patientA: string;
  patientB: string;
  accounts: Record<string, { accountId: string; secret: string }>;
  clock: { now: number };
  login(username: string, password?: string, options?: RequestOptions): Promise<string>;
  close(): Promise<void>;
}

export const USERS = ['admin', 'clin_a', 'clin_b', 'counselor', 'pat_a', 'proxy_a', 'researcher', 'insurer', 'relative', 'auditor', 'ethics'] as const;

export async function buildWorld(root: string, options: WorldOptions = {}): Promise<World> {
  const clock = { now: Date.parse('2026-06-01T08:00:00Z') };
  const dataDir = join(root, 'vault');
  const kek = newMasterKey('test');
  await (await Vault.init(dataDir, kek)).close();
  const writer = await Vault.open(dataDir, kek, { write: true });
  await ingestVcf(writer, SIMPLE_VCF, { patient: 'MRN-A-0001', sample: 'NA00001', workers: 0 });
  await writer.close();
  const config = loadConfig({ dataDir, masterKey: kek.bytes.toString('base64'), plainHttp: 'true', host: '127.0.0.1', port: '0', ...options.config }, {});
  const scrypt = options.scrypt ?? { log2N: 10, r: 8, p: 1 };
  const service = await openVaultService(config, { now: () => clock.now, ...(scrypt === 'production' ? {} : { scrypt }) });
  const patientA = service.vault.catalog.patientByMrn('MRN-A-0001')!.patientId;
  const patientB = await service.vault.registerPatient('MRN-B-0002');
  const record = { givenName: 'Ada', familyName: 'Lovelace', birthDate: '1980-02-03', sex: 'female' as const, zip: '02139', conditions: [{ system: 'icd10' as const, code: 'Z80.3' }] };
  await service.clinical.recordPatient(patientA, { mrn: 'MRN-A-0001', ...record }, 'setup');
  await service.clinical.recordPatient(patientB, { mrn: 'MRN-B-0002', ...record, givenName: 'Grace' }, 'setup');

  const roles: Record<(typeof USERS)[number], string> = {
    admin: 'admin', clin_a: 'clinician', clin_b: 'clinician', counselor: 'genetic_counselor', pat_a: 'patient', proxy_a: 'proxy',
    researcher: 'researcher', insurer: 'insurer', relative: 'relative', auditor: 'auditor', ethics: 'ethics_board',
  };
  const accounts: World['accounts'] = {};
  for (const username of USERS) {
    const created = await service.identity.createAccount(
      { username, roles: [roles[username]], kind: 'human', password: PASSWORD, ...(username === 'pat_a' ? { patientId: patientA } : {}) },
      HOST_ACTOR,
    );
    const { secret } = await service.identity.enrollTotp(created.accountId, HOST_ACTOR);
    accounts[username] = { accountId: created.accountId, secret };
  }
  await service.clinical.setCareTeam(patientA, accounts.clin_a!.accountId, true, 'setup');
  await service.clinical.setCareTeam(patientA, accounts.counselor!.accountId, true, 'setup');

  const logger = pino({ level: 'silent' });
  const tls = options.tls === true;
  const { app, routes } = await buildVaultApp(service, logger, { tls });
  let ca: string | undefined;
  let server: RunningServer;
  if (tls) {
    const authority = await loadOrCreateCa(service.vault);
    const certificate = await loadOrIssueServerCertificate(service.vault, authority, ['localhost']);
    ca = authority.certificatePem;
    server = await startServer(app, { host: '127.0.0.1', port: 0, tls: { key: certificate.privateKeyPem, cert: certificate.certificatePem, ca, requestClientCert: true } });
  } else {
    server = await startServer(app, { host: '127.0.0.1', port: 0, plainHttp: true });
  }
  const url = `${server.url}/v1`;
  const call = <T,>(path: string, more: RequestOptions = {}) => request<T>(`${url}${path}`, { ...(ca ? { ca } : {}), ...more });
  const login = async (username: string, password = PASSWORD, more: RequestOptions = {}) => {
    clock.now += 31_000; // a fresh TOTP step for every login
    const secret = accounts[username]?.secret ?? 'AAAAAAAAAAAAAAAA';
    const r = await call<{ token: string }>('/sessions', { ...more, method: 'POST', body: { username, password, totp: currentTotp(secret, clock.now) } });
    if (r.status !== 201) throw new Error(`login ${username}: ${r.status} ${r.text}`);
    return r.body.token;
  };
  return {
    service, server, url, ...(ca ? { ca } : {}), call, routes, patientA, patientB, accounts, clock, login,
    close: async () => {
      await server.close(1000);
      await service.close();
    },
  };
}
