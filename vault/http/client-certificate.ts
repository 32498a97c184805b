// Mutual TLS: a client certificate that our CA signed identifies a service account (e.g. the
// EHR integration); one that it did not sign is refused, not ignored, so a misconfigured
// client hears about it. Connections without a certificate pass through to other auth.
import type { TLSSocket } from 'node:tls';
import type { Middleware } from 'koa';
import { clientCertificateRejected } from './api-error.ts';
import type { ClientCertificate, HttpState } from './http-context.ts';

function isTlsSocket(socket: unknown): socket is TLSSocket {
  return typeof (socket as TLSSocket | undefined)?.getPeerCertificate === 'function';
}

/** The verified peer certificate of this connection; undefined when none was presented. */
export function verifiedClientCertificate(socket: unknown): ClientCertificate | undefined {
  if (!isTlsSocket(socket)) return undefined;
  const peer = socket.getPeerCertificate();
  // Node returns an empty object when the client sent no certificate
  if (!peer || Object.keys(peer).length === 0) return undefined;
  if (!socket.authorized) throw clientCertificateRejected();
  const commonName = peer.subject?.CN;
  if (typeof commonName !== 'string' || commonName.length === 0) throw clientCertificateRejected();
  return { commonName, serialNumber: peer.serialNumber, fingerprint256: peer.fingerprint256 };
}

export function clientCertificateMiddleware(): Middleware<HttpState> {
  return async (ctx, next) => {
    const certificate = verifiedClientCertificate(ctx.req.socket);
    if (certificate) ctx.state.clientCertificate = certificate;
    await next();
  };
}
