// The OpenAPI 3.1 document, generated from the same route tables and zod schemas that the
// router validates with, so the documentation cannot drift from what the service accepts.
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { PROBLEM_CONTENT_TYPE, ProblemSchema } from '../../schemas/http/problem.ts';
import type { MountedRoute } from './mount-routes.ts';
import { toOpenApiPath } from './route.ts';
import type { Route } from './route.ts';

export interface ApiInfo {
  title: string;
  version: string;
  description?: string;
}

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

export const SESSION_COOKIE_SCHEME = 'sessionCookie';
export const BEARER_SCHEME = 'bearerToken';

function problem(description: string): ResponseConfig {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } } };
}

/** The problems the machinery itself may answer for this route, beside the ones it declares. */
function standardProblems(route: Route): Record<string, ResponseConfig> {
  const out: Record<string, ResponseConfig> = {
    400: problem('the request failed validation; `errors` names each bad field'),
    500: problem('unexpected server error; the body is generic and the details are in the log'),
  };
  if (route.auth === 'session') out[401] = problem('no valid session');
  if (route.request?.body || route.streamedBody) {
    out[413] = problem('the body is larger than this route accepts');
    out[415] = problem(route.streamedBody ? `the body is not one of ${route.streamedBody.contentTypes.join(', ')}` : 'the body is not application/json');
  }
  return out;
}

function streamedBodyConfig(spec: NonNullable<Route['streamedBody']>) {
  const schema = z.string().describe('the bytes of the file');
  return { required: true, description: spec.description, content: Object.fromEntries(spec.contentTypes.map((type) => [type, { schema }])) };
}

function routeConfig({ route, fullPath }: MountedRoute): RouteConfig {
  const responses: Record<string, ResponseConfig> = standardProblems(route);
  for (const [status, spec] of Object.entries(route.responses)) {
    responses[status] = spec.schema
      ? { description: spec.description, content: { [spec.contentType ?? 'application/json']: { schema: spec.schema } } }
      : { description: spec.description };
  }
  const request = route.request;
  return {
    method: route.method,
    path: toOpenApiPath(fullPath),
    operationId: `${route.method}${fullPath.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: route.tags,
    ...(route.auth === 'session' ? { security: [{ [SESSION_COOKIE_SCHEME]: [] }, { [BEARER_SCHEME]: [] }] } : {}),
    'x-touches-patient-data': route.touchesPatientData,
    request: {
      ...(request?.params ? { params: request.params } : {}),
      ...(request?.query ? { query: request.query } : {}),
      ...(request?.body ? { body: { required: true, content: { 'application/json': { schema: request.body } } } } : {}),
      ...(route.streamedBody ? { body: streamedBodyConfig(route.streamedBody) } : {}),
    },
    responses,
  };
}

export function buildOpenApiDocument(mounted: readonly MountedRoute[], info: ApiInfo, servers: string[] = []): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', SESSION_COOKIE_SCHEME, { type: 'apiKey', in: 'cookie', name: 'genovault_session' });
  registry.registerComponent('securitySchemes', BEARER_SCHEME, { type: 'http', scheme: 'bearer' });
  for (const entry of mounted) registry.registerPath(routeConfig(entry));
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { ...info },
    servers: servers.map((url) => ({ url })),
  });
}
