// Helpers for HTTP tests: a log sink that parses pino's JSON lines, a plain request function
// over node:http/https (so tests see exact headers and can present certificates), and a small
// route table exercising the machinery.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { RequestOptions } from 'node:https';
import { Writable } from 'node:stream';
import { z } from 'zod';
import { createLogger } from '../../../vault/http/logger.ts';
import { defineRoute, defineRouteTable } from '../../../vault/http/route.ts';
import { unauthenticated } from '../../../vault/http/api-error.ts';
import type { Authenticator } from '../../../vault/http/mount-routes.ts';
import type { PatientRequestAuditor, PatientRequestOutcome } from '../../../vault/http/patient-request-audit.ts';
import { IdSchema } from '../../../schemas/http/common.ts';

export interface LogSink {
  logger: ReturnType<typeof createLogger>;
  raw: () => string;
  lines: () => Record<string, unknown>[];
}

export function logSink(): LogSink {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ level: 'info', destination: stream });
  const raw = () => chunks.join('');
  return {
    logger,
    raw,
    lines: () =>
      raw()
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: <T = Record<string, unknown>>() => T;
}

export interface SendOptions extends Omit<RequestOptions, 'method' | 'headers'> {
  method?: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
  /** stream the body in chunks without Content-Length */
  chunked?: boolean;
}

export function send(url: string, options: SendOptions = {}): Promise<Reply> {
  const { method = 'GET', headers = {}, body, chunked, ...tls } = options;
  const target = new URL(url);
  const doRequest = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Reply>((resolve, reject) => {
    const req = doRequest(target, { method, headers, agent: false, ...tls }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined && chunked) {
      const bytes = Buffer.from(body);
      for (let i = 0; i < bytes.length; i += 4096) req.write(bytes.subarray(i, i + 4096));
      req.end();
    } else {
      req.end(body);
    }
  });
}

export const REGION = /^(chr)?([0-9]{1,2}|X|Y|MT):[0-9]+-[0-9]+$/;

export const GOOD_TOKEN = 'test-token-0123456789abcdef';

export const bearerAuthenticator: Authenticator = (ctx) => {
  if (ctx.get('authorization') !== `Bearer ${GOOD_TOKEN}`) return Promise.reject(unauthenticated());
  ctx.state.principal = { userId: 'u-1' };
  return Promise.resolve();
};

/** For apps whose test does not look at request outcomes (the patient-route audit has its own test). */
export const discardOutcomes: PatientRequestAuditor = () => Promise.resolve();

/** An auditor keeping every outcome it is given, in order. */
export function recordOutcomes(): { auditor: PatientRequestAuditor; outcomes: PatientRequestOutcome[] } {
  const outcomes: PatientRequestOutcome[] = [];
  return { outcomes, auditor: (outcome) => Promise.resolve(void outcomes.push(outcome)) };
}

const ThingSchema = z.object({ id: z.string(), region: z.string().optional(), limit: z.number() });

/** A route table that exercises every part of the machinery. */
export const testRoutes = defineRouteTable('test', [
  defineRoute({
    method: 'get',
    path: '/things/:id',
    summary: 'Read a thing',
    tags: ['test'],
    auth: 'none',
    touchesPatientData: true,
    patientParam: 'id',
    request: {
      params: z.object({ id: IdSchema }),
      query: z.object({ region: z.string().regex(REGION).optional(), limit: z.coerce.number().int().min(1).max(50).default(10) }),
    },
    responses: { 200: { description: 'the thing', schema: ThingSchema } },
    handler: ({ params, query }) => ({ id: params.id, region: query.region, limit: query.limit }),
  }),
  defineRoute({
    method: 'post',
    path: '/things',
    summary: 'Create a thing',
    tags: ['test'],
    auth: 'none',
    touchesPatientData: false,
    bodyLimitBytes: 1024,
    request: { body: z.object({ label: z.string().min(1).max(40), count: z.number().int().nonnegative() }) },
    responses: { 201: { description: 'created' } },
    handler: ({ body }, ctx) => {
      ctx.status = 201;
      return { label: body.label, count: body.count };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/boom',
    summary: 'Fails with an unexpected error',
    tags: ['test'],
    auth: 'none',
    touchesPatientData: false,
    responses: { 200: { description: 'never' } },
    handler: () => {
      throw new Error('lookup failed for MRN-123 (Ada Lovelace)');
    },
  }),
  defineRoute({
    method: 'get',
    path: '/log-phi',
    summary: 'Logs PHI-shaped fields, which redaction must hide',
    tags: ['test'],
    auth: 'none',
    touchesPatientData: false,
    responses: { 204: { description: 'logged' } },
    handler: (_input, ctx) => {
      ctx.state.log.info({ mrn: 'MRN-123', name: 'Ada', patient: { birthDate: '1815-12-10', mrn: 'MRN-123' } }, 'probe');
      ctx.state.log.info({ req: { headers: ctx.headers } }, 'headers probe');
      ctx.status = 204;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/private',
    summary: 'Needs a session',
    tags: ['test'],
    auth: 'session',
    touchesPatientData: false,
    request: { query: z.object({ page: z.coerce.number().int().min(1) }) },
    responses: { 200: { description: 'the caller' } },
    handler: ({ query }, ctx) => ({ principal: ctx.state.principal, page: query.page }),
  }),
  defineRoute({
    method: 'get',
    path: '/whoami',
    summary: 'The verified client certificate, if any',
    tags: ['test'],
    auth: 'none',
    touchesPatientData: false,
    responses: { 200: { description: 'the certificate subject' } },
    handler: (_input, ctx) => ({ clientCertificate: ctx.state.clientCertificate ?? null }),
  }),
]);
