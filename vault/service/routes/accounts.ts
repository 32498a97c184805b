// Account management, for admins only (and never a way into patient data). Lifecycle and API
// tokens are in account-lifecycle.ts and api-tokens.ts.
import { z } from 'zod';
import { defineRoute, defineRouteTable } from '../../http/route.ts';
import { AccountSummarySchema, NewAccountBodySchema } from '../../../schemas/api.ts';
import { principalOf } from '../authenticate.ts';
import { requireAccess } from '../patient-access.ts';
import { mapIdentityErrors } from '../identity-errors-http.ts';
import type { VaultService } from '../open-service.ts';
import type { AccountSummary } from '../../identity/account-summary.ts';

function publicSummary(a: AccountSummary) {
  return { accountId: a.accountId, username: a.username, kind: a.kind, roles: a.roles, ...(a.patientId ? { patientId: a.patientId } : {}), disabled: a.disabled, locked: a.locked, totp: a.totp, createdAt: a.createdAt };
}

export function accountRoutes(service: VaultService) {
  const operations = (action: 'read' | 'create' | 'update') => ({ patientId: null, resource: 'account' as const, action, purpose: 'operations' });
  return defineRouteTable('accounts', [
    defineRoute({
      method: 'post',
      path: '/users',
      summary: 'Create an account (admin); a person gets a TOTP secret to enrol, shown once',
      tags: ['accounts'],
      auth: 'session',
      touchesPatientData: false,
      request: { body: NewAccountBodySchema },
      responses: { 201: { description: 'the new account', schema: z.object({ account: AccountSummarySchema, totp: z.object({ secret: z.string(), uri: z.string() }).optional() }) } },
      async handler({ body }, ctx) {
        const principal = principalOf(ctx.state);
        await requireAccess(service, principal, operations('create'), ctx.state.requestId);
        const created = await mapIdentityErrors(() => service.identity.createAccount({ ...body }, principal));
        const totp = body.kind === 'human' ? await mapIdentityErrors(() => service.identity.enrollTotp(created.accountId, principal)) : undefined;
        await service.audit.record({ requestId: ctx.state.requestId, actorId: principal.accountId, actorRoles: principal.roles, action: 'user.create', resource: 'account', patientId: null, purpose: 'operations', decision: 'success', rule: null, reason: created.accountId });
        ctx.status = 201;
        return { account: publicSummary(created), ...(totp ? { totp } : {}) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/users',
      summary: 'List accounts (admin)',
      tags: ['accounts'],
      auth: 'session',
      touchesPatientData: false,
      responses: { 200: { description: 'accounts', schema: z.object({ items: z.array(AccountSummarySchema) }) } },
      async handler(_input, ctx) {
        await requireAccess(service, principalOf(ctx.state), operations('read'), ctx.state.requestId);
        return { items: service.identity.listAccounts().map(publicSummary) };
      },
    }),
  ]);
}
