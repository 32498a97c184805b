// New variant data into the running vault: the laboratory's or the EHR's service account posts a
// VCF (plain, gzip or BGZF) as the request body. It is authorized before a byte of the body is
// read, streamed into the ingest as it arrives (never held whole), cut off at the size limit, and
// committed all or nothing: a query sees none of it before the commit and all of it after. Audited
// as one entry per stored sample and one for the request.
import type { Readable } from 'node:stream';
import { defineRoute, defineRouteTable } from '../../http/route.ts';
import { ApiError, payloadTooLarge, unsupportedMediaType, validationFailed } from '../../http/api-error.ts';
import type { HttpRouterContext } from '../../http/http-context.ts';
import { IngestQuerySchema, IngestReceiptSchema } from '../../../schemas/api.ts';
import { principalOf } from '../authenticate.ts';
import { requestOrigin, requireAccess, vaultBusyAsUnavailable } from '../patient-access.ts';
import { REQUEST_OUTCOME_ACTION, REQUEST_OUTCOME_RESOURCE } from '../request-audit.ts';
import { DuplicateIngestError, ingestVcf, type IngestOptions, type IngestReport } from '../../ingest/ingest-vcf.ts';
import { parseBuildOption } from '../../ingest/ingest-build.ts';
import { targetSetPath } from '../../ingest/target-sets.ts';
import { VcfFormatError } from '../../ingest/vcf/vcf-format-error.ts';
import { SampleMappingError } from '../../ingest/sample-mapping.ts';
import { IngestBuildError } from '../../ingest/ingest-build.ts';
import type { Principal } from '../../identity/principal.ts';
import type { VaultService } from '../open-service.ts';

export const VCF_MEDIA_TYPES = ['text/vcf', 'text/plain', 'application/gzip', 'application/x-gzip', 'application/octet-stream'] as const;
/** how the body is named in its errors (file:line:column) */
const UPLOAD_NAME = 'upload.vcf';
const MiB = 1024 * 1024;

class BodyTooLarge extends Error {}

/** The request body as it arrives, refused past `limit` bytes (the ingest then aborts: nothing is stored). */
async function* limitedBody(body: Readable, limit: number, overflow: { seen: boolean }): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) {
      overflow.seen = true;
      throw new BodyTooLarge();
    }
    yield chunk;
  }
}

/** A VCF problem with its place, without the text it quoted from the file. */
function withoutQuotedText(message: string): string {
  return message.replace(/'[^']*'/g, '(…)').replace(/"[^"]*"/g, '(…)');
}

function badUpload(err: unknown): never {
  if (err instanceof VcfFormatError) {
    const detail = `${UPLOAD_NAME}:${err.line}:${err.column}: ${withoutQuotedText(err.problem)}`;
    throw new ApiError({ code: 'invalid_vcf', status: 400, title: 'Bad Request', detail, errors: [{ path: 'body', message: detail }] });
  }
  if (err instanceof SampleMappingError) {
    throw validationFailed([{ path: 'query.sample', message: "the VCF's samples do not match: name the sample column to store (sample), which a file with several samples needs" }]);
  }
  if (err instanceof IngestBuildError) throw validationFailed([{ path: 'query.build', message: withoutQuotedText(err.message).replace(/--build/g, 'build') }]);
  if (err instanceof Error && err.name === 'IngestInputError') throw validationFailed([{ path: 'body', message: 'not a readable VCF (plain, gzip or BGZF)' }]);
  // the same bytes' sample column is already stored: said without naming whose (the uploader reads no patient)
  if (err instanceof DuplicateIngestError) {
    throw new ApiError({ code: 'already_ingested', status: 409, title: 'Conflict', detail: 'this sample of this file (the same bytes) is already in the vault; nothing was stored' });
  }
  vaultBusyAsUnavailable(err);
}

function checkMediaType(ctx: HttpRouterContext): void {
  if (!ctx.request.is(...VCF_MEDIA_TYPES)) throw unsupportedMediaType(VCF_MEDIA_TYPES.join(', '));
}

