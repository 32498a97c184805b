// Serves a koa app over HTTPS (the default) or, only when explicitly asked, plain HTTP for
// running behind a TLS-terminating proxy. With requestClientCert the server asks for a
// client certificate and verifies it against `ca`; the app decides what an unverified one means.
// TLS 1.2 is limited to ECDHE key exchange with AEAD ciphers: forward secrecy, no CBC, no SHA-1.
import { createServer as createHttpServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { answerRequestsOutsideTheApp, MAX_HEADER_BYTES } from './client-error.ts';

export interface ServerTlsOptions {
  /** PEM private key of the server certificate */
  key: string;
  /** PEM server certificate (followed by intermediates, if any) */
  cert: string;
  /** PEM CA certificate(s) trusted for client certificates */
  ca?: string;
  requestClientCert?: boolean;
}

export type StartServerOptions = {
  host: string;
  port: number;
  requestTimeoutMs?: number;
  /** logs requests refused before they reach the app (oversized headers, unparseable requests) */
  logger?: Logger;
} & (
  | { tls: ServerTlsOptions; plainHttp?: never }
  | { tls?: never; plainHttp: true }
);

/** What the server needs of an app: koa's request handler. */
export interface ServableApp {
  callback(): RequestListener;
}

export interface RunningServer {
  url: string;
  server: Server;
  /** stops accepting, lets in-flight requests finish for up to graceMs, then cuts the rest */
  close(graceMs?: number): Promise<void>;
}

/** TLS 1.3 suites (all forward secret and AEAD), then TLS 1.2 ECDHE suites with AES-GCM or ChaCha20-Poly1305. */
export const TLS_CIPHERS = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

function makeServer(app: ServableApp, options: StartServerOptions): Server {
  const handler = app.callback();
  if (options.tls) {
    const { key, cert, ca, requestClientCert } = options.tls;
    if (requestClientCert && !ca) throw new Error('requestClientCert needs the CA that signs client certificates');
    return createHttpsServer(
      {
        key,
        cert,
        ...(ca ? { ca } : {}),
        minVersion: 'TLSv1.2',
        ciphers: TLS_CIPHERS,
        honorCipherOrder: true,
        requestCert: requestClientCert === true,
        // verified per request instead, so clients without a certificate can still use sessions
        rejectUnauthorized: false,
        maxHeaderSize: MAX_HEADER_BYTES,
      },
      handler,
    );
  }
  if (options.plainHttp !== true) throw new Error('plain HTTP must be asked for explicitly (plainHttp: true)');
  return createHttpServer({ maxHeaderSize: MAX_HEADER_BYTES }, handler);
}

function urlOf(server: Server, tls: boolean): string {
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${tls ? 'https' : 'http'}://${host}:${address.port}`;
}

export async function startServer(app: ServableApp, options: StartServerOptions): Promise<RunningServer> {
  const server = makeServer(app, options);
  answerRequestsOutsideTheApp(server, { tls: options.tls !== undefined, logger: options.logger });
  server.requestTimeout = options.requestTimeoutMs ?? 30_000;
  server.headersTimeout = Math.min(server.requestTimeout, 20_000);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = urlOf(server, options.tls !== undefined);
  return {
    url,
    server,
    close: (graceMs = 5_000) =>
      new Promise<void>((resolve, reject) => {
        const cut = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close((err) => {
          clearTimeout(cut);
          if (err) reject(err);
          else resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
