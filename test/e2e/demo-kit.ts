// The demo vault as `npm run demo` builds it (population, then the service side), in a folder of
// the test's, for tests that look inside it or serve it.
import { join } from 'node:path';
import { newMasterKey } from '../../vault/crypto/master-key.ts';
import { Vault } from '../../vault/store/vault.ts';
import { loadConfig } from '../../vault/config/load-config.ts';
import { openVaultService, type VaultService } from '../../vault/service/open-service.ts';
import { buildPopulation } from '../../vault/demo/demo-population.ts';
import { populateService, type DemoService } from '../../vault/demo/demo-service.ts';

export interface BuiltDemo {
  dataDir: string;
  service: VaultService;
  demo: DemoService;
}

/** Builds the demo under `root`; `config` adds settings (e.g. host and port to serve on). Cheap password hashing: tests only. */
export async function buildDemoVault(root: string, config: Record<string, string> = {}): Promise<BuiltDemo> {
  const dataDir = join(root, 'vault');
  const kek = newMasterKey('test');
  await (await Vault.init(dataDir, kek)).close();
  const writer = await Vault.open(dataDir, kek, { write: true });
  let population;
  try {
    population = await buildPopulation(writer, root);
  } finally {
    await writer.close();
  }
  const service = await openVaultService(loadConfig({ dataDir, masterKey: kek.bytes.toString('base64'), logLevel: 'silent', ...config }, {}), { scrypt: { log2N: 10, r: 8, p: 1 } });
  return { dataDir, service, demo: await populateService(service, population) };
}
