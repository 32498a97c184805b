// GA4GH Beacon v2 over the research gateway: the framework's documents (/beacon and /beacon/info,
// /service-info, /configuration, /entry_types, /filtering_terms, /map) describe the beacon and its
// published disclosure mechanism to anyone (nothing secret); /beacon/g_variants answers a
// signed-in member of an approved project about that project's consented cohort.
import { z } from 'zod';
import { defineRoute, defineRouteTable } from '../../http/route.ts';
import { API_PREFIX } from '../../http/app.ts';
import type { HttpRouterContext } from '../../http/http-context.ts';
import { ApiError } from '../../http/api-error.ts';
import { BeaconQueryStringSchema, BeaconRequestBodySchema } from '../../../schemas/beacon.ts';
import type { VaultService } from '../open-service.ts';
import { researchCaller, withResearchErrors } from '../research-http.ts';

const BeaconDocumentSchema = z.looseObject({ meta: z.looseObject({ beaconId: z.string(), apiVersion: z.string() }) });
const ServiceInfoSchema = z.looseObject({ id: z.string(), name: z.string(), type: z.looseObject({ group: z.string(), artifact: z.string(), version: z.string() }) });
const answers = {
  200: { description: 'a Beacon v2 boolean or count response', schema: BeaconDocumentSchema },
  400: { description: 'a query this beacon does not answer (bracket queries, wildcards, filters), or several datasets' },
  403: { description: 'refused: `code` names why (project_suspended, budget_exhausted...)' },
  404: { description: 'no such dataset among your projects' },
  429: { description: 'repeat_lockout' },
};

/** A document of the Beacon framework, public: it describes the beacon and its published mechanism, never a secret or a patient. */
function frameworkDocument(path: string, summary: string, description: string, handler: (ctx: HttpRouterContext) => unknown, schema: z.ZodType = BeaconDocumentSchema) {
  return defineRoute({
    method: 'get', path, summary, tags: ['beacon'], auth: 'none', touchesPatientData: false,
    responses: { 200: { description, schema } },
    handler: (_input, ctx) => handler(ctx),
  });
}

/** This beacon holds no test data: a test-mode query would be answered from patients', and charged. */
function refuseTestMode(asked: boolean): void {
  if (asked) throw new ApiError({ code: 'unsupported_query', status: 400, title: 'Bad request', detail: 'testMode: this beacon holds no test data; ask without testMode (or with testMode=false)' });
}

export function beaconRoutes(service: VaultService) {
  const gateway = service.research;
  // the address the client reached us by; without a Host header, the configured port on localhost
  const apiRoot = (ctx: HttpRouterContext) => `${ctx.protocol}://${ctx.host || `localhost:${service.config.port}`}${API_PREFIX}`;
  const info = 'Beacon v2 info: this beacon and its published disclosure control (threshold, noise, budget)';
  return defineRouteTable('beacon', [
    frameworkDocument('/beacon', info, 'beaconInfoResponse (the beacon\'s root)', () => gateway.beaconInfo()),
    frameworkDocument('/beacon/info', info, 'beaconInfoResponse', () => gateway.beaconInfo()),
    frameworkDocument('/beacon/service-info', 'This beacon as a GA4GH service-info document', 'GA4GH service-info 1.0.0', (ctx) => gateway.beaconServiceInfo(apiRoot(ctx), service.config.beaconOrganizationUrl), ServiceInfoSchema),
    frameworkDocument('/beacon/configuration', 'Beacon v2 configuration: maturity, security (controlled access, boolean by default) and the entry types', 'beaconConfigurationResponse', () => gateway.beaconConfiguration()),
    frameworkDocument('/beacon/entry_types', 'Beacon v2 entry types: genomic variants', 'beaconEntryTypesResponse', () => gateway.beaconEntryTypes()),
    frameworkDocument('/beacon/filtering_terms', 'Beacon v2 filtering terms: none (a query with filters is refused)', 'beaconFilteringTermsResponse', () => gateway.beaconFilteringTerms()),
    frameworkDocument('/beacon/map', 'Beacon v2 map: the endpoints this beacon implements', 'beaconMapResponse', (ctx) => gateway.beaconMap(apiRoot(ctx))),
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
        const { requestedGranularity = 'boolean', includeResultsetResponses: _sets, skip: _skip, limit: _limit, testMode, ...parameters } = query;
        refuseTestMode(testMode === 'true');
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
        refuseTestMode(body.query?.testMode === true);
        return withResearchErrors(() => gateway.beaconQuery(researchCaller(ctx.state), { parameters, requestedGranularity }));
      },
    }),
  ]);
}
