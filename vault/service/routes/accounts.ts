// Account management, for admins only (and never a way into patient data: no password or TOTP
// secret reaches the admin, and accounts linked to a patient are refused here). Lifecycle and API
// tokens are in account-lifecycle.ts and api-tokens.ts.
import { z } from 'zod';
import { defineRoute, defineRouteTable } from '../../http/route.ts';
import { AccountSummarySchema, NewAccountBodySchema } from '../../../schemas/api.ts';
import { IssuedEnrolmentSchema } from '../../../schemas/enrolment.ts';
import { principalOf } from '../authenticate.ts';
import { requestOrigin, requireAccess } from '../patient-access.ts';
import { mapIdentityErrors } from '../identity-errors-http.ts';
import { auditedStep } from '../audit-outcome.ts';
import type { VaultService } from '../open-service.ts';
import type { AccountSummary } from '../../identity/account-summary.ts';
import { isPatientLinked } from '../../identity/account-validation.ts';

/** What an admin sees of an account: that it belongs to a patient's circle, never whose. */
function publicSummary(a: AccountSummary) {
  const { accountId, username, kind, roles, disabled, locked, totp, enrolmentPending, rolesRefused, createdAt } = a;
  return { accountId, username, kind, roles, patientLinked: isPatientLinked(a), disabled, locked, totp, enrolmentPending, rolesRefused, createdAt };
}

export function accountRoutes(service: VaultService) {
  const operations = (action: 'read' | 'create' | 'update') => ({ patientId: null, resource: 'account' as const, action, purpose: 'operations' });
  return defineRouteTable('accounts', [
    defineRoute({
      method: 'post',
      path: '/users',
      summary: 'Create a staff or service account (admin); a person gets the first half of a one-time enrolment code (a privacy officer approves the second), never a password or TOTP secret',
      tags: ['accounts'],
      auth: 'session',
      touchesPatientData: false,
      request: { body: NewAccountBodySchema },
      responses: { 201: { description: 'the new account', schema: z.object({ account: AccountSummarySchema, enrolment: IssuedEnrolmentSchema.optional() }) } },
      async handler({ body }, ctx) {
        const principal = principalOf(ctx.state);
        await requireAccess(service, principal, operations('create'), ctx.state);
        const created = await mapIdentityErrors(() =>
          auditedStep(
            service.audit,
            { ...requestOrigin(ctx.state), actor: principal, action: 'user.create', resource: 'account', flagged: true }, // every role reaches patient data or grants access to it (roles.ts)
            () => service.identity.createAccount(body, principal),
            (c) => c.account.accountId,
          ),
        );
        ctx.status = 201;
        return { account: publicSummary(created.account), ...(created.enrolment ? { enrolment: created.enrolment } : {}) };
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
        await requireAccess(service, principalOf(ctx.state), operations('read'), ctx.state);
        return { items: service.identity.listAccounts().map(publicSummary) };
      },
    }),
  ]);
}
