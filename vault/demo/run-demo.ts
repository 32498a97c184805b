// `npm run demo`: builds a demo vault from nothing (population, records, accounts for every
// role, consent directives), prints what it holds and how to log in, then serves it until Ctrl-C.
import { join } from 'node:path';
import { loadConfig } from '../config/load-config.ts';
import { newMasterKey, writeMasterKeyFile } from '../crypto/master-key.ts';
import { defaultKeyFilePath } from '../crypto/resolve-master-key.ts';
import { Vault } from '../store/vault.ts';
import { openVaultService, type VaultService } from '../service/open-service.ts';
import { serveVault } from '../service/http-service.ts';
import { caCertificatePath, loadOrCreateCa } from '../service/tls-material.ts';
import { createLogger } from '../http/logger.ts';
import { DEMO_HELP, DemoUsageError, parseDemoArgs, prepareOutDir, type DemoOptions } from './demo-options.ts';
import { buildPopulation, SYNTHETIC_PATIENTS, type DemoPopulation } from './demo-population.ts';
import { exampleQueries, summarize } from './demo-report.ts';
import { loginInstructions, researchInstructions } from './demo-instructions.ts';
import { consentInstructions } from './demo-consent-trials.ts';
import { RESEARCH_COHORT_PATIENTS } from './demo-research.ts';
import { populateService } from './demo-service.ts';

const say = (line = '') => void process.stdout.write(`${line}\n`);
const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** Key file beside the data directory (never inside it), as `genovault init` does. */
async function createVault(outDir: string): Promise<{ dataDir: string; keyFile: string }> {
  const dataDir = join(outDir, 'vault');
  const keyFile = defaultKeyFilePath(dataDir);
  const kek = newMasterKey(keyFile);
  await writeMasterKeyFile(keyFile, kek);
  await (await Vault.init(dataDir, kek)).close();
  return { dataDir, keyFile };
}

async function ingestPopulation(dataDir: string, keyFile: string, workDir: string): Promise<DemoPopulation> {
  const { readMasterKeyFile } = await import('../crypto/master-key.ts');
  const vault = await Vault.open(dataDir, await readMasterKeyFile(keyFile), { write: true });
  try {
    return await buildPopulation(vault, workDir);
  } finally {
    await vault.close();
  }
}

function printSummary(population: DemoPopulation, summary: Awaited<ReturnType<typeof summarize>>): void {
  say(`Demo population: ${summary.patients} patients, ${summary.samples} samples, ${summary.calls.toLocaleString('en-US')} calls in ${summary.partitions} sealed partitions`);
  say(`  ${SYNTHETIC_PATIENTS} synthetic exomes (GRCh38) and 5 real 1000 Genomes chr22 genomes (GRCh37), all under synthetic identities;`);
  say(`  a research cohort of ${RESEARCH_COHORT_PATIENTS} synthetic exomes (GRCh38, chr17 only), most with a research consent`);
  say(`  at rest: ${megabytes(summary.bytesAtRest)}, all of it encrypted (AES-256-GCM, one data key per sample)`);
  const records = population.reports.reduce((n, r) => n + r.records, 0);
  say(`  generated in ${population.seconds.generate.toFixed(1)} s; ingested ${records.toLocaleString('en-US')} VCF records in ${population.seconds.ingest.toFixed(1)} s`);
}

async function serveUntilInterrupted(service: VaultService): Promise<void> {
  const logger = createLogger({ level: service.config.logLevel, destination: process.stderr });
  const server = await serveVault(service, logger);
  say(`GenoVault demo listening on ${server.url}/v1 (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  say('stopping');
  await server.close(5000);
}

export async function runDemo(options: DemoOptions): Promise<void> {
  const started = performance.now();
  await prepareOutDir(options.outDir);
  const { dataDir, keyFile } = await createVault(options.outDir);
  say(`Demo vault: ${dataDir} (master key: ${keyFile})`);
  const population = await ingestPopulation(dataDir, keyFile, options.outDir);

  // Only the port and host come from the environment: a master key set there is not the demo's.
  const env = { GENOVAULT_PORT: process.env.GENOVAULT_PORT, GENOVAULT_HOST: process.env.GENOVAULT_HOST };
  const config = loadConfig({ dataDir, masterKeyFile: keyFile, logLevel: 'warn' }, env);
  const service = await openVaultService(config);
  try {
    await loadOrCreateCa(service.vault);
    const { people, focus, research, consents } = await populateService(service, population);
    say();
    printSummary(population, await summarize(service));
    say();
    for (const line of await exampleQueries(service, focus.focusPatientId)) say(line);
    say();
    const baseUrl = `https://localhost:${config.port}`;
    const login = { accounts: people.accounts, focus, caCertificate: caCertificatePath(dataDir), baseUrl };
    for (const line of loginInstructions(login)) say(line);
    say();
    for (const line of consentInstructions(login, consents)) say(line);
    say();
    for (const line of researchInstructions(login, research)) say(line);
    say();
    say(`Demo ready in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
    if (options.serve) await serveUntilInterrupted(service);
    else say(`Not served (--no-serve). To serve it: npx genovault serve --data-dir ${dataDir}   (its key file ${keyFile} is found beside it)`);
  } finally {
    await service.close();
  }
}

async function main(): Promise<number> {
  try {
    const options = parseDemoArgs(process.argv.slice(2), process.env);
    if (options.help) {
      say(DEMO_HELP);
      return 0;
    }
    await runDemo(options);
    return 0;
  } catch (err) {
    if (err instanceof DemoUsageError) process.stderr.write(`${err.message}\n\n${DEMO_HELP}\n`);
    else process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return err instanceof DemoUsageError ? 2 : 1;
  }
}

process.exitCode = await main();
