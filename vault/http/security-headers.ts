// Headers that make a browser treat our JSON as inert data: nothing framed, sniffed,
// cached or referred. HSTS only over TLS (it means nothing, and misleads, over plain HTTP).
import type { Middleware } from 'koa';
import type { HttpState } from './http-context.ts';

export const HSTS_VALUE = 'max-age=31536000; includeSubDomains';

/** Every response's security headers; also written by client-error.ts, which answers before koa. */
export function securityHeaders(options: { tls: boolean }): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
    'Cross-Origin-Resource-Policy': 'same-origin',
    ...(options.tls ? { 'Strict-Transport-Security': HSTS_VALUE } : {}),
  };
}

export function securityHeadersMiddleware(options: { tls: boolean }): Middleware<HttpState> {
  const headers = securityHeaders(options);
  return async (ctx, next) => {
    // set before next() so that error responses carry them as well
    ctx.set(headers);
    await next();
  };
}
