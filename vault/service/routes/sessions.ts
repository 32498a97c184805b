// Logging in and out. Every attempt is audited with its reason; the client sees one message.
import { defineRoute, defineRouteTable } from '../../http/route.ts';
import { ApiError } from '../../http/api-error.ts';
import { LoginBodySchema, SessionSchema } from '../../../schemas/api.ts';
import { SESSION_COOKIE, principalOf, requestToken } from '../authenticate.ts';
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
      responses: { 201: { description: 'a new session', schema: SessionSchema }, 401: { description: 'invalid credentials or account locked' } },
      async handler({ body }, ctx) {
        const result = await service.identity.login(body);
        const requestId = ctx.state.requestId;
        if (!result.ok) {
          const base = { requestId, actorId: result.accountId ?? null, actorRoles: [], resource: 'session', patientId: null, purpose: null, rule: null };
          await service.audit.record({ ...base, action: 'login', decision: 'failure', reason: result.reason });
          if (result.lockedNow) await service.audit.record({ ...base, action: 'lockout', decision: 'success', reason: 'too_many_failures' });
          throw new ApiError({ code: 'login_failed', status: 401, title: 'Unauthorized', detail: result.message });
        }
        const { principal } = result;
        await service.audit.record({ requestId, actorId: principal.accountId, actorRoles: principal.roles, action: 'login', resource: 'session', patientId: null, purpose: null, decision: 'success', rule: null });
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
        await service.audit.record({ requestId: ctx.state.requestId, actorId: principal.accountId, actorRoles: principal.roles, action: 'logout', resource: 'session', patientId: null, purpose: null, decision: 'success', rule: null });
        ctx.set('Set-Cookie', cookie('', 0));
        ctx.status = 204;
        return undefined;
      },
    }),
  ]);
}
