// What leaves the vault on the patient's word: the findings a patient shares with a relative,
// the findings a HIPAA authorization releases to an insurer or a named recipient, and the
// patient's accounting of those disclosures. Each answer holds exactly what the directive in
// force covers (never a finding the patient declined to learn, never the record), and each is
// recorded as a disclosure before it leaves. A refused release is audited with why it was refused.
import { z } from 'zod';
import { defineRoute, defineRouteTable } from '../../http/route.ts';
import { ApiError, notFound } from '../../http/api-error.ts';
import { ConsentPathSchema, DisclosuresQuerySchema, DisclosuresSchema, ReleaseQuerySchema, ReleasedFindingsSchema } from '../../../schemas/consent/api.ts';
import type { ReleasePurpose } from '../../../schemas/consent/release-authorization.ts';
import { PurposeSchema } from '../../../schemas/api.ts';
import type { ScopeLike } from '../../../consent/evaluation/result-coverage.ts';
import { declinedFindings } from '../../../consent/evaluation/findings.ts';
import { findReleaseAuthorization } from '../../../consent/evaluation/release-search.ts';
import type { ConsentBasis } from '../../../consent/policy/consent-facts.ts';
import type { PatientConsents } from '../../../consent/ledger/directive-view.ts';
import { principalOf } from '../authenticate.ts';
import { defaultPurpose, mayAccess, patientExists, requestOrigin, withPatientAccess, type AuditedRequest } from '../patient-access.ts';
import { consentsInForce } from '../consent-state.ts';
import { coveredFindings } from '../findings-views.ts';
import { listDisclosures, recordDisclosure } from '../disclosures.ts';
import type { Principal } from '../../identity/principal.ts';
import type { VaultService } from '../open-service.ts';
import { badQuery } from './variants.ts';

/** The build to answer on (when the patient has samples on several) and the purpose of use, the caller's role's by default. */
const FindingsQuery = z.object({ build: z.string().regex(/^[A-Za-z0-9._-]{1,20}$/, 'a reference build: GRCh37 or GRCh38 (hg19, hg38)').optional(), purpose: PurposeSchema.optional() });
const FINDINGS_ROUTE = { tags: ['consents'], auth: 'session' as const, touchesPatientData: true, patientParam: 'id' };

/** The directive a permit rested on, at the version the decision saw; a change in between is answered 409, never served. */
function directiveOfBasis(consents: PatientConsents, bases: readonly ConsentBasis[]) {
  const basis = bases.find((b): b is Extract<ConsentBasis, { directiveId: string }> => 'directiveId' in b);
  const view = basis && consents.directives.find((d) => d.directiveId === basis.directiveId && d.version === basis.version);
  if (!basis || !view) throw new ApiError({ code: 'consent_changed', status: 409, title: 'Conflict', detail: 'the directive changed while the request was answered; ask again' });
  return { view, basis: { directiveId: basis.directiveId, version: basis.version } };
}

