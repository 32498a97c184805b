// Accounting of disclosures for patients, audit events for auditors and the ethics board, and
// the break-glass review queue.
import { z } from 'zod';
import { defineRoute, defineRouteTable } from '../../http/route.ts';
import { PatientIdSchema } from '../../../schemas/clinical.ts';
import { AuditQuerySchema } from '../../../schemas/api.ts';
import { principalOf } from '../authenticate.ts';
import { requireAccess, withPatientAccess } from '../patient-access.ts';
import type { VaultService } from '../open-service.ts';

const AccessEntrySchema = z.object({
  at: z.string(),
  who: z.string(),
  roles: z.array(z.string()),
  action: z.string(),
  resource: z.string(),
  purpose: z.string().nullable(),
  decision: z.string(),
  flagged: z.boolean(),
});

export function oversightRoutes(service: VaultService) {
  const usernameOf = (accountId: string | null) => (accountId ? (service.identity.getAccount(accountId)?.username ?? 'unknown account') : 'unknown');
  return defineRouteTable('oversight', [
    defineRoute({
      method: 'get',
      path: '/patients/:id/access-log',
      summary: 'Who accessed this patient\u2019s data, when and why (the patient or their proxy)',
      tags: ['patients', 'audit'],
      auth: 'session',
      touchesPatientData: true,
      request: { params: z.object({ id: PatientIdSchema }) },
      responses: { 200: { description: 'accesses, newest first', schema: z.object({ items: z.array(AccessEntrySchema) }) } },
      async handler({ params }, ctx) {
        const principal = principalOf(ctx.state);
        return withPatientAccess(service, principal, { patientId: params.id, resource: 'access_log', action: 'read', purpose: 'self' }, ctx.state.requestId, async () => {
          const entries = await service.audit.query({ patientId: params.id, limit: 1000 });
          const items = entries
            .filter((e) => e.body.resource !== 'access_log')
            .map((e) => ({ at: e.at, who: usernameOf(e.body.actorId), roles: e.body.actorRoles, action: e.body.action, resource: e.body.resource, purpose: e.body.purpose, decision: e.body.decision, flagged: e.body.flagged ?? false }));
          return { items };
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/audit/events',
      summary: 'Audit events, filtered (auditors and the ethics board)',
      tags: ['audit'],
      auth: 'session',
      touchesPatientData: true,
      request: { query: AuditQuerySchema },
      responses: { 200: { description: 'events, newest first', schema: z.object({ items: z.array(z.record(z.string(), z.unknown())) }) } },
      async handler({ query }, ctx) {
        const principal = principalOf(ctx.state);
        await requireAccess(service, principal, { patientId: null, resource: 'audit', action: 'read', purpose: 'operations' }, ctx.state.requestId);
        const { limit, ...filters } = query;
        const defined = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined));
        const entries = await service.audit.query({ ...defined, limit });
        return { items: entries.map((e) => ({ seq: e.seq, at: e.at, ...e.body })) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/break-glass',
      summary: 'Break-glass grants awaiting review (ethics board)',
      tags: ['audit'],
      auth: 'session',
      touchesPatientData: true,
      responses: { 200: { description: 'grants, newest first', schema: z.object({ items: z.array(z.record(z.string(), z.unknown())) }) } },
      async handler(_input, ctx) {
        const principal = principalOf(ctx.state);
        await requireAccess(service, principal, { patientId: null, resource: 'break_glass', action: 'read', purpose: 'operations' }, ctx.state.requestId);
        const items = service.clinical
          .breakGlassGrants()
          .reverse()
          .map((g) => ({ grantId: g.grantId, patientId: g.patientId, clinician: usernameOf(g.userId), reason: g.reason, grantedAt: g.grantedAt, expiresAt: g.expiresAt }));
        return { items };
      },
    }),
  ]);
}
