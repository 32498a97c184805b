// A whole service on loopback with one account per role, a patient with variants, and a test
// clock (TOTP steps move with it, so every login gets a fresh code). Plain HTTP by default; with
// `https: true` it is served as `genovault serve` serves it, over HTTPS with the vault's own CA,
// and `w.http` trusts that CA alone.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { Vault } from '../../vault/store/vault.ts';
import { newMasterKey } from '../../vault/crypto/master-key.ts';
import { ingestVcf } from '../../vault/ingest/ingest-vcf.ts';
import { loadConfig } from '../../vault/config/load-config.ts';
import { openVaultService, type VaultService } from '../../vault/service/open-service.ts';
import { buildVaultApp, serveVault } from '../../vault/service/http-service.ts';
import { caCertificatePath } from '../../vault/service/tls-material.ts';
import { startServer, type RunningServer } from '../../vault/http/start-server.ts';
import { HOST_ACTOR } from '../../vault/identity/principal.ts';
import { currentTotp } from '../../vault/identity/totp.ts';
import type { MountedRoute } from '../../vault/http/mount-routes.ts';
import { http, type HttpOptions, type HttpResult } from '../helpers/http-client.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

export const PASSWORD = 'correct-Horse-battery-9';
const SIMPLE_VCF = fileURLToPath(new URL('../fixtures/conformance/examples/simple.vcf', import.meta.url));

export interface World {
  service: VaultService;
  server: RunningServer;
  url: string;
  routes: readonly MountedRoute[];
  /** patients: A has variants and a record; B has a record only */
  patientA: string;
  patientB: string;
  accounts: Record<string, { accountId: string; secret: string }>;
  clock: { now: number };
  /** a request to `path` under the API root, over this world's transport */
  http<T = Record<string, unknown>>(path: string, options?: Omit<HttpOptions, 'ca'>): Promise<HttpResult<T>>;
  /** PEM of the vault's CA, when serving HTTPS */
  ca?: string;
  login(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export const USERS = ['admin', 'clin_a', 'clin_b', 'counselor', 'pat_a', 'proxy_a', 'researcher', 'insurer', 'relative', 'auditor', 'ethics'] as const;

export async function buildWorld(root: string, options: { https?: boolean } = {}): Promise<World> {
  const clock = { now: Date.parse('2026-06-01T08:00:00Z') };
  const dataDir = join(root, 'vault');
  const kek = newMasterKey('test');
  await (await Vault.init(dataDir, kek)).close();
  const writer = await Vault.open(dataDir, kek, { write: true });
  await ingestVcf(writer, SIMPLE_VCF, { patient: 'MRN-A-0001', sample: 'NA00001', workers: 0 });
  await writer.close();
  const config = loadConfig({ dataDir, masterKey: kek.bytes.toString('base64'), plainHttp: options.https ? 'false' : 'true', host: '127.0.0.1', port: '0' }, {});
  const service = await openVaultService(config, { now: () => clock.now, scrypt: { log2N: 10, r: 8, p: 1 } });
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
  const { app, routes } = await buildVaultApp(service, logger, { tls: options.https === true });
  // over TLS, the service's own serve path (CA, server certificate, mutual TLS) builds its app
  const server = options.https ? await serveVault(service, logger) : await startServer(app, { host: '127.0.0.1', port: 0, plainHttp: true });
  const url = `${server.url}/v1`;
  const ca = options.https ? await readFile(caCertificatePath(dataDir), 'utf8') : undefined;
  const request = <T = Record<string, unknown>>(path: string, opts: Omit<HttpOptions, 'ca'> = {}) => http<T>(`${url}${path}`, { ...opts, ...(ca !== undefined && { ca }) });
  const login = async (username: string, password = PASSWORD) => {
    clock.now += 31_000; // a fresh TOTP step for every login
    const secret = accounts[username]?.secret ?? 'AAAAAAAAAAAAAAAA';
    const r = await request<{ token: string }>('/sessions', { method: 'POST', body: { username, password, totp: currentTotp(secret, clock.now) } });
    if (r.status !== 201) throw new Error(`login ${username}: ${r.status} ${r.text}`);
    return r.body.token;
  };
  return {
    service, server, url, routes, patientA, patientB, accounts, clock, http: request, ...(ca !== undefined && { ca }), login,
    close: async () => {
      await server.close(1000);
      await service.close();
    },
  };
}

/** A world built before the suite's tests (mocha `before`) and removed after them. */
export function worldForSuite(options: { https?: boolean } = {}): { readonly w: World } {
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
