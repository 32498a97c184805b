// Care teams and proxies: who may treat, or act for, a patient. Care teams are managed by
// registration staff and the EHR service account (care_team, purpose operations); nobody puts
// themselves on one, and managing them grants the managers nothing. Every change is audited, and
// flagged when a service made it (the EHR may assign any patient's care team). Leaving a care team
// withdraws the unredeemed enrolments for that patient the member issued or approved. Proxies come
// only from a patient enrolment (identity proofing in person, by two people); registration staff
// or a genetic counselor on the care team may remove one.
import { z } from 'zod';
import { defineRoute, defineRouteTable } from '../../http/route.ts';
import { ApiError, notFound } from '../../http/api-error.ts';
import { PatientIdSchema } from '../../../schemas/clinical.ts';
import { AccountIdSchema } from '../../../schemas/api.ts';
import { principalOf } from '../authenticate.ts';
import { requestOrigin, requireAccess, withPatientAccess } from '../patient-access.ts';
import { recordOutcome } from '../audit-outcome.ts';
import { withdrawVouchedEnrolments } from '../enrolments.ts';
import type { VaultService } from '../open-service.ts';

const Params = z.object({ id: PatientIdSchema, accountId: AccountIdSchema });
const CARE_ROLES = ['clinician', 'genetic_counselor'];
/** What every route here shares: a patient and an account in the path, 204 when done. */
const RELATIONSHIP_ROUTE = {
  tags: ['relationships'],
  auth: 'session' as const,
  touchesPatientData: true,
  patientParam: 'id',
  request: { params: Params },
  responses: { 204: { description: 'done' } },
};

export function relationshipRoutes(service: VaultService) {
  const careTeam = (member: boolean) =>
    defineRoute({
      method: member ? 'put' : 'delete',
      path: '/patients/:id/care-team/:accountId',
      summary: `${member ? 'Add a clinician or counselor to' : 'Remove an account from'} the patient\u2019s care team (registration staff, EHR service)`,
      ...RELATIONSHIP_ROUTE,
      async handler({ params }, ctx) {
        const principal = principalOf(ctx.state);
        await requireAccess(service, principal, { patientId: params.id, resource: 'care_team', action: member ? 'create' : 'delete', purpose: 'operations' }, ctx.state);
        if (!service.vault.catalog.patient(params.id) && !service.clinical.get(params.id)) throw notFound('no such patient');
        if (params.accountId === principal.accountId) {
          await recordOutcome(service.audit, { ...requestOrigin(ctx.state), actor: principal, action: 'care_team.change', resource: 'care_team', patientId: params.id, decision: 'failure', reason: 'own_membership', flagged: true });
          throw new ApiError({ code: 'not_permitted', status: 403, title: 'Forbidden', detail: 'nobody changes their own care-team membership' });
        }
        const account = service.identity.getAccount(params.accountId);
        if (!account || !account.roles.some((r) => CARE_ROLES.includes(r))) {
          throw new ApiError({ code: 'validation_failed', status: 400, title: 'Bad Request', detail: `the account must hold the role ${CARE_ROLES.join(' or ')}`, errors: [{ path: 'params.accountId', message: 'wrong role' }] });
        }
        await service.clinical.setCareTeam(params.id, params.accountId, member, principal.accountId);
        const change = { ...requestOrigin(ctx.state), actor: principal, resource: 'care_team', patientId: params.id, decision: 'success' as const, reason: params.accountId };
        await recordOutcome(service.audit, { ...change, action: member ? 'care_team.add' : 'care_team.remove', flagged: principal.kind === 'service' });
        if (!member) await withdrawVouchedEnrolments(service, principal, params.accountId, params.id, ctx.state);
        ctx.status = 204;
        return undefined;
      },
    });

  const removeProxy = defineRoute({
    method: 'delete',
    path: '/patients/:id/proxies/:accountId',
    summary: 'Remove a proxy (registration staff; a genetic counselor on the care team); proxies are added only by patient enrolment',
    ...RELATIONSHIP_ROUTE,
    async handler({ params }, ctx) {
      const principal = principalOf(ctx.state);
      const { requestId } = ctx.state;
      const intent = { patientId: params.id, resource: 'patient_account' as const, action: 'delete' as const, purpose: 'operations' };
      await withPatientAccess(service, principal, intent, ctx.state, async () => {
        if (!service.clinical.isProxyFor(params.accountId, params.id)) throw notFound('no such proxy for this patient');
        await service.clinical.unlinkProxy(params.id, params.accountId, principal.accountId);
        // the authority goes with the link: the proxy directive naming this account is revoked too
        const role = principal.roles.includes('registrar') ? ('registrar' as const) : ('genetic_counselor' as const);
        for (const d of service.consents.current(params.id).directives) {
          if (d.directive.kind !== 'proxy' || d.directive.proxyAccountId !== params.accountId) continue;
          await service.consents.revoke({ patientId: params.id, directiveId: d.directiveId, replaces: d.version, recordedBy: { accountId: principal.accountId, role }, evidence: { reference: `proxy-removed:${requestId}` } });
        }
        await recordOutcome(service.audit, { ...requestOrigin(ctx.state), actor: principal, action: 'proxy.remove', resource: 'patient_account', patientId: params.id, decision: 'success', reason: params.accountId, flagged: true });
      });
      ctx.status = 204;
      return undefined;
    },
  });

  return defineRouteTable('relationships', [careTeam(true), careTeam(false), removeProxy]);
}
