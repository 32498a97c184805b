// What the HTTP machinery puts on every request's ctx.state, and the context type routes see.
import type { ParameterizedContext } from 'koa';
import type { RouterContext } from '@koa/router';
import type { Logger } from 'pino';

/** The verified client certificate of a mutual-TLS connection. */
export interface ClientCertificate {
  commonName: string;
  serialNumber: string;
  /** SHA-256 fingerprint, colon-separated hex, as Node reports it */
  fingerprint256: string;
}

export interface HttpState {
  requestId: string;
  /** child logger carrying requestId; log ids and counts here, never PHI */
  log: Logger;
  /** set only when the client presented a certificate that our CA signed */
  clientCertificate?: ClientCertificate;
  /** route pattern (e.g. `/v1/patients/:id`) once the router matched one */
  routePattern?: string;
  /** filled by the authenticator for `auth: 'session'` routes */
  principal?: unknown;
}

export type HttpContext = ParameterizedContext<HttpState>;
export type HttpRouterContext = RouterContext<HttpState>;
