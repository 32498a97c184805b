// Builds the koa app: the fixed middleware order, the composed route tables under /v1, and
// GET /v1/openapi.json generated from those same tables.
import Koa from 'koa';
import type { Logger } from 'pino';
import { z } from 'zod';
import { accessLogMiddleware } from './access-log.ts';
import { clientCertificateMiddleware } from './client-certificate.ts';
import type { HttpState } from './http-context.ts';
import { mountRoutes } from './mount-routes.ts';
import type { Authenticator, MountedRoute } from './mount-routes.ts';
import { buildOpenApiDocument } from './openapi.ts';
import type { ApiInfo } from './openapi.ts';
import { patientRequestAuditMiddleware } from './patient-request-audit.ts';
import type { PatientIdTest, PatientRequestAuditor } from './patient-request-audit.ts';
import { problemMiddleware } from './problem-response.ts';
import { requestIdMiddleware } from './request-id.ts';
import { defineRoute, defineRouteTable } from './route.ts';
import type { RouteTable } from './route.ts';
import { securityHeadersMiddleware } from './security-headers.ts';

export const API_PREFIX = '/v1';

export interface HttpAppOptions {
  logger: Logger;
  routeTables: readonly RouteTable[];
  /** true when served over HTTPS: adds HSTS */
  tls: boolean;
  info?: ApiInfo;
  authenticate?: Authenticator;
  /** records the outcome of every request to a route that touches patient data; required when there is one */
  auditPatientRequest?: PatientRequestAuditor;
  /** recognises a patient id in a path that matched no patient route, so that request is audited too */
  isPatientId?: PatientIdTest;
  defaultBodyLimitBytes?: number;
}

export interface HttpApp {
  app: Koa<HttpState>;
  /** every route the app serves, with its full path: what route-table tests enumerate */
  routes: readonly MountedRoute[];
}

const DEFAULT_INFO: ApiInfo = { title: 'GenoVault API', version: '1' };

function openApiTable(getDocument: () => unknown): RouteTable {
  return defineRouteTable('openapi', [
    defineRoute({
      method: 'get',
      path: '/openapi.json',
      summary: 'This API described in OpenAPI 3.1',
      tags: ['meta'],
      auth: 'none',
      touchesPatientData: false,
      responses: { 200: { description: 'the OpenAPI document', schema: z.record(z.string(), z.unknown()) } },
      handler: () => getDocument(),
    }),
  ]);
}

export function createHttpApp(options: HttpAppOptions): HttpApp {
  // the document describes every mounted route, this one included, so it is filled in after mounting
  const openApi: { document?: unknown } = {};
  const tables = [...options.routeTables, openApiTable(() => openApi.document)];
  const { router, mounted } = mountRoutes(tables, {
    prefix: API_PREFIX,
    ...(options.authenticate ? { authenticate: options.authenticate } : {}),
    ...(options.defaultBodyLimitBytes ? { defaultBodyLimitBytes: options.defaultBodyLimitBytes } : {}),
  });
  const patientRoute = mounted.find((m) => m.route.touchesPatientData);
  if (patientRoute && !options.auditPatientRequest) {
    // deny by default: requests to a patient route would go unaudited whenever authorize() is not reached
    throw new Error(`route ${patientRoute.route.method.toUpperCase()} ${patientRoute.fullPath} touches patient data but no request auditor was given`);
  }
  // built once, eagerly, so a schema the generator cannot describe fails at start, not on first GET
  openApi.document = buildOpenApiDocument(mounted, options.info ?? DEFAULT_INFO);

  const app = new Koa<HttpState>();
  app.proxy = false; // never trust X-Forwarded-* unless a deployment says so
  app.silent = true;
  app.on('error', (err: unknown) => options.logger.error({ err }, 'error after the response began'));
  app.use(requestIdMiddleware(options.logger));
  app.use(accessLogMiddleware());
  if (options.auditPatientRequest) app.use(patientRequestAuditMiddleware(router, mounted, options.auditPatientRequest, options.isPatientId));
  app.use(securityHeadersMiddleware({ tls: options.tls }));
  app.use(problemMiddleware());
  app.use(clientCertificateMiddleware());
  app.use(router.routes());
  app.use(router.allowedMethods());
  return { app, routes: mounted };
}
