// Serves an existing vault in its own process, for load, crash and benchmark runs that drive it
// from another process. The vault comes from the environment (GENOVAULT_DATA_DIR and
// GENOVAULT_MASTER_KEY); it always listens on a free loopback port over plain HTTP and prints one
// JSON line, {"url": ...}, once it accepts connections. SIGTERM or SIGINT stops it gracefully.
// `--unaudited` opens the service without audit writes: the benchmark's baseline, never a deployment.
import { loadConfig } from '../../vault/config/load-config.ts';
import { createLogger } from '../../vault/http/logger.ts';
import { openVaultService } from '../../vault/service/open-service.ts';
import { serveVault } from '../../vault/service/http-service.ts';

export const UNAUDITED_FLAG = '--unaudited';

async function main(): Promise<void> {
  const unaudited = process.argv.includes(UNAUDITED_FLAG);
  // access lines at 'info' would make the log pipe part of what a load run measures
  const config = loadConfig({ host: '127.0.0.1', port: 0, plainHttp: true, logLevel: process.env.GENOVAULT_LOG_LEVEL || 'warn' });
  const service = await openVaultService(config, unaudited ? { unauditedForBenchmark: true } : {});
  const logger = createLogger({ level: config.logLevel, destination: process.stderr });
  const server = await serveVault(service, logger).catch(async (err: unknown) => {
    await service.close();
    throw err;
  });
  process.stdout.write(`${JSON.stringify({ url: server.url, unaudited })}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close(5_000);
  await service.close();
}

main().catch((err: unknown) => {
  // no stack: the parent shows this line to a person; our errors name what failed, never PHI
  process.stderr.write(`serve-vault failed: ${err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error'}\n`);
  process.exitCode = 1;
});
