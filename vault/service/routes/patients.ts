// The clinical record and the patient's variants. Every route goes through requireAccess /
// withPatientAccess, which decides with the policy and audits before anything is read.
import { z } from 'zod';
import { defineRoute, defineRouteTable } from '../../http/route.ts';
import { ApiError } from '../../http/api-error.ts';
import { PatientIdSchema, PatientRecordInputSchema, PatientRecordUpdateSchema, type PatientRecord } from '../../../schemas/clinical.ts';
import { BreakGlassBodySchema, PurposeQuerySchema, PatientLookupQuerySchema } from '../../../schemas/api.ts';
import { principalOf } from '../authenticate.ts';
import { mayAccess, requireAccess, requestOrigin, withPatientAccess, defaultPurpose, patientByMrn, vaultBusyAsUnavailable } from '../patient-access.ts';
import { toFhirBundle } from '../../clinical/fhir/fhir-bundle.ts';
import { FHIR_JSON, wantsFhir } from '../fhir-negotiation.ts';
import type { VaultService } from '../open-service.ts';
import { KeyedMutex } from '../../identity/keyed-mutex.ts';
import { recordOutcome } from '../audit-outcome.ts';

const PatientParams = z.object({ id: PatientIdSchema });

const RecordSchema = PatientRecordInputSchema.extend({ patientId: z.string(), version: z.number(), updatedAt: z.string() });
const RecordReceiptSchema = z.object({ patientId: z.string(), version: z.number(), updatedAt: z.string() });

function recordView(r: PatientRecord) {
  const { updatedBy: _by, ...view } = r;
  return view;
}

