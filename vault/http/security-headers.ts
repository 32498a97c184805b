// Headers that make a browser treat our JSON as inert data: nothing framed, sniffed,
// cached or referred. HSTS only over TLS (it means nothing, and misleads, over plain HTTP).
import type { Middleware } from 'koa';
import type { HttpState } from './http-context.ts';

export const HSTS_VALUE = 'max-age=31536000; includeSubDomains';

export function securityHeadersMiddleware(options: { tls: boolean }): Middleware<HttpState> {
  return async (ctx, next) => {
    // set before next() so that error responses carry them as well
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
    if (options.tls) ctx.set('Strict-Transport-Security', HSTS_VALUE);
    await next();
  };
}
