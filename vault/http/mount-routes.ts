// Mounts route tables on a koa router. Each route runs the same steps in the same order:
// name the route for the log, authenticate, read the body, validate, then the handler.
import Router from '@koa/router';
import type { HttpRouterContext, HttpState } from './http-context.ts';
import { readJsonBody, DEFAULT_BODY_LIMIT_BYTES } from './json-body.ts';
import { parseQueryString } from './query-string.ts';
import type { Route, RouteTable } from './route.ts';
import { parseRequest } from './validation.ts';

/** Accepts the caller of an `auth: 'session'` route (setting ctx.state.principal) or throws an ApiError. */
export type Authenticator = (ctx: HttpRouterContext) => Promise<void>;

export interface MountOptions {
  /** e.g. `/v1`; every route path is relative to it */
  prefix: string;
  authenticate?: Authenticator;
  defaultBodyLimitBytes?: number;
}

/** A mounted route with its full path, for listing and for route-table tests. */
export interface MountedRoute {
  table: string;
  fullPath: string;
  route: Route;
}

export function listRoutes(tables: readonly RouteTable[], prefix: string): MountedRoute[] {
  return tables.flatMap((table) => table.routes.map((route) => ({ table: table.name, fullPath: prefix + route.path, route })));
}

function checkNoDuplicates(mounted: MountedRoute[]): void {
  const seen = new Map<string, string>();
  for (const { table, fullPath, route } of mounted) {
    const key = `${route.method.toUpperCase()} ${fullPath}`;
    const other = seen.get(key);
    if (other !== undefined) throw new Error(`route ${key} is declared twice (tables ${other} and ${table})`);
    seen.set(key, table);
  }
}

function routeMiddleware(mounted: MountedRoute, options: MountOptions) {
  const { route, fullPath } = mounted;
  const bodyLimit = route.bodyLimitBytes ?? options.defaultBodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  return async (ctx: HttpRouterContext): Promise<void> => {
    ctx.state.routePattern = `${route.method.toUpperCase()} ${fullPath}`;
    // authenticate before reading anything else, so strangers learn nothing from validation errors
    if (route.auth === 'session') {
      if (!options.authenticate) throw new Error('session route mounted without an authenticator');
      await options.authenticate(ctx);
    }
    const body = route.request?.body ? await readJsonBody(ctx, bodyLimit) : undefined;
    const input = parseRequest(route.request ?? {}, {
      params: ctx.params,
      query: parseQueryString(ctx.querystring),
      body,
    });
    const result: unknown = await route.handler(input, ctx);
    if (result !== undefined) ctx.body = result;
  };
}

export function mountRoutes(tables: readonly RouteTable[], options: MountOptions): { router: Router<HttpState>; mounted: MountedRoute[] } {
  const mounted = listRoutes(tables, options.prefix);
  checkNoDuplicates(mounted);
  const needsAuth = mounted.find((m) => m.route.auth === 'session');
  if (needsAuth && !options.authenticate) {
    // deny by default: a session route without an authenticator would be open to anyone
    throw new Error(`route ${needsAuth.route.method.toUpperCase()} ${needsAuth.fullPath} needs a session but no authenticator was given`);
  }
  // paths match exactly: /V1/PATIENTS or a trailing slash is another path, so a rule or a log
  // keyed on the path cannot be sidestepped by spelling it differently
  const router = new Router<HttpState>({ sensitive: true, strict: true });
  for (const entry of mounted) {
    router[entry.route.method](entry.fullPath, routeMiddleware(entry, options));
  }
  return { router, mounted };
}
