// The one path by which a route reaches patient data: authorize (which audits the decision
// before anything is read), then read. A refusal and an unknown patient look the same (404),
// so a caller learns nothing about who is in the vault.
import type { Resource, Action } from '../../consent/policy/vocabulary.ts';
import { ApiError, notFound } from '../http/api-error.ts';
import type { Principal } from '../identity/principal.ts';
import type { VaultService } from './open-service.ts';

export interface AccessIntent {
  patientId: string | null;
  resource: Resource;
  action: Action;
  purpose: string;
}

export interface Granted {
  /** the access used a break-glass grant: it is flagged for review */
  breakGlass: boolean;
  rule: string | null;
}

/** Purpose of use when the caller does not declare one: what their role is for. */
export function defaultPurpose(principal: Principal): string {
  const roles = principal.roles as readonly string[];
  if (roles.includes('patient') || roles.includes('proxy')) return 'self';
  if (roles.includes('clinician') || roles.includes('genetic_counselor') || roles.includes('ehr_service')) return 'treatment';
  return 'operations';
}

/** Decides and audits; throws 404 (patient data) or 403 (anything else) on refusal. */
export async function requireAccess(service: VaultService, principal: Principal, intent: AccessIntent, requestId: string): Promise<Granted> {
  const decision = await service.authorizer.authorize(
    { subject: { userId: principal.accountId, roles: principal.roles }, patientId: intent.patientId, resource: intent.resource, action: intent.action, purpose: intent.purpose },
    { requestId },
  );
  if (!decision.allowed) {
    if (intent.patientId !== null) throw notFound('no such patient');
    throw new ApiError({ code: 'forbidden', status: 403, title: 'Forbidden', detail: 'the access policy does not permit this' });
  }
  return { breakGlass: decision.breakGlass, rule: decision.rule };
}

/** Authorizes, then runs `read` only if permitted and the patient exists. */
export async function withPatientAccess<T>(
  service: VaultService,
  principal: Principal,
  intent: AccessIntent & { patientId: string },
  requestId: string,
  read: (granted: Granted) => Promise<T> | T,
): Promise<T> {
  const granted = await requireAccess(service, principal, intent, requestId);
  if (!service.clinical.get(intent.patientId) && !service.vault.catalog.patient(intent.patientId)) throw notFound('no such patient');
  return read(granted);
}