/** One entry per stored sample (so each patient's access log shows it), then the request's own. */
async function auditStored(service: VaultService, ctx: HttpRouterContext, principal: Principal, report: IngestReport): Promise<void> {
  const origin = requestOrigin(ctx.state);
  const actor = { actorId: principal.accountId, actorRoles: [...principal.roles] };
  await Promise.all(report.samples.map((s) => service.audit.record({
    ...origin, ...actor, action: 'create', resource: 'variants', patientId: s.patientId, purpose: 'operations', decision: 'success', rule: null,
    targetId: s.sampleId, counts: { records: report.records, calls: s.calls, partitions: s.partitions },
  })));
  await service.audit.record({
    ...origin, ...actor, action: REQUEST_OUTCOME_ACTION, resource: REQUEST_OUTCOME_RESOURCE, patientId: null, purpose: 'operations', decision: 'success', rule: null,
    status: 201, outcome: 'ok', counts: { samples: report.samples.length, records: report.records },
  });
}

export function ingestRoutes(service: VaultService) {
  return defineRouteTable('ingests', [
    defineRoute({
      method: 'post',
      path: '/ingests',
      summary: "Store a patient's VCF in the running vault (laboratory or EHR service account): streamed, size-limited, all or nothing",
      description:
        'The body is the VCF (plain, gzip or BGZF). The patient is named by MRN; one not yet known is registered, which grants nobody access. ' +
        'A file with several samples needs `sample`. The reference build comes from the header, else `build`. Nothing is visible to queries until ' +
        'the whole file is stored; a bad line, an oversized body or a dropped connection stores nothing.',
      tags: ['variants'],
      auth: 'session',
      touchesPatientData: true,
      request: { query: IngestQuerySchema },
      streamedBody: { contentTypes: VCF_MEDIA_TYPES, description: 'the VCF, as a file would hold it' },
      responses: {
        201: { description: 'the samples stored, with their ids, build, record count and the deviations tolerated', schema: IngestReceiptSchema },
        503: { description: 'another change is being committed, or the audit log is unavailable: send again' },
      },
      async handler({ query }, ctx) {
        const principal = principalOf(ctx.state);
        await requireAccess(service, principal, { patientId: null, resource: 'variants', action: 'create', purpose: 'operations' }, ctx.state);
        checkMediaType(ctx);
        const limit = service.config.uploadMaxMb * MiB;
        const declared = Number(ctx.req.headers['content-length']);
        // we stop reading mid-body, so the connection cannot carry another request
        const tooLarge = () => (ctx.set('Connection', 'close'), payloadTooLarge(limit));
        if (Number.isFinite(declared) && declared > limit) throw tooLarge();
        const overflow = { seen: false };
        const options: IngestOptions = { patient: query.patient };
        if (query.sample !== undefined) options.sample = query.sample;
        if (query.build !== undefined) {
          try {
            options.build = parseBuildOption(query.build);
          } catch (err) {
            badUpload(err);
          }
        }
        if (query.targets !== undefined) {
          const path = await targetSetPath(service.config.dataDir, query.targets);
          if (path === null) throw validationFailed([{ path: 'query.targets', message: 'no target set of that name in this vault (genovault targets list)' }]);
          options.targets = path;
        }
        if (service.config.ingestWorkers !== undefined) options.workers = service.config.ingestWorkers;
        const input = { name: UPLOAD_NAME, bytes: limitedBody(ctx.req, limit, overflow), ...(Number.isFinite(declared) && { sizeHint: declared }) };
        const report = await ingestVcf(service.vault, input, options).catch((err: unknown) => {
          if (overflow.seen) throw tooLarge();
          badUpload(err);
        });
        await auditStored(service, ctx, principal, report);
        ctx.status = 201;
        // the receipt names samples, never the patient (internal id or MRN): the uploader reads no patient data
        const samples = report.samples.map(({ sampleId, name, calls, partitions, coverage }) => ({ sampleId, name, calls, partitions, coverage }));
        return { build: report.build, records: report.records, bytesRead: report.bytesRead, samples, warnings: report.warnings };
      },
    }),
  ]);
}
