// A patient's consent directives: the ones in force (JSON, or FHIR R4 Consents), the full
// history, and granting, amending and revoking one. The patient, a proxy whose directive lets
// them, or a genetic counselor on the care team (citing the signed form) records; the policy
// decides which, per kind (consents, release authorizations, proxy authority), for the patient
// before the ledger is read or written, and every entry names who recorded it.
import { defineRoute, defineRouteTable } from '../../http/route.ts';
import { AmendDirectiveBodySchema, GrantDirectiveBodySchema, RevokeDirectiveBodySchema } from '../../../schemas/consent/events.ts';
import type { Directive, DirectiveKind } from '../../../schemas/consent/directive.ts';
import { ConsentHistoryEntrySchema, ConsentPathSchema, CurrentConsentsSchema, DirectiveChangeSchema, DirectivePathSchema } from '../../../schemas/consent/api.ts';
import { z } from 'zod';
import { consentBundle } from '../../../consent/fhir/consent-bundle.ts';
import { clinicalUseVerdict } from '../../../consent/evaluation/clinical-use.ts';
import type { DirectiveRecord } from '../../../consent/ledger/directive-view.ts';
import { ConsentLedgerError } from '../../../consent/ledger/ledger-errors.ts';
import type { HttpRouterContext } from '../../http/http-context.ts';
import type { Principal } from '../../identity/principal.ts';
import { principalOf } from '../authenticate.ts';
import { currentVault, defaultPurpose, mayAccess, patientExists, requestOrigin, requireAccess, withPatientAccess, type Granted } from '../patient-access.ts';
import { notFound } from '../../http/api-error.ts';
import { consentsInForce } from '../consent-state.ts';
import { DIRECTIVE_RESOURCES, checkNamedParties, directiveView, ledgerCall, recorderOf, resourceOfKind, type DirectiveResource } from '../consent-recording.ts';
import { eraseSamplesOnWithdrawal, type ErasureOutcome } from '../research-erasure.ts';
import { wantsFhir, FHIR_JSON } from '../fhir-negotiation.ts';
import type { VaultService } from '../open-service.ts';

const PATIENT_ID_SYSTEM = 'urn:genovault:patient-id';
/** What every route here shares: a patient in the path, session auth, audited by patient. */
const CONSENT_ROUTE = { tags: ['consents'], auth: 'session' as const, touchesPatientData: true, patientParam: 'id' };

/** A research withdrawal asking for the samples to be erased. */
const erasesSamples = (d: Directive): boolean => d.kind === 'research_use' && d.status === 'withdrawn' && d.mode === 'erase_samples';

/** A directive this caller may not change answers as one that does not exist (and as the ledger's unknown_directive). */
const noSuchDirective = () => notFound('no such directive for this patient');

/** The policy's permit for a change, and the resource it was decided on. */
interface DirectiveAccess {
  resource: DirectiveResource;
  granted: Granted;
}

