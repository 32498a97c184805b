import { configFrom, type CommandIo, type Flags } from '../cli-context.ts';
import { caCertificatePath } from '../../service/tls-material.ts';

export const serveHelp = `genovault serve --data-dir D [--host 127.0.0.1] [--port 8443] [--plain-http] [--tls-hostnames a,b]
  Serves the vault's API over HTTPS with a certificate from the vault's own CA (its certificate
  is written to D/tls/ca-certificate.pem for clients to trust). --plain-http only behind a TLS proxy.`;

export async function serveCommand(flags: Flags, io: CommandIo): Promise<number> {
  const config = configFrom(flags, io.env);
  const { openVaultService } = await import('../../service/open-service.ts');
  const { serveVault } = await import('../../service/http-service.ts');
  const { createLogger } = await import('../../http/logger.ts');
  const service = await openVaultService(config);
  const logger = createLogger({ level: config.logLevel, destination: process.stderr });
  let server;
  try {
    server = await serveVault(service, logger);
  } catch (err) {
    await service.close();
    throw err;
  }
  io.out(`GenoVault listening on ${server.url}/v1 ${config.plainHttp ? '(plain HTTP: put it behind a TLS proxy)' : `(CA certificate: ${caCertificatePath(config.dataDir)})`}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close(5000);
  await service.close();
  return 0;
}
