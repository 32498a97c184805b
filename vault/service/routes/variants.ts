// A patient's variants beside the record summary, as each reader may see them: a clinician or
// counselor (clinical use permitted) sees findings the patient declined to learn masked, unless
// they unmask them by break-the-glass (flagged); the patient and a proxy never see them at all.
// The findings preferences are read from the ledger at this request, like every consent.
import { z } from 'zod';
import { defineRoute, defineRouteTable } from '../../http/route.ts';
import { ApiError } from '../../http/api-error.ts';
import { PatientIdSchema } from '../../../schemas/clinical.ts';
import { MaskedVariantSchema, QueryNoteSchema, UnmaskedVariantSchema, VariantSchema, VariantsQuerySchema } from '../../../schemas/api.ts';
import type { FindingsCategory } from '../../../schemas/consent/result-scope.ts';
import { declinedFindings } from '../../../consent/evaluation/findings.ts';
import { principalOf } from '../authenticate.ts';
import { defaultPurpose, mayAccess, withPatientAccess, type AuditedRequest, type Granted } from '../patient-access.ts';
import { toFhirBundle } from '../../clinical/fhir/fhir-bundle.ts';
import { QueryInputError } from '../../store/query-engine.ts';
import { RegionError } from '../../store/region.ts';
import type { PatientVariant } from '../../store/patient-variant.ts';
import type { Principal } from '../../identity/principal.ts';
import { FHIR_JSON, wantsFhir } from '../fhir-negotiation.ts';
import { consentsInForce } from '../consent-state.ts';
import { forClinician, isMasked, withoutDeclined, type MaskedVariant, type UnmaskedVariant } from '../findings-views.ts';
import type { VaultService } from '../open-service.ts';

export function badQuery(err: unknown): never {
  if (err instanceof QueryInputError || err instanceof RegionError) {
    const path = err instanceof RegionError ? 'query.region' : err.field ? `query.${err.field}` : 'query';
    throw new ApiError({ code: 'validation_failed', status: 400, title: 'Bad Request', detail: err.message, errors: [{ path, message: err.message }] });
  }
  throw err;
}

const CLINICAL_ROLES = ['clinician', 'genetic_counselor'];

/** The role of the policy line that let the caller read: it decides the view, whatever other roles they hold. */
const roleOfRule = (granted: Granted) => granted.rule?.split(', ')[2] ?? '';

interface View {
  variants: (PatientVariant | MaskedVariant | UnmaskedVariant)[];
  notes: z.infer<typeof QueryNoteSchema>[];
}

function viewFor(role: string, rows: PatientVariant[], declined: readonly FindingsCategory[], unmasked: boolean): View {
  if (declined.length === 0) return { variants: rows, notes: [] };
  if (!CLINICAL_ROLES.includes(role)) {
    // no count: how many were left out would itself tell what the patient chose not to know
    const left = withoutDeclined(rows, declined);
    return { variants: left, notes: [{ code: 'declined_findings_left_out', message: 'findings in the categories the patient chose not to learn are not shown' }] };
  }
  const variants = forClinician(rows, declined, unmasked);
  const withheld = variants.filter((v) => isMasked(v) || 'unmaskedByBreakGlass' in v).length;
  if (withheld === 0) return { variants, notes: [] };
  const notes: View['notes'] = unmasked
    ? [{ code: 'declined_findings_unmasked', message: `${withheld} finding(s) the patient declined to learn are shown unmasked by break-the-glass; this access is flagged for review` }]
    : [{ code: 'declined_findings_masked', message: `${withheld} finding(s) the patient declined to learn are masked (gene and category only); unmasking takes break-the-glass with a reason` }];
  return { variants, notes };
}

/** Unmasking is its own decision (break-the-glass only); a refusal is a 403, since the caller already reads this patient. */
async function requireUnmask(service: VaultService, principal: Principal, patientId: string, purpose: string, request: AuditedRequest): Promise<void> {
  const decision = await mayAccess(service, principal, { patientId, resource: 'declined_findings', action: 'read', purpose }, request);
  if (!decision.allowed) {
    throw new ApiError({ code: 'break_glass_required', status: 403, title: 'Forbidden', detail: 'unmasking findings the patient declined to learn needs an active break-the-glass grant, with its reason' });
  }
}

export function variantRoutes(service: VaultService, options: { fhirIdKey: Uint8Array }) {
  return defineRouteTable('variants', [
    defineRoute({
      method: 'get',
      path: '/patients/:id/variants',
      summary: "A patient's variants beside the record summary, filtered by gene, region or significance",
      description:
        'Findings in categories the patient declined to learn are left out for the patient and proxies, and masked for clinicians ' +
        '(gene and category only, marked "patient declined to learn"). `unmask=true` shows them to a clinician holding a break-the-glass grant; the access is flagged.',
      tags: ['patients'],
      auth: 'session',
      touchesPatientData: true,
      patientParam: 'id',
      request: { params: z.object({ id: PatientIdSchema }), query: VariantsQuerySchema },
      responses: {
        200: {
          description: 'variants on one reference build, with notes saying what an empty or partial answer means',
          schema: z.object({
            patient: z.record(z.string(), z.unknown()),
            build: z.string().nullable(),
            samplesQueried: z.number(),
            notes: z.array(QueryNoteSchema),
            variants: z.array(z.union([VariantSchema, MaskedVariantSchema, UnmaskedVariantSchema])),
            breakGlass: z.boolean(),
          }),
        },
        403: { description: 'unmasking asked without an active break-the-glass grant' },
      },
      async handler({ params, query }, ctx) {
        const principal = principalOf(ctx.state);
        const purpose = query.purpose ?? defaultPurpose(principal);
        return withPatientAccess(service, principal, { patientId: params.id, resource: 'variants', action: 'read', purpose }, ctx.state, async (granted) => {
          if (query.unmask) await requireUnmask(service, principal, params.id, purpose, ctx.state);
          const significance = query.significance?.split(',').map((s) => s.trim()).filter(Boolean);
          const answer = await service.queries.variantsOfPatient(params.id, { region: query.region, gene: query.gene, significance, build: query.build }).catch(badQuery);
          const { declined } = declinedFindings(consentsInForce(service, params.id));
          const view = viewFor(roleOfRule(granted), answer.variants, declined, query.unmask === true);
          const notes = [...answer.notes, ...view.notes];
          const record = service.clinical.get(params.id);
          if (wantsFhir(ctx)) {
            if (!record) throw new ApiError({ code: 'not_found', status: 404, title: 'Not Found', detail: 'no clinical record for this patient' });
            ctx.type = FHIR_JSON;
            const shown = view.variants.filter((v): v is PatientVariant => !isMasked(v));
            const masked = view.variants.filter(isMasked).map((m) => ({ gene: m.gene, categories: m.declinedCategories }));
            return toFhirBundle({ record, variants: shown, masked, build: answer.build, report: { notes, samplesQueried: answer.samplesQueried }, idKey: options.fhirIdKey });
          }
          const patient = record
            ? { patientId: record.patientId, givenName: record.givenName, familyName: record.familyName, birthDate: record.birthDate, sex: record.sex, conditions: record.conditions }
            : { patientId: params.id };
          return { patient, build: answer.build, samplesQueried: answer.samplesQueried, notes, variants: view.variants, breakGlass: granted.breakGlass || query.unmask === true };
        });
      },
    }),
  ]);
}