export function consentRoutes(service: VaultService) {
  /** Records one change under the policy's decision (`decide`), audits it, and erases samples when a research withdrawal asks. */
  async function change(
    ctx: HttpRouterContext,
    patientId: string,
    operation: 'grant' | 'amend' | 'revoke',
    decide: (principal: Principal, purpose: string) => Promise<DirectiveAccess>,
    apply: (granted: Granted, principal: Principal) => Promise<DirectiveRecord>,
    askedToErase = false,
  ) {
    const principal = principalOf(ctx.state);
    const purpose = defaultPurpose(principal);
    const { resource, granted } = await decide(principal, purpose);
    // erasing the samples is decided on its own (resource variants, action delete) before anything is recorded
    if (askedToErase) await requireAccess(service, principal, { patientId, resource: 'variants', action: 'delete', purpose }, ctx.state);
    const record = await ledgerCall(() => apply(granted, principal));
    await service.audit.record({
      ...requestOrigin(ctx.state),
      actorId: principal.accountId,
      actorRoles: principal.roles,
      action: `consent.${operation}`,
      resource,
      patientId,
      purpose,
      decision: 'success',
      rule: null,
      reason: record.kind,
      targetId: `${record.directiveId}:v${record.version}`,
    });
    const d = record.directive;
    let erasure: ErasureOutcome | undefined;
    if (operation !== 'revoke' && erasesSamples(d)) {
      erasure = await eraseSamplesOnWithdrawal(service, principal, patientId, ctx.state);
    }
    ctx.status = operation === 'grant' ? 201 : 200;
    return { ...directiveView(record), ...(erasure ? { erasure } : {}) };
  }

  /** A proxy link from before the ledger, shown as a directive under this id (none for a ledger id). */
  const legacyLinkOf = (patientId: string, directiveId: string) =>
    service.consents.directive(patientId, directiveId) ? undefined : consentsInForce(service, patientId).directives.find((d) => d.directiveId === directiveId && d.source === 'legacy_proxy_link');

  /** The kind of an existing directive (its rule decides who may change it); undefined for an id this patient has none under. */
  const kindOf = (patientId: string, directiveId: string): DirectiveKind | undefined =>
    service.consents.directive(patientId, directiveId)?.kind ?? (legacyLinkOf(patientId, directiveId) ? 'proxy' : undefined);

  /** A new directive: decided on its kind's resource, for the patient. */
  const grantAccess = (ctx: HttpRouterContext, patientId: string, kind: DirectiveKind) => async (principal: Principal, purpose: string): Promise<DirectiveAccess> => {
    const resource = resourceOfKind(kind);
    const granted = await withPatientAccess(service, principal, { patientId, resource, action: 'create', purpose }, ctx.state, (g) => g);
    return { resource, granted };
  };

  /**
   * A change of an existing directive. The patient first, before the ledger is read: the caller
   * must be permitted to change this patient's directives under one of `resources` (what the
   * request names: an amendment's kind, or for a revocation any kind the caller's roles could
   * change), else 404 as for any patient. Only then the directive: an unknown id, another
   * patient's, or one of a kind the caller may not change (decided too) all answer the same 404,
   * so nobody learns which ids exist or what kind they are without the right to change them.
   */
  const changeAccess = (ctx: HttpRouterContext, patientId: string, directiveId: string, resources: readonly DirectiveResource[]) => async (principal: Principal, purpose: string): Promise<DirectiveAccess> => {
    const possible = resources.filter((resource) => service.authorizer.couldPermitForSomePatient({ roles: principal.roles, resource, action: 'update', purpose }));
    // every resource the request could need, decided up front in a fixed order (one audited refusal
    // for a caller whose roles could change none): the audit trail and the work are the same
    // whatever the id turns out to be
    const decided: { resource: DirectiveResource; decision: Awaited<ReturnType<typeof mayAccess>> }[] = [];
    for (const resource of possible.length > 0 ? possible : resources.slice(0, 1)) {
      decided.push({ resource, decision: await mayAccess(service, principal, { patientId, resource, action: 'update', purpose }, ctx.state) });
    }
    if (!decided.some((d) => d.decision.allowed)) throw notFound('no such patient');
    await currentVault(service);
    if (!patientExists(service, patientId)) throw notFound('no such patient');
    const kind = kindOf(patientId, directiveId);
    const own = kind === undefined ? undefined : decided.find((d) => d.resource === resourceOfKind(kind));
    // unknown, or of a kind not decided (an amendment names its kind) or refused: the same 404
    if (!own?.decision.allowed) throw noSuchDirective();
    return { resource: own.resource, granted: own.decision };
  };

  /**
   * The kinds of directive this caller may read for the patient, beyond consents (decided already):
   * release authorizations and proxy authority are each decided (and audited) for the patient, only
   * for roles the policy could let read them; others see none of that kind, and nothing of them.
   */
  async function readableResources(ctx: HttpRouterContext, principal: Principal, patientId: string, purpose: string): Promise<Set<DirectiveResource>> {
    const readable = new Set<DirectiveResource>(['consent']);
    for (const resource of DIRECTIVE_RESOURCES) {
      if (resource === 'consent' || !service.authorizer.couldPermitForSomePatient({ roles: principal.roles, resource, action: 'read', purpose })) continue;
      if ((await mayAccess(service, principal, { patientId, resource, action: 'read', purpose }, ctx.state)).allowed) readable.add(resource);
    }
    return readable;
  }

  /** Whether a directive is shown: its kind's resource is readable, or it is the caller's own authority as a proxy. */
  const mayRead = (readable: ReadonlySet<DirectiveResource>, principal: Principal, d: Directive): boolean =>
    readable.has(resourceOfKind(d.kind)) || (d.kind === 'proxy' && d.proxyAccountId === principal.accountId);

  return defineRouteTable('consents', [
    defineRoute({
      method: 'get',
      path: '/patients/:id/consents',
      summary: "The patient's directives in force (JSON, or a FHIR R4 Bundle of Consents with Accept: application/fhir+json)",
      ...CONSENT_ROUTE,
      request: { params: ConsentPathSchema },
      responses: { 200: { description: 'directives in force', schema: CurrentConsentsSchema }, 404: { description: 'no such patient, or not permitted' } },
      handler({ params }, ctx) {
        const principal = principalOf(ctx.state);
        const intent = { patientId: params.id, resource: 'consent' as const, action: 'read' as const, purpose: defaultPurpose(principal) };
        return withPatientAccess(service, principal, intent, ctx.state, async () => {
          const readable = await readableResources(ctx, principal, params.id, intent.purpose);
          const all = consentsInForce(service, params.id);
          // what the caller may read: a release authorization or a proxy's authority only with its own permit (a proxy sees its own)
          const consents = { ...all, directives: all.directives.filter((d) => mayRead(readable, principal, d.directive)) };
          if (wantsFhir(ctx)) {
            ctx.type = FHIR_JSON;
            return consentBundle({ patient: { type: 'Patient', identifier: { system: PATIENT_ID_SYSTEM, value: params.id } }, directives: consents.directives });
          }
          const clinical = clinicalUseVerdict(all, { hospitalDefault: service.config.clinicalUseDefault });
          const records = consents.directives.map((view) => service.consents.directive(params.id, view.directiveId) ?? view);
          return { patientId: params.id, directives: records.map(directiveView), clinicalUse: { permitted: clinical.permitted, basis: clinical.basis } };
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/patients/:id/consents/history',
      summary: 'Every grant, amendment and revocation of the patient\u2019s directives, oldest first, with who recorded it',
      ...CONSENT_ROUTE,
      request: { params: ConsentPathSchema },
      responses: { 200: { description: 'the history', schema: z.object({ items: z.array(ConsentHistoryEntrySchema) }) }, 404: { description: 'no such patient, or not permitted' } },
      handler({ params }, ctx) {
        const principal = principalOf(ctx.state);
        const intent = { patientId: params.id, resource: 'consent' as const, action: 'read' as const, purpose: defaultPurpose(principal) };
        return withPatientAccess(service, principal, intent, ctx.state, async () => {
          const readable = await readableResources(ctx, principal, params.id, intent.purpose);
          const directives = service.consents.directives(params.id);
          const kinds = new Map(directives.map((d) => [d.directiveId, d.kind]));
          const shown = new Set(directives.filter((d) => mayRead(readable, principal, d.directive)).map((d) => d.directiveId));
          const visible = service.consents.history(params.id).filter(({ event }) => shown.has(event.directiveId));
          const items = visible.map(({ at, version, event }) => ({
            at,
            type: event.type,
            directiveId: event.directiveId,
            version,
            kind: kinds.get(event.directiveId)!,
            recordedBy: event.recordedBy,
            ...(event.evidence ? { evidence: event.evidence } : {}),
            ...('replaces' in event ? { replaces: event.replaces } : {}),
            ...(event.type === 'revoked' && event.reason ? { reason: event.reason } : {}),
            ...(event.type !== 'revoked' ? { directive: event.directive } : {}),
          }));
          return { items };
        });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/patients/:id/consents',
      summary: 'Grant one directive (the patient, a proxy allowed to, or a genetic counselor on the care team citing the signed form)',
      description:
        'The body is one directive of any kind. A counselor must give `evidence` (the signed form\u2019s reference). A research withdrawal with `erase_samples` ' +
        'also destroys the patient\u2019s samples (crypto-shredding), for clinical use too; the answer says what became of them.',
      ...CONSENT_ROUTE,
      bodyLimitBytes: 32 * 1024,
      request: { params: ConsentPathSchema, body: GrantDirectiveBodySchema },
      responses: {
        201: { description: 'the directive as recorded', schema: DirectiveChangeSchema },
        404: { description: 'no such patient, or not permitted' },
        409: { description: 'a directive on the same subject is already in force' },
      },
      handler({ params, body }, ctx) {
        return change(ctx, params.id, 'grant', grantAccess(ctx, params.id, body.directive.kind), (granted, principal) => {
          checkNamedParties(service, params.id, body.directive);
          return service.consents.grant({ patientId: params.id, directive: body.directive, recordedBy: recorderOf(principal, granted), ...(body.evidence ? { evidence: body.evidence } : {}) });
        }, erasesSamples(body.directive));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/patients/:id/consents/:directiveId',
      summary: 'Amend a directive: a new version of the same kind (and about the same person), replacing the current version named in `replaces`',
      ...CONSENT_ROUTE,
      bodyLimitBytes: 32 * 1024,
      request: { params: DirectivePathSchema, body: AmendDirectiveBodySchema },
      responses: {
        200: { description: 'the directive at its new version', schema: DirectiveChangeSchema },
        404: { description: 'no such patient or directive, or not permitted' },
        409: { description: '`replaces` is not the current version, or the directive was revoked' },
      },
      handler({ params, body }, ctx) {
        return change(ctx, params.id, 'amend', changeAccess(ctx, params.id, params.directiveId, [resourceOfKind(body.directive.kind)]), (granted, principal) => {
          checkNamedParties(service, params.id, body.directive);
          return service.consents.amend({
            patientId: params.id, directiveId: params.directiveId, replaces: body.replaces, directive: body.directive,
            recordedBy: recorderOf(principal, granted), ...(body.evidence ? { evidence: body.evidence } : {}),
          });
        }, erasesSamples(body.directive));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/patients/:id/consents/:directiveId/revoke',
      summary: 'Revoke a directive from now on; what it permitted before stays done (a release already made is not undone)',
      ...CONSENT_ROUTE,
      bodyLimitBytes: 4096,
      request: { params: DirectivePathSchema, body: RevokeDirectiveBodySchema },
      responses: {
        200: { description: 'the directive, revoked', schema: DirectiveChangeSchema },
        404: { description: 'no such patient or directive, or not permitted' },
        409: { description: '`replaces` is not the current version, or already revoked' },
      },
      handler({ params, body }, ctx) {
        const extras = { ...(body.reason ? { reason: body.reason } : {}), ...(body.evidence ? { evidence: body.evidence } : {}) };
        return change(ctx, params.id, 'revoke', changeAccess(ctx, params.id, params.directiveId, DIRECTIVE_RESOURCES), async (granted, principal) => {
          const recordedBy = recorderOf(principal, granted);
          const legacy = legacyLinkOf(params.id, params.directiveId);
          if (!legacy) return service.consents.revoke({ patientId: params.id, directiveId: params.directiveId, replaces: body.replaces, recordedBy, ...extras });
          // a link from before the ledger becomes a directive at last, revoked at once: the ledger then
          // names the proxy, so the old link never comes back
          if (body.replaces !== legacy.version) throw new ConsentLedgerError('stale_version', `not the current version (which is ${legacy.version}): read the directive again`, 'replaces');
          const evidence = body.evidence ? { evidence: body.evidence } : {};
          const recorded = await service.consents.grant({ patientId: params.id, directive: legacy.directive, recordedBy, ...evidence });
          return service.consents.revoke({ patientId: params.id, directiveId: recorded.directiveId, replaces: recorded.version, recordedBy, ...extras });
        });
      },
    }),
  ]);
}
