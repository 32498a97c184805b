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

/** What became of an authorization decision audited for this request (see patient-request-audit.ts). */
export type AuditedDecision = 'permit' | 'deny';

export interface HttpState {
  /** made by the server for every request: the key of its audit entries */
  requestId: string;
  /** the client's own X-Request-Id, kept beside ours when well formed */
  clientRequestId: string | null;
  /** the peer address of the connection (never X-Forwarded-For) */
  sourceAddress: string | null;
  /** set by whoever audits an authorization decision for this request: 'deny' once any was refused */
  auditedDecision?: AuditedDecision;
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