export function releasedFindingsRoutes(service: VaultService) {
  const findingsOf = async (patientId: string, build: string | undefined, scope: ScopeLike, consents: PatientConsents) => {
    const answer = await service.queries.variantsOfPatient(patientId, { build }).catch(badQuery);
    return coveredFindings(answer.variants, scope, declinedFindings(consents).declined);
  };

  /** Why a release was refused, for the ethics board's list (defect codes only: nothing of the form's content). */
  async function auditRefusal(principal: Principal, patientId: string, releasePurpose: ReleasePurpose, purpose: string, request: AuditedRequest): Promise<void> {
    const consents = consentsInForce(service, patientId);
    const insurer = principal.roles.includes('insurer');
    const found = findReleaseAuthorization(consents, {
      kind: insurer ? 'insurer_release' : 'third_party_release',
      recipientId: principal.accountId,
      purpose: releasePurpose,
      at: new Date(service.now()),
      ...(principal.insurerType !== undefined ? { insurerType: principal.insurerType } : {}),
    });
    const why = found.permitted ? 'not_permitted' : found.reason === 'no_authorization' ? 'no_authorization' : `defective:${[...new Set(found.defective.flatMap((d) => d.defects))].join(',')}`;
    await service.audit.record({
      ...requestOrigin(request), actorId: principal.accountId, actorRoles: principal.roles, action: 'release.refused', resource: 'released_findings',
      patientId, purpose, decision: 'failure', rule: null, reason: `${releasePurpose} ${why}`.slice(0, 200), flagged: insurer,
    });
  }

  return defineRouteTable('released-findings', [
    defineRoute({
      method: 'get',
      path: '/patients/:id/shared-findings',
      summary: 'The findings the patient shares with this relative (a relative\u2019s account): exactly those, never the record',
      ...FINDINGS_ROUTE,
      request: { params: ConsentPathSchema, query: FindingsQuery },
      responses: { 200: { description: 'the shared findings', schema: ReleasedFindingsSchema }, 404: { description: 'no such patient, or nothing shared with this account' } },
      handler({ params, query }, ctx) {
        const principal = principalOf(ctx.state);
        const intent = { patientId: params.id, resource: 'shared_findings' as const, action: 'read' as const, purpose: query.purpose ?? 'family' };
        return withPatientAccess(service, principal, intent, ctx.state, async (granted) => {
          const consents = consentsInForce(service, params.id);
          const { view, basis } = directiveOfBasis(consents, granted.consentBasis);
          if (view.directive.kind !== 'family_sharing') throw notFound();
          const findings = await findingsOf(params.id, query.build, view.directive.share, consents);
          await recordDisclosure(service, principal, ctx.state, {
            patientId: params.id, resource: 'shared_findings', purpose: intent.purpose, reason: 'family_sharing', basis, findings: findings.length, exemption: 'exempt_individual_agreement',
          });
          return { patientId: params.id, findings, basis };
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/patients/:id/released-findings',
      summary: 'The findings a valid HIPAA authorization releases to this insurer or named recipient, for the purpose given',
      description:
        'Refused (404, audited, and listed for the ethics board) without a complete, signed, unexpired, unrevoked authorization naming the caller and ' +
        '`releasePurpose`; a health plan is refused genetic information for underwriting whatever the form says.',
      ...FINDINGS_ROUTE,
      request: { params: ConsentPathSchema, query: ReleaseQuerySchema.extend(FindingsQuery.shape) },
      responses: { 200: { description: 'the released findings', schema: ReleasedFindingsSchema }, 404: { description: 'no such patient, or no valid authorization' } },
      async handler({ params, query }, ctx) {
        const principal = principalOf(ctx.state);
        const intent = { patientId: params.id, resource: 'released_findings' as const, action: 'read' as const, purpose: query.purpose ?? defaultPurpose(principal), qualifiers: { releasePurpose: query.releasePurpose } };
        const decision = await mayAccess(service, principal, intent, ctx.state);
        if (!decision.allowed) {
          await auditRefusal(principal, params.id, query.releasePurpose, intent.purpose, ctx.state);
          throw notFound('no such patient');
        }
        if (!patientExists(service, params.id)) throw notFound('no such patient');
        const consents = consentsInForce(service, params.id);
        const { view, basis } = directiveOfBasis(consents, decision.consentBasis);
        const d = view.directive;
        if ((d.kind !== 'insurer_release' && d.kind !== 'third_party_release') || !d.information) throw notFound();
        const findings = await findingsOf(params.id, query.build, d.information, consents);
        await recordDisclosure(service, principal, ctx.state, {
          patientId: params.id, resource: 'released_findings', purpose: intent.purpose, reason: query.releasePurpose, basis, findings: findings.length, exemption: 'exempt_authorization',
        });
        return { patientId: params.id, findings, basis };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/patients/:id/disclosures',
      summary: 'Accounting of disclosures (45 CFR 164.528): the last six years of releases outside treatment, payment and operations (the patient or a proxy)',
      description: 'Each entry: when, to whom, what, for what purpose, and the authorization or sharing directive it relied on; entries the regulation exempts from the accounting are listed too, marked exempt with the reason.',
      ...FINDINGS_ROUTE,
      request: { params: ConsentPathSchema, query: DisclosuresQuerySchema },
      responses: { 200: { description: 'disclosures, newest first', schema: DisclosuresSchema }, 404: { description: 'no such patient, or not permitted' } },
      handler({ params, query }, ctx) {
        const principal = principalOf(ctx.state);
        const intent = { patientId: params.id, resource: 'access_log' as const, action: 'read' as const, purpose: 'self' };
        return withPatientAccess(service, principal, intent, ctx.state, () => listDisclosures(service, params.id, query.limit));
      },
    }),
  ]);
}
