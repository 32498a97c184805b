// Account management, for admins only (and never a way into patient data: no password or TOTP
// secret reaches the admin, accounts linked to a patient are refused here, and no view an admin
// gets says which patient an account is linked to). The privacy officer alone looks that link up.
// Lifecycle and API tokens are in account-lifecycle.ts and api-tokens.ts.
import { z } from 'zod';
import { defineRoute, defineRouteTable } from '../../http/route.ts';
import { AccountIdSchema, AccountSummarySchema, NewAccountBodySchema, PatientLinksSchema } from '../../../schemas/api.ts';
import { ApiError } from '../../http/api-error.ts';
import { recordOutcome } from '../audit-outcome.ts';
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
  const { accountId, username, kind, roles, insurerType, disabled, locked, totp, enrolmentPending, rolesRefused, createdAt } = a;
  return { accountId, username, kind, roles, patientLinked: isPatientLinked(a), ...(insurerType ? { insurerType } : {}), disabled, locked, totp, enrolmentPending, rolesRefused, createdAt };
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
    defineRoute({
      method: 'get',
      path: '/users/:accountId/patient-links',
      summary: 'Which patients an account is linked to, as the patient, a proxy or a relative (the privacy officer; never an admin), audited under each patient',
      tags: ['accounts'],
      auth: 'session',
      touchesPatientData: false,
      request: { params: z.object({ accountId: AccountIdSchema }) },
      responses: {
        200: { description: 'the links, none for a staff or service account', schema: PatientLinksSchema },
        403: { description: 'not the privacy officer' },
        404: { description: 'no such account' },
      },
      async handler({ params }, ctx) {
        const principal = principalOf(ctx.state);
        await requireAccess(service, principal, { patientId: null, resource: 'patient_link', action: 'read', purpose: 'operations' }, ctx.state);
        const account = service.identity.getAccount(params.accountId);
        if (!account) throw new ApiError({ code: 'not_found', status: 404, title: 'Not Found', detail: 'no such account' });
        const own = account.patientId === undefined ? [] : [{ patientId: account.patientId, as: 'patient' as const }];
        const links = [...own, ...service.clinical.circleLinksOf(account.accountId)];
        // one entry under each patient, so the look-up shows in their access log
        const origin = requestOrigin(ctx.state);
        const entry = (patientId: string | null) => recordOutcome(service.audit, { ...origin, actor: principal, action: 'patient_link.read', resource: 'patient_link', patientId, decision: 'success', reason: account.accountId });
        for (const patientId of links.length > 0 ? [...new Set(links.map((l) => l.patientId))] : [null]) await entry(patientId);
        return { accountId: account.accountId, roles: account.roles, links };
      },
    }),
  ]);
}
