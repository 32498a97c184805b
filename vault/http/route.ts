// A route is data: method, path, schemas, documentation, who may call it and whether it
// touches patient data, plus its handler. Tables of routes are mounted on the router and
// described in OpenAPI from the same object, and tests can enumerate every route.
import type { z } from 'zod';
import type { HttpRouterContext } from './http-context.ts';
import type { ParsedRequest, RequestSchemas } from './validation.ts';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** `none`: anyone may call it; `session`: the app's authenticator must accept the caller first. */
export type AuthMode = 'none' | 'session';

export interface ResponseSpec {
  description: string;
  /** body schema; absent for bodiless answers such as 204 */
  schema?: z.ZodType;
  /** defaults to application/json */
  contentType?: string;
}

export interface RouteDefinition<R extends RequestSchemas = RequestSchemas> {
  method: HttpMethod;
  /** relative to the API prefix, koa style: `/patients/:id` */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  request?: R;
  /** largest accepted JSON body; the app default (64 KiB) when absent */
  bodyLimitBytes?: number;
  /**
   * A body the handler reads itself, as it arrives (an uploaded VCF), instead of a JSON body parsed
   * before it: the media types it accepts, for the OpenAPI document. The handler enforces its limit.
   */
  streamedBody?: { contentTypes: readonly string[]; description: string };
  responses: Record<number, ResponseSpec>;
  auth: AuthMode;
  /** true when the handler reads or writes anything about a patient: it must go through authorize() */
  touchesPatientData: boolean;
  /**
   * The path parameter naming the patient (`id` in `/patients/:id`). Every request to a route that
   * touches patient data is audited whatever its outcome, and this says which patient it named.
   */
  patientParam?: string;
  /**
   * Gets the parsed request; a returned value other than undefined becomes the JSON body.
   * (Method syntax on purpose: it lets tables hold routes with different schemas.)
   */
  handler(input: ParsedRequest<R>, ctx: HttpRouterContext): unknown;
}

export type Route = RouteDefinition<RequestSchemas>;

const PATH_PARAMETER = /:([A-Za-z_][A-Za-z0-9_]*)/g;

export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(PATH_PARAMETER)].map((m) => m[1] ?? '');
}

/** `/patients/:id` → `/patients/{id}` */
export function toOpenApiPath(path: string): string {
  return path.replace(PATH_PARAMETER, '{$1}');
}

/** Checks what a type cannot: the path's parameters and the params schema name the same keys. */
function checkRoute(route: Route): void {
  const where = `${route.method.toUpperCase()} ${route.path}`;
  if (!route.path.startsWith('/')) throw new Error(`route ${where}: path must start with /`);
  const inPath = pathParameterNames(route.path).sort();
  const inSchema = Object.keys(route.request?.params?.shape ?? {}).sort();
  if (inPath.join(',') !== inSchema.join(',')) {
    throw new Error(`route ${where}: path parameters [${inPath.join(', ')}] differ from params schema [${inSchema.join(', ')}]`);
  }
  if (Object.keys(route.responses).length === 0) throw new Error(`route ${where}: declare at least one response`);
  if (route.streamedBody && route.request?.body) throw new Error(`route ${where}: a body is either streamed or parsed, not both`);
  checkPatientParam(route, where, inPath);
}

/** A route under /patients/:x that touches patient data must say that x names the patient, so its requests are audited by patient. */
function checkPatientParam(route: Route, where: string, inPath: string[]): void {
  const underPatient = /\/patients\/:([A-Za-z_][A-Za-z0-9_]*)/.exec(route.path)?.[1];
  if (route.patientParam !== undefined) {
    if (!route.touchesPatientData) throw new Error(`route ${where}: patientParam is only for routes that touch patient data`);
    if (!inPath.includes(route.patientParam)) throw new Error(`route ${where}: patientParam ${route.patientParam} is not a path parameter`);
  }
  if (route.touchesPatientData && underPatient !== undefined && route.patientParam !== underPatient) {
    throw new Error(`route ${where}: declare patientParam: '${underPatient}' (the parameter naming the patient)`);
  }
}

/** Declares a route; the handler's input is typed by the request schemas. */
export function defineRoute<R extends RequestSchemas = Record<never, never>>(route: RouteDefinition<R>): RouteDefinition<R> {
  checkRoute(route);
  return route;
}

/** A part's routes (vault, consent, research gateway), composed into the app in one place. */
export interface RouteTable {
  name: string;
  routes: readonly Route[];
}

export function defineRouteTable(name: string, routes: readonly Route[]): RouteTable {
  return { name, routes };
}
