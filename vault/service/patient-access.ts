// The one path by which a route reaches patient data: authorize (which audits the decision
// before anything is read), then read. A refusal and an unknown patient look the same (404),
// so a caller learns nothing about who is in the vault.
import type { Resource, Action } from '../../consent/policy/vocabulary.ts';
import type { AccessQualifiers, ConsentBasis } from '../../consent/policy/consent-facts.ts';
import { ApiError, notFound } from '../http/api-error.ts';
import { MasterKeyError } from '../crypto/master-key.ts';
import { VaultLockedError } from '../store/vault-lock.ts';
import type { HttpState } from '../http/http-context.ts';
import type { Principal } from '../identity/principal.ts';
import type { VaultService } from './open-service.ts';

/**
 * The request an access is decided for: its ids and origin go into the audit entry, and the
 * decision is noted on it so the request audit does not log the same refusal twice.
 */
export type AuditedRequest = Pick<HttpState, 'requestId' | 'clientRequestId' | 'sourceAddress' | 'routePattern' | 'auditedDecision'>;

/** A request made inside the vault (demo set-up, tests): no client, no address. */
export function internalRequest(requestId: string): AuditedRequest {
  return { requestId, clientRequestId: null, sourceAddress: null };
}

/** The origin fields of an audit entry about this request (ids and addresses, no PHI). */
export function requestOrigin(request: AuditedRequest) {
  return { requestId: request.requestId, clientRequestId: request.clientRequestId, sourceAddress: request.sourceAddress, route: request.routePattern ?? null };
}

export interface AccessIntent {
  patientId: string | null;
  resource: Resource;
  action: Action;
  purpose: string;
  /** the release purpose of an insurer or third party, the research project */
  qualifiers?: AccessQualifiers;
}

export interface Granted {
  /** the access used a break-glass grant: it is flagged for review */
  breakGlass: boolean;
  rule: string | null;
  /** the directives (with versions), or the hospital default, the permit rested on */
  consentBasis: readonly ConsentBasis[];
}

/** Purpose of use when the caller does not declare one: what their role is for. */
export function defaultPurpose(principal: Principal): string {
  const roles = principal.roles as readonly string[];
  if (roles.includes('patient') || roles.includes('proxy')) return 'self';
  if (roles.includes('clinician') || roles.includes('genetic_counselor') || roles.includes('ehr_service')) return 'treatment';
  if (roles.includes('relative')) return 'family';
  if (roles.includes('insurer')) return 'insurance';
  if (roles.includes('external_recipient')) return 'disclosure';
  if (roles.includes('researcher')) return 'research';
  return 'operations';
}

/** The policy's refusal where no patient's existence is at stake (or must not show). */
export const forbidden = () => new ApiError({ code: 'forbidden', status: 403, title: 'Forbidden', detail: 'the access policy does not permit this' });

/** Decides and audits; throws 404 (patient data) or 403 (anything else) on refusal. */
export async function requireAccess(service: VaultService, principal: Principal, intent: AccessIntent, request: AuditedRequest): Promise<Granted> {
  const allowed = await mayAccess(service, principal, intent, request);
  if (!allowed.allowed) {
    if (intent.patientId !== null) throw notFound('no such patient');
    throw forbidden();
  }
  return { breakGlass: allowed.breakGlass, rule: allowed.rule, consentBasis: allowed.consentBasis };
}

/**
 * Role-level, before the request's object (an enrolment, a directive) is looked up: when no
 * patient's facts could let the caller's roles do this, the refusal is decided and audited with
 * no patient and answered 403, the same whether the object exists or not (`afterRefusal` may
 * audit what was asked, once the answer is settled). Returns otherwise, and the caller decides
 * for the patient as usual.
 */
