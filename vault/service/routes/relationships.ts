// Care teams and proxies: who may act for, or treat, a patient. Managed by admins and the EHR
// service account (care_team, purpose operations); they grant no access to the managers.
import { z } from 'zod';
import { defineRoute, defineRouteTable } from '../../http/route.ts';
import { ApiError } from '../../http/api-error.ts';
import { PatientIdSchema } from '../../../schemas/clinical.ts';
import { AccountIdSchema } from '../../../schemas/api.ts';
import { principalOf } from '../authenticate.ts';
import { requireAccess } from '../patient-access.ts';
import type { VaultService } from '../open-service.ts';

const Params = z.object({ id: PatientIdSchema, accountId: AccountIdSchema });
type Kind = 'care-team' | 'proxies';

export function relationshipRoutes(service: VaultService) {
  const change = (kind: Kind, member: boolean) =>
    defineRoute({
      method: member ? 'put' : 'delete',
      path: `/patients/:id/${kind}/:accountId`,
      summary: `${member ? 'Add an account to' : 'Remove an account from'} the patient\u2019s ${kind === 'care-team' ? 'care team' : 'proxies'}`,
      tags: ['relationships'],
      auth: 'session',
      touchesPatientData: true,
      patientParam: 'id',
      request: { params: Params },
      responses: { 204: { description: 'done' } },
      async handler({ params }, ctx) {
        const principal = principalOf(ctx.state);
        await requireAccess(service, principal, { patientId: params.id, resource: 'care_team', action: member ? 'create' : 'delete', purpose: 'operations' }, ctx.state);
        if (!service.vault.catalog.patient(params.id) && !service.clinical.get(params.id)) throw new ApiError({ code: 'not_found', status: 404, title: 'Not Found', detail: 'no such patient' });
        const account = service.identity.getAccount(params.accountId);
        const role = kind === 'care-team' ? ['clinician', 'genetic_counselor'] : ['proxy'];
        if (!account || !account.roles.some((r) => role.includes(r))) {
          throw new ApiError({ code: 'validation_failed', status: 400, title: 'Bad Request', detail: `the account must hold the role ${role.join(' or ')}`, errors: [{ path: 'params.accountId', message: 'wrong role' }] });
        }
        if (kind === 'care-team') await service.clinical.setCareTeam(params.id, params.accountId, member, principal.accountId);
        else await service.clinical.setProxy(params.id, params.accountId, member, principal.accountId);
        ctx.status = 204;
        return undefined;
      },
    });
  return defineRouteTable('relationships', [change('care-team', true), change('care-team', false), change('proxies', true), change('proxies', false)]);
}
