// Route tables: composed in one place, enumerable, checked at start, and described in
// OpenAPI from the very schemas the router validates with.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { z } from 'zod';
import { createHttpApp } from '../../../vault/http/app.ts';
import { defineRoute, defineRouteTable, toOpenApiPath } from '../../../vault/http/route.ts';
import { parseQueryString } from '../../../vault/http/query-string.ts';
import { startServer } from '../../../vault/http/start-server.ts';
import type { RunningServer } from '../../../vault/http/start-server.ts';
import { bearerAuthenticator, discardOutcomes, logSink, send, testRoutes } from './http-test-kit.ts';

// The parts of the generated document these tests read.
interface Parameter {
  in: string;
  name: string;
  required: boolean;
  schema: { $ref?: string; pattern?: string; maximum?: number };
}
interface Operation {
  parameters: Parameter[];
  requestBody: { content: Record<string, { schema: { required: string[]; properties: Record<string, { maxLength?: number }> } }> };
  responses: Record<string, { content: Record<string, { schema: { $ref: string } }> }>;
  security: unknown[];
  'x-touches-patient-data': boolean;
}
interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { format?: string; properties?: Record<string, unknown> }> };
}

const noop = defineRoute({
  method: 'get',
  path: '/things/:id',
  summary: 'duplicate of the test route',
  tags: ['other'],
  auth: 'none',
  touchesPatientData: false,
  request: { params: z.object({ id: z.string() }) },
  responses: { 204: { description: 'nothing' } },
  handler: () => undefined,
});

describe('route tables', () => {
  it('lists every route with its full path, auth mode and patient-data flag', () => {
    const { routes } = createHttpApp({ logger: logSink().logger, routeTables: [testRoutes], tls: false, authenticate: bearerAuthenticator, auditPatientRequest: discardOutcomes });
    const listed = routes.map((r) => `${r.route.method.toUpperCase()} ${r.fullPath}`);
    assert.ok(listed.includes('GET /v1/things/:id'));
    assert.ok(listed.includes('POST /v1/things'));
    assert.ok(listed.includes('GET /v1/openapi.json'));
    assert.equal(routes.find((r) => r.fullPath === '/v1/things/:id')?.route.touchesPatientData, true);
    assert.equal(routes.find((r) => r.fullPath === '/v1/private')?.route.auth, 'session');
  });

  it('refuses the same method and path declared by two tables', () => {
    assert.throws(
      () => createHttpApp({ logger: logSink().logger, routeTables: [testRoutes, defineRouteTable('other', [noop])], tls: false, authenticate: bearerAuthenticator, auditPatientRequest: discardOutcomes }),
      /GET \/v1\/things\/:id is declared twice \(tables test and other\)/,
    );
  });

  it('refuses a session route when no authenticator is configured (deny by default)', () => {
    assert.throws(() => createHttpApp({ logger: logSink().logger, routeTables: [testRoutes], tls: false }), /needs a session but no authenticator/);
  });

  it('refuses a route whose path parameters and params schema disagree', () => {
    assert.throws(
      () =>
        defineRoute({
          method: 'get',
          path: '/patients/:patientId',
          summary: 'mismatched',
          tags: [],
          auth: 'none',
          touchesPatientData: true,
          request: { params: z.object({ id: z.string() }) },
          responses: { 200: { description: 'x' } },
          handler: () => undefined,
        }),
      /path parameters \[patientId\] differ from params schema \[id\]/,
    );
  });

  it('converts koa path parameters to OpenAPI templates', () => {
    assert.equal(toOpenApiPath('/v1/patients/:id/variants/:variantId'), '/v1/patients/{id}/variants/{variantId}');
  });
});

describe('query strings', () => {
  it('yield one string per name, and every value of a repeated name (which validation refuses)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 })), { maxLength: 8 }), (pairs) => {
        const parsed = parseQueryString(new URLSearchParams(pairs).toString());
        const names = [...new Set(pairs.map(([k]) => k))];
        assert.deepEqual(Object.keys(parsed).sort(), names.sort());
        for (const name of names) {
          const values = pairs.filter(([k]) => k === name).map(([, v]) => v);
          assert.deepEqual(parsed[name], values.length === 1 ? values[0] : values);
        }
      }),
    );
  });
});

describe('GET /v1/openapi.json', () => {
  let server: RunningServer;
  before(async () => {
    const { app } = createHttpApp({ logger: logSink().logger, routeTables: [testRoutes], tls: false, authenticate: bearerAuthenticator, auditPatientRequest: discardOutcomes });
    server = await startServer(app, { host: '127.0.0.1', port: 0, plainHttp: true });
  });
  after(() => server?.close());

  it('lists the routes with their parameter and body schemas and problem responses', async () => {
    const reply = await send(`${server.url}/v1/openapi.json`);
    assert.equal(reply.status, 200);
    const doc = reply.json<OpenApiDoc>();
    assert.equal(doc.openapi, '3.1.0');
    const read = doc.paths['/v1/things/{id}']!.get!;
    const id = read.parameters.find((p) => p.in === 'path' && p.name === 'id')!;
    assert.equal(id.required, true);
    assert.equal(id.schema.$ref, '#/components/schemas/Id');
    assert.equal(doc.components.schemas.Id?.format, 'uuid');
    const region = read.parameters.find((p) => p.in === 'query' && p.name === 'region')!;
    assert.equal(region.required, false);
    assert.equal(region.schema.pattern, '^(chr)?([0-9]{1,2}|X|Y|MT):[0-9]+-[0-9]+$');
    const limit = read.parameters.find((p) => p.name === 'limit')!;
    assert.equal(limit.schema.maximum, 50);
    assert.equal(read['x-touches-patient-data'], true);
    assert.ok(read.responses['400']!.content['application/problem+json']!.schema.$ref.endsWith('/Problem'));
    assert.ok(doc.components.schemas.Problem?.properties?.code);

    const create = doc.paths['/v1/things']!.post!;
    const body = create.requestBody.content['application/json']!.schema;
    assert.deepEqual(body.required.sort(), ['count', 'label']);
    assert.equal(body.properties.label?.maxLength, 40);
    assert.ok(create.responses['413'] && create.responses['415']);

    const privateRoute = doc.paths['/v1/private']!.get!;
    assert.ok(privateRoute.responses['401']);
    assert.ok(privateRoute.security.length > 0);
    assert.ok(doc.paths['/v1/openapi.json']?.get);
  });
});
