// A request id on every request and response: the client's own X-Request-Id when it is
// well formed (so a proxy's id follows the request through), else a fresh UUID.
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { RequestIdSchema } from '../../schemas/http/common.ts';
import type { HttpState } from './http-context.ts';

export const REQUEST_ID_HEADER = 'X-Request-Id';

export function pickRequestId(incoming: string | string[] | undefined): string {
  const candidate = Array.isArray(incoming) ? undefined : incoming;
  return candidate !== undefined && RequestIdSchema.safeParse(candidate).success ? candidate : randomUUID();
}

export function requestIdMiddleware(logger: Logger): Middleware<HttpState> {
  return async (ctx, next) => {
    const requestId = pickRequestId(ctx.req.headers['x-request-id']);
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ requestId });
    ctx.set(REQUEST_ID_HEADER, requestId);
    await next();
  };
}