export async function requireRoleLevelAccess(
  service: VaultService,
  principal: Principal,
  intent: Omit<AccessIntent, 'patientId' | 'qualifiers'>,
  request: AuditedRequest,
  afterRefusal?: () => Promise<void>,
): Promise<void> {
  if (service.authorizer.couldPermitForSomePatient({ roles: principal.roles, ...intent })) return;
  await mayAccess(service, principal, { ...intent, patientId: null }, request);
  await afterRefusal?.();
  throw forbidden();
}

/** Decides and audits, and answers the decision instead of throwing (e.g. whether an update may echo the record). */
export async function mayAccess(service: VaultService, principal: Principal, intent: AccessIntent, request: AuditedRequest): Promise<Granted & { allowed: boolean }> {
  const subject = { userId: principal.accountId, roles: principal.roles, ...(principal.insurerType !== undefined ? { insurerType: principal.insurerType } : {}) };
  const decision = await service.authorizer.authorize(
    { subject, patientId: intent.patientId, resource: intent.resource, action: intent.action, purpose: intent.purpose, ...(intent.qualifiers ? { qualifiers: intent.qualifiers } : {}) },
    requestOrigin(request),
  );
  request.auditedDecision = decision.allowed && request.auditedDecision !== 'deny' ? 'permit' : 'deny';
  return { allowed: decision.allowed, breakGlass: decision.breakGlass, rule: decision.rule, consentBasis: decision.consentBasis };
}

/**
 * The vault as committed now: what another process (a command-line ingest or erasure, a key
 * rotation) committed is taken in first. A change this process cannot follow (a rotated key it
 * cannot find) answers 503 rather than serving what may no longer be true.
 */
export async function currentVault(service: Pick<VaultService, 'vault'>): Promise<VaultService['vault']> {
  try {
    await service.vault.refresh();
  } catch (err) {
    if (!(err instanceof MasterKeyError)) throw err;
    throw new ApiError({ code: 'vault_key_replaced', status: 503, title: 'Service unavailable', detail: 'the vault was changed under a master key this service does not hold; it must be restarted' });
  }
  return service.vault;
}

/** A commit that waited too long for another change (a large erasure): 503, to be sent again. */
export function vaultBusyAsUnavailable(err: unknown): never {
  if (err instanceof VaultLockedError) {
    throw new ApiError({ code: 'vault_busy', status: 503, title: 'Service unavailable', detail: 'another change to the vault is being committed; send the request again shortly' });
  }
  throw err;
}

/** Authorizes, then runs `read` only if permitted and the patient exists. */
export async function withPatientAccess<T>(
  service: VaultService,
  principal: Principal,
  intent: AccessIntent & { patientId: string },
  request: AuditedRequest,
  read: (granted: Granted) => Promise<T> | T,
): Promise<T> {
  const granted = await requireAccess(service, principal, intent, request);
  await currentVault(service);
  if (!patientExists(service, intent.patientId)) throw notFound('no such patient');
  return read(granted);
}

/**
 * The patient with this MRN, when `intent` (without the patient) is permitted for them. An unknown
 * MRN and a refusal answer the same 404, and each leaves one audit entry (the refusal, or the
 * request's outcome), so neither the answer nor its timing tells whether the MRN exists.
 */
export async function patientByMrn(service: VaultService, principal: Principal, mrn: string, intent: Omit<AccessIntent, 'patientId'>, request: AuditedRequest): Promise<string> {
  const vault = await currentVault(service);
  const patientId = service.clinical.patientIdByMrn(mrn) ?? vault.catalog.patientByMrn(mrn)?.patientId;
  if (patientId === undefined) throw notFound('no such patient');
  await requireAccess(service, principal, { ...intent, patientId }, request);
  return patientId;
}

/** A patient with a record or with ingested data; asked only after a permit, so it reveals nothing. */
export function patientExists(service: Pick<VaultService, 'clinical' | 'vault'>, patientId: string): boolean {
  return service.clinical.get(patientId) !== undefined || service.vault.catalog.patient(patientId) !== undefined;
}
