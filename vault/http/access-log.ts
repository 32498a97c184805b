// One log line per request: method, route pattern, status, duration. Never the raw URL or
// query string, which may hold MRNs or search text; the pattern is enough to find the code.
import type { Middleware } from 'koa';
import type { HttpState } from './http-context.ts';

export function accessLogMiddleware(): Middleware<HttpState> {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      ctx.state.log.info(
        {
          method: ctx.method,
          route: ctx.state.routePattern ?? null,
          status: ctx.status,
          durationMs: Math.round(durationMs * 1000) / 1000,
          ...(ctx.state.clientCertificate ? { clientCertificateSerial: ctx.state.clientCertificate.serialNumber } : {}),
        },
        'request',
      );
    }
  };
}
