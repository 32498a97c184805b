// The one error handler: whatever a request throws becomes an RFC 9457 problem+json body.
// ApiErrors say what they mean; anything else is a bug, answered with a generic 500 whose
// details (class and stack frames, never the message) go to the log only.
import type { Middleware } from 'koa';
import { PROBLEM_CONTENT_TYPE } from '../../schemas/http/problem.ts';
import type { Problem } from '../../schemas/http/problem.ts';
import { ApiError, BEARER_CHALLENGE, methodNotAllowed, methodNotImplemented, notFound } from './api-error.ts';
import type { HttpContext, HttpState } from './http-context.ts';

export function problemOf(error: ApiError, requestId: string): Problem {
  return {
    type: 'about:blank',
    title: error.title,
    status: error.status,
    ...(error.detail !== undefined ? { detail: error.detail } : {}),
    code: error.code,
    instance: requestId,
    ...(error.errors !== undefined ? { errors: error.errors } : {}),
  };
}

/** Koa's own http-errors (ctx.throw, a client that hung up) carry a status and `expose`. */
function fromKoaHttpError(err: unknown): ApiError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { status, expose } = err as { status?: unknown; expose?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499 || expose !== true) return undefined;
  return new ApiError({ code: 'bad_request', status, title: 'The request could not be handled' });
}

const INTERNAL_ERROR = new ApiError({
  code: 'internal_error',
  status: 500,
  title: 'Internal server error',
  detail: 'the request failed on the server; quote the instance id to an administrator',
});

function toApiError(err: unknown, ctx: HttpContext): ApiError {
  if (err instanceof ApiError) return err;
  const clientError = fromKoaHttpError(err);
  if (clientError) return clientError;
  ctx.state.log.error({ err, route: ctx.state.routePattern ?? null }, 'request failed with an unexpected error');
  return INTERNAL_ERROR;
}

export function sendProblem(ctx: HttpContext, error: ApiError): void {
  for (const [name, value] of Object.entries(error.headers)) ctx.set(name, value);
  // RFC 9110: a 401 always says how to authenticate, whichever part of the app raised it
  if (error.status === 401 && !ctx.response.get('WWW-Authenticate')) ctx.set('WWW-Authenticate', BEARER_CHALLENGE);
  ctx.status = error.status;
  ctx.type = PROBLEM_CONTENT_TYPE;
  ctx.body = problemOf(error, ctx.state.requestId);
}

/** After routing: turn the router's bodiless 404, 405 and 501 (TRACE, PROPFIND...) into problems as well. */
function unanswered(ctx: HttpContext): ApiError | undefined {
  if (ctx.body !== undefined && ctx.body !== null) return undefined;
  if (ctx.status === 404) return notFound('no route matches this path');
  if (ctx.status === 405) {
    const allowed = ctx.response.get('Allow');
    return methodNotAllowed(allowed ? allowed.split(/\s*,\s*/) : []);
  }
  if (ctx.status === 501) return methodNotImplemented();
  return undefined;
}

export function problemMiddleware(): Middleware<HttpState> {
  return async (ctx, next) => {
    try {
      await next();
      const problem = unanswered(ctx);
      if (problem) sendProblem(ctx, problem);
    } catch (err) {
      sendProblem(ctx, toApiError(err, ctx));
    }
  };
}
