// Accounting of disclosures for patients, audit events for auditors and the ethics board, and
// the break-glass review queue.
import { z } from 'zod';
import { defineRoute, defineRouteTable } from '../../http/route.ts';
import { PatientIdSchema } from '../../../schemas/clinical.ts';
import { AccessLogQuerySchema, AuditQuerySchema } from '../../../schemas/api.ts';
import { accessHistoryPage } from '../../audit/access-history.ts';
import type { AuditEvent } from '../../audit/audit-event.ts';
import { principalOf } from '../authenticate.ts';
import { requireAccess, withPatientAccess } from '../patient-access.ts';
import type { VaultService } from '../open-service.ts';

const AccessEntrySchema = z.object({
  /** when it happened; for repeated refusals, the last time */
  at: z.string(),
  /** for repeated refusals, the first time */
  firstAt: z.string(),
  /** 1, or how many identical refusals this item stands for */
  count: z.number().int().min(1),
  who: z.string(),
  roles: z.array(z.string()),
  action: z.string(),
  resource: z.string(),
  purpose: z.string().nullable(),
  decision: z.string(),
  /** the HTTP status answered, when recorded */
  status: z.number().nullable(),
  flagged: z.boolean(),
});

export function oversightRoutes(service: VaultService) {
  // host commands are recorded as the operating-system user (os:<name>), shown as such
  const usernameOf = (actorId: string | null) => (actorId ? (service.identity.getAccount(actorId)?.username ?? (actorId.startsWith('os:') ? actorId : 'unknown account')) : 'unknown');
  return defineRouteTable('oversight', [
    defineRoute({
      method: 'get',
      path: '/patients/:id/access-log',
      summary: 'Who accessed this patient\u2019s data, when and why (the patient or their proxy)',
      tags: ['patients', 'audit'],
      auth: 'session',
      touchesPatientData: true,
      patientParam: 'id',
      request: { params: z.object({ id: PatientIdSchema }), query: AccessLogQuerySchema },
      responses: {
        200: { description: 'accesses, newest first, a page at a time; repeated refusals collapsed', schema: z.object({ items: z.array(AccessEntrySchema), nextCursor: z.string().optional() }) },
        404: { description: 'no such patient, or not permitted' },
      },
      handler({ params, query }, ctx) {
        const principal = principalOf(ctx.state);
        return withPatientAccess(service, principal, { patientId: params.id, resource: 'access_log', action: 'read', purpose: 'self' }, ctx.state, () => {
          // the caller's own look at this trail is not news to them
          const ownLook = (e: AuditEvent) => e.actorId === principal.accountId && (e.resource === 'access_log' || e.route === ctx.state.routePattern);
          const start = query.cursor === undefined ? undefined : Number(query.cursor);
          const page = accessHistoryPage(service.audit.newestFirst({ patientId: params.id }, start), { limit: query.limit, skip: ownLook });
          const items = page.items.map(({ entry: { at, body: e }, count, firstAt }) => ({
            at, firstAt, count, who: usernameOf(e.actorId), roles: e.actorRoles, action: e.action, resource: e.resource, purpose: e.purpose, decision: e.decision, status: e.status ?? null, flagged: e.flagged ?? false,
          }));
          return { items, ...(page.next !== undefined ? { nextCursor: String(page.next) } : {}) };
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
        await requireAccess(service, principal, { patientId: null, resource: 'audit', action: 'read', purpose: 'operations' }, ctx.state);
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
        await requireAccess(service, principal, { patientId: null, resource: 'break_glass', action: 'read', purpose: 'operations' }, ctx.state);
        const items = service.clinical
          .breakGlassGrants()
          .reverse()
          .map((g) => ({ grantId: g.grantId, patientId: g.patientId, clinician: usernameOf(g.userId), reason: g.reason, grantedAt: g.grantedAt, expiresAt: g.expiresAt }));
        return { items };
      },
    }),
  ]);
}
