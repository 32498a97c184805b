// GA4GH Beacon v2 over the research gateway: /beacon/info and /beacon/map describe the beacon and
// its published disclosure mechanism to anyone (nothing secret); /beacon/g_variants answers a
// signed-in member of an approved project about that project's consented cohort.
import { z } from 'zod';
import { defineRoute, defineRouteTable } from '../../http/route.ts';
import { API_PREFIX } from '../../http/app.ts';
import { BeaconQueryStringSchema, BeaconRequestBodySchema } from '../../../schemas/beacon.ts';
import type { VaultService } from '../open-service.ts';
import { researchCaller, withResearchErrors } from '../research-http.ts';
import { currentVault } from '../patient-access.ts';

const BeaconDocumentSchema = z.looseObject({ meta: z.looseObject({ beaconId: z.string(), apiVersion: z.string() }) });
const answers = {
  200: { description: 'a Beacon v2 boolean or count response', schema: BeaconDocumentSchema },
  400: { description: 'a query this beacon does not answer (bracket queries, wildcards, filters), or several datasets' },
  403: { description: 'refused: `code` names why (project_suspended, budget_exhausted...)' },
  404: { description: 'no such dataset among your projects' },
  429: { description: 'repeat_lockout' },
};

export function beaconRoutes(service: VaultService) {
  const gateway = service.research;
  return defineRouteTable('beacon', [
    defineRoute({
      method: 'get',
      path: '/beacon/info',
      summary: 'Beacon v2 info: this beacon and its published disclosure control (threshold, noise, budget)',
      tags: ['beacon'],
      auth: 'none',
      touchesPatientData: false,
      responses: { 200: { description: 'beaconInfoResponse', schema: BeaconDocumentSchema } },
      handler: () => gateway.beaconInfo(),
    }),
    defineRoute({
      method: 'get',
      path: '/beacon/map',
      summary: 'Beacon v2 map: the endpoints this beacon implements',
      tags: ['beacon'],
      auth: 'none',
      touchesPatientData: false,
      responses: { 200: { description: 'beaconMapResponse', schema: BeaconDocumentSchema } },
      // the address the client reached us by; without a Host header, the configured port on localhost
      handler: (_input, ctx) => gateway.beaconMap(`${ctx.protocol}://${ctx.host || `localhost:${service.config.port}`}${API_PREFIX}`),
    }),
    defineRoute({
      method: 'get',
      path: '/beacon/g_variants',
      summary: 'Beacon v2 genomic-variation query (0-based, half-open) over one of your projects\u2019 consented cohorts',
      tags: ['beacon'],
      auth: 'session',
      touchesPatientData: true,
      request: { query: BeaconQueryStringSchema },
      responses: answers,
      async handler({ query }, ctx) {
        const { requestedGranularity = 'boolean', ...parameters } = query;
        await currentVault(service);
        return withResearchErrors(() => gateway.beaconQuery(researchCaller(ctx.state), { parameters, requestedGranularity }), 'query');
      },
    }),
    defineRoute({
      method: 'post',
      path: '/beacon/g_variants',
      summary: 'Beacon v2 genomic-variation query as a Beacon request body',
      tags: ['beacon'],
      auth: 'session',
      touchesPatientData: true,
      request: { body: BeaconRequestBodySchema },
      responses: answers,
      async handler({ body }, ctx) {
        const given = body.query?.requestParameters ?? {};
        const parameters = 'g_variant' in given ? given.g_variant : given;
        const requestedGranularity = body.query?.requestedGranularity ?? 'boolean';
        await currentVault(service);
        return withResearchErrors(() => gateway.beaconQuery(researchCaller(ctx.state), { parameters, requestedGranularity }));
      },
    }),
  ]);
}
