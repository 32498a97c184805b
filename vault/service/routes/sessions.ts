// Logging in and out. Every attempt is audited with its reason; the client sees one message.
import { defineRoute, defineRouteTable } from '../../http/route.ts';
import { LoginBodySchema, SessionSchema } from '../../../schemas/api.ts';
import { SESSION_COOKIE, principalOf, requestToken } from '../authenticate.ts';
import { clientKeyOf } from '../../http/client-address.ts';
import { refuseLogin } from '../login-refusal.ts';
import { requestOrigin } from '../patient-access.ts';
import type { VaultService } from '../open-service.ts';

export function sessionRoutes(service: VaultService, options: { secureCookie: boolean }) {
  const cookie = (value: string, maxAgeSeconds: number) =>
    `${SESSION_COOKIE}=${value}; Path=/v1; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${options.secureCookie ? '; Secure' : ''}`;

  return defineRouteTable('sessions', [
    defineRoute({
      method: 'post',
      path: '/sessions',
      summary: 'Log in with username, password and TOTP code',
      tags: ['sessions'],
      auth: 'none',
      touchesPatientData: false,
      bodyLimitBytes: 4096,
      request: { body: LoginBodySchema },
      responses: {
        201: { description: 'a new session', schema: SessionSchema },
        401: { description: 'invalid credentials or account locked' },
        429: { description: 'too many attempts from this client, for this name, or in all; wait Retry-After seconds' },
        503: { description: 'password checking is at capacity; wait Retry-After seconds' },
      },
      async handler({ body }, ctx) {
        const result = await service.identity.login(body, clientKeyOf(ctx.req.socket.remoteAddress));
        const origin = requestOrigin(ctx.state);
        if (!result.ok) return refuseLogin(service, origin, result);
        const { principal } = result;
        await service.audit.record({ ...origin, actorId: principal.accountId, actorRoles: principal.roles, action: 'login', resource: 'session', patientId: null, purpose: null, decision: 'success', rule: null });
        ctx.status = 201;
        ctx.set('Set-Cookie', cookie(result.token, service.config.sessionIdleMinutes * 60));
        return { token: result.token, expiresAt: result.expiresAt, account: { accountId: principal.accountId, username: principal.username, roles: principal.roles } };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/sessions/current',
      summary: 'Log out: end the current session',
      tags: ['sessions'],
      auth: 'session',
      touchesPatientData: false,
      responses: { 204: { description: 'the session has ended' } },
      async handler(_input, ctx) {
        const principal = principalOf(ctx.state);
        service.identity.logout(requestToken(ctx) ?? '');
        await service.audit.record({ ...requestOrigin(ctx.state), actorId: principal.accountId, actorRoles: principal.roles, action: 'logout', resource: 'session', patientId: null, purpose: null, decision: 'success', rule: null });
        ctx.set('Set-Cookie', cookie('', 0));
        ctx.status = 204;
        return undefined;
      },
    }),
  ]);
}
