// What the ethics board, auditors and the privacy officer see of consents and releases: counts
// of directives (never a patient's directive), and every request an insurer made, permitted or
// refused, with the rule that decided and why a release was refused.
import { z } from 'zod';
import { defineRoute, defineRouteTable } from '../../http/route.ts';
import { ConsentReportSchema, InsurerAttemptSchema, InsurerAttemptsQuerySchema } from '../../../schemas/consent/api.ts';
import { principalOf } from '../authenticate.ts';
import { requireAccess } from '../patient-access.ts';
import { consentReport } from '../consent-report.ts';
import type { VaultService } from '../open-service.ts';

export function consentOversightRoutes(service: VaultService) {
  return defineRouteTable('consent-oversight', [
    defineRoute({
      method: 'get',
      path: '/oversight/consents',
      summary: 'Consent directives counted by kind and state, research consents by DUO permission (ethics board, auditors, privacy officer)',
      tags: ['audit', 'consents'],
      auth: 'session',
      touchesPatientData: true,
      responses: { 200: { description: 'the counts; no patient and no directive is named', schema: ConsentReportSchema } },
      async handler(_input, ctx) {
        await requireAccess(service, principalOf(ctx.state), { patientId: null, resource: 'consent_report', action: 'read', purpose: 'operations' }, ctx.state);
        return consentReport(service.consents, service.config.clinicalUseDefault);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/oversight/insurer-attempts',
      summary: 'Every request by an insurer, permitted or refused, newest first (ethics board, auditors, privacy officer)',
      tags: ['audit'],
      auth: 'session',
      touchesPatientData: true,
      request: { query: InsurerAttemptsQuerySchema },
      responses: { 200: { description: 'the requests and what became of them', schema: z.object({ items: z.array(InsurerAttemptSchema) }) } },
      async handler({ query }, ctx) {
        await requireAccess(service, principalOf(ctx.state), { patientId: null, resource: 'audit', action: 'read', purpose: 'operations' }, ctx.state);
        const entries = await service.audit.query({ actorRole: 'insurer', limit: query.limit, ...(query.from ? { from: query.from } : {}) });
        const items = entries.map(({ at, body: e }) => ({
          at,
          insurer: e.actorId ? (service.identity.getAccount(e.actorId)?.username ?? 'unknown account') : 'unknown',
          patientId: e.patientId,
          route: e.route ?? null,
          decision: e.decision,
          rule: e.rule,
          reason: e.reason ?? e.outcome ?? null,
        }));
        return { items };
      },
    }),
  ]);
}