export function patientRoutes(service: VaultService, options: { fhirIdKey: Uint8Array }) {
  const registrations = new KeyedMutex();
  return defineRouteTable('patients', [
    defineRoute({
      method: 'post',
      path: '/patients',
      summary: 'Register a patient (registration staff, EHR service): a new record, or the record of a patient whose VCF came first; grants nobody access',
      description:
        'The caller is authorized before the MRN is looked at, so whoever may not register learns nothing about which MRNs exist. ' +
        'Registering never adds anyone to a care team.',
      tags: ['patients'],
      auth: 'session',
      touchesPatientData: true,
      request: { body: PatientRecordInputSchema },
      responses: { 201: { description: 'the patient id of the registered record', schema: RecordReceiptSchema }, 409: { description: 'a record with that MRN exists' } },
      async handler({ body }, ctx) {
        const principal = principalOf(ctx.state);
        const { requestId } = ctx.state;
        await requireAccess(service, principal, { patientId: null, resource: 'record', action: 'create', purpose: 'operations' }, ctx.state);
        // one registration at a time: two for the same MRN must not both pass the check below
        return registrations.run('registration', async () => {
          if (service.clinical.patientIdByMrn(body.mrn)) throw new ApiError({ code: 'patient_exists', status: 409, title: 'Conflict', detail: 'a record with that MRN exists' });
          const { patientId, created } = await service.vault.registerPatient(body.mrn).catch(vaultBusyAsUnavailable);
          const record = await service.clinical.recordPatient(patientId, body, principal.accountId);
          const reason = created ? 'new_patient' : 'record_for_ingested_patient';
          await recordOutcome(service.audit, { requestId, actor: principal, action: 'record.register', resource: 'record', patientId, decision: 'success', reason });
          ctx.status = 201;
          return { patientId, version: record.version, updatedAt: record.updatedAt };
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/patients',
      summary: 'Find a patient by MRN: the record of a patient the caller may read (a clinician: one on their care team), else 404',
      description:
        'An unknown MRN and a patient the caller may not read get the same 404. The decision is audited with the patient id; the MRN is ' +
        'never logged or audited (the access log holds the route pattern, not the query string).',
      tags: ['patients'],
      auth: 'session',
      touchesPatientData: true,
      request: { query: PatientLookupQuerySchema },
      responses: { 200: { description: 'the record (or only the patient id, for a patient with variants and no record yet)', schema: z.union([RecordSchema, z.object({ patientId: z.string() })]) }, 404: { description: 'no such patient, or not permitted' } },
      async handler({ query }, ctx) {
        const principal = principalOf(ctx.state);
        const purpose = query.purpose ?? defaultPurpose(principal);
        const patientId = await patientByMrn(service, principal, query.mrn, { resource: 'record', action: 'read', purpose }, ctx.state);
        const record = service.clinical.get(patientId);
        return record ? recordView(record) : { patientId };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/patients/:id',
      summary: 'Read a patient record (JSON, or a FHIR R4 Bundle with Accept: application/fhir+json)',
      tags: ['patients'],
      auth: 'session',
      touchesPatientData: true,
      patientParam: 'id',
      request: { params: PatientParams, query: PurposeQuerySchema },
      responses: { 200: { description: 'the record', schema: RecordSchema }, 404: { description: 'no such patient, or not permitted' } },
      async handler({ params, query }, ctx) {
        const principal = principalOf(ctx.state);
        const purpose = query.purpose ?? defaultPurpose(principal);
        return withPatientAccess(service, principal, { patientId: params.id, resource: 'record', action: 'read', purpose }, ctx.state, () => {
          const record = service.clinical.get(params.id);
          if (!record) throw new ApiError({ code: 'not_found', status: 404, title: 'Not Found', detail: 'no such patient' });
          if (!wantsFhir(ctx)) return recordView(record);
          ctx.type = FHIR_JSON;
          return toFhirBundle({ record, variants: [], build: null, idKey: options.fhirIdKey });
        });
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/patients/:id',
      summary: 'Update a patient record; every version is kept',
      tags: ['patients'],
      auth: 'session',
      touchesPatientData: true,
      patientParam: 'id',
      request: { params: PatientParams, body: PatientRecordUpdateSchema },
      responses: {
        200: { description: 'the updated record to a caller who may read it, else only its new version', schema: z.union([RecordSchema, RecordReceiptSchema]) },
        404: { description: 'no such patient, or not permitted' },
      },
      async handler({ params, body }, ctx) {
        const principal = principalOf(ctx.state);
        const updated = await withPatientAccess(service, principal, { patientId: params.id, resource: 'record', action: 'update', purpose: 'treatment' }, ctx.state, async () => {
          const record = await service.clinical.updatePatient(params.id, body, principal.accountId);
          if (!record) throw new ApiError({ code: 'not_found', status: 404, title: 'Not Found', detail: 'no such patient' });
          return record;
        });
        // Updating is not reading: the record comes back only to a caller the policy lets read it.
        const read = await mayAccess(service, principal, { patientId: params.id, resource: 'record', action: 'read', purpose: defaultPurpose(principal) }, ctx.state);
        return read.allowed ? recordView(updated) : { patientId: updated.patientId, version: updated.version, updatedAt: updated.updatedAt };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/patients/:id/break-glass',
      summary: 'Emergency access for a clinician outside the care team: time-boxed, flagged for ethics review',
      tags: ['patients'],
      auth: 'session',
      touchesPatientData: true,
      patientParam: 'id',
      bodyLimitBytes: 4096,
      request: { params: PatientParams, body: BreakGlassBodySchema },
      responses: { 201: { description: 'the grant', schema: z.object({ grantId: z.string(), expiresAt: z.string() }) } },
      async handler({ params, body }, ctx) {
        const principal = principalOf(ctx.state);
        return withPatientAccess(service, principal, { patientId: params.id, resource: 'break_glass', action: 'create', purpose: 'treatment' }, ctx.state, async () => {
          const grant = await service.clinical.grantBreakGlass(params.id, principal.accountId, body.reason, service.config.breakGlassMinutes * 60_000, service.now());
          await service.audit.record({ ...requestOrigin(ctx.state), actorId: principal.accountId, actorRoles: principal.roles, action: 'break_glass', resource: 'break_glass', patientId: params.id, purpose: 'treatment', decision: 'success', rule: null, reason: grant.grantId, flagged: true });
          ctx.status = 201;
          return { grantId: grant.grantId, expiresAt: grant.expiresAt };
        });
      },
    }),
  ]);
}
