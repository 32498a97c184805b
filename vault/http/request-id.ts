// Who is asking and under which id: every request gets a fresh id made here (the audit key; a
// client cannot choose or reuse it), the client's own X-Request-Id is kept beside it only when
// well formed, and the source address is the socket's peer (X-Forwarded-For is never trusted).
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { RequestIdSchema } from '../../schemas/http/common.ts';
import type { HttpState } from './http-context.ts';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** The client's X-Request-Id when it is one well-formed value, else null: it may never smuggle text into a log. */
export function clientRequestIdOf(incoming: string | string[] | undefined): string | null {
  if (incoming === undefined || Array.isArray(incoming)) return null;
  return RequestIdSchema.safeParse(incoming).success ? incoming : null;
}

export function requestIdMiddleware(logger: Logger): Middleware<HttpState> {
  return async (ctx, next) => {
    const requestId = randomUUID();
    const clientRequestId = clientRequestIdOf(ctx.req.headers['x-request-id']);
    ctx.state.requestId = requestId;
    ctx.state.clientRequestId = clientRequestId;
    ctx.state.sourceAddress = ctx.req.socket.remoteAddress ?? null;
    ctx.state.log = logger.child(clientRequestId === null ? { requestId } : { requestId, clientRequestId });
    ctx.set(REQUEST_ID_HEADER, requestId);
    await next();
  };
}
