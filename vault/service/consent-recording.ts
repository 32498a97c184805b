// Recording a directive for a patient, once the policy has allowed it: who it is recorded as
// (the role of the rule that allowed it), the checks the schema cannot make (the people a
// directive names are who they must be, the diseases can be placed), the ledger's refusals as
// problem answers, and the views the routes return. Which resource a directive falls under decides
// whose rule applies: a proxy may manage consents yet not authorize releases or appoint proxies.
import type { Directive, DirectiveKind } from '../../schemas/consent/directive.ts';
import type { RecordedBy, RecorderRole } from '../../schemas/consent/events.ts';
import { RECORDER_ROLES } from '../../schemas/consent/events.ts';
import type { DirectiveRecord, DirectiveView } from '../../consent/ledger/directive-view.ts';
import { ConsentLedgerError, ConsentLedgerUnavailableError, type RefusalCode } from '../../consent/ledger/ledger-errors.ts';
import { diseaseOntology, UnknownDiseaseError } from '../../consent/duo/disease-ontology.ts';
import type { Resource } from '../../consent/policy/vocabulary.ts';
import { ApiError, notFound, validationFailed } from '../http/api-error.ts';
import type { Principal } from '../identity/principal.ts';
import type { Granted } from './patient-access.ts';
import type { VaultService } from './open-service.ts';

/** The policy resources directives fall under, in the order a revocation (which names no kind) asks them. */
export const DIRECTIVE_RESOURCES = ['consent', 'release_authorization', 'proxy_authority'] as const satisfies readonly Resource[];
export type DirectiveResource = (typeof DIRECTIVE_RESOURCES)[number];

/** The policy resource a directive of this kind is recorded, amended or revoked under. */
export function resourceOfKind(kind: DirectiveKind): DirectiveResource {
  if (kind === 'insurer_release' || kind === 'third_party_release') return 'release_authorization';
  if (kind === 'proxy') return 'proxy_authority';
  return 'consent';
}

/** Who the entry is recorded as: the account, in the role of the policy line that allowed it. */
export function recorderOf(principal: Principal, granted: Granted): RecordedBy {
  const role = granted.rule?.split(', ')[2];
  if (!RECORDER_ROLES.includes(role as RecorderRole)) {
    throw new ApiError({ code: 'not_permitted', status: 403, title: 'Forbidden', detail: 'only the patient, their proxy or a genetic counselor records directives' });
  }
  return { accountId: principal.accountId, role: role as RecorderRole };
}

const field = (path: string, message: string) => validationFailed([{ path, message }]);

/**
 * What the schema cannot check: a family share names a relative linked to this patient, a proxy
 * directive a proxy enrolled for this patient, and every disease of a research scope is one the
 * vault's ontology can place. Runs after the policy allowed the caller, so it reveals nothing to
 * anyone else; messages name the field, never the value.
 */
export function checkNamedParties(service: Pick<VaultService, 'identity' | 'clinical'>, patientId: string, directive: Directive): void {
  if (directive.kind === 'family_sharing' && 'accountId' in directive.relative) {
    const account = service.identity.getAccount(directive.relative.accountId);
    if (!account?.roles.includes('relative') || service.clinical.relativeOf(account.accountId, patientId) === undefined) {
      throw field('body.directive.relative.accountId', 'not the account of a relative enrolled for this patient');
    }
  }
  // A proxy directive documents the authority of a proxy enrolled for this patient (identity
  // proofed by one person, confirmed by another); it never links a new account on one person's word.
  if (directive.kind === 'proxy') {
    const account = service.identity.getAccount(directive.proxyAccountId);
    if (!account?.roles.includes('proxy') || !service.clinical.isProxyFor(account.accountId, patientId)) {
      throw field('body.directive.proxyAccountId', 'not the account of a proxy enrolled for this patient');
    }
  }
  if (directive.kind === 'research_use' && directive.status === 'consented') {
    directive.scope.diseases.forEach((disease, i) => {
      try {
        diseaseOntology().readings(disease);
      } catch (err) {
        if (err instanceof UnknownDiseaseError) throw field(`body.directive.scope.diseases.${i}`, 'not a disease this vault can place (give a current DOID, or a MONDO id with an exact match)');
        throw err;
      }
    });
  }
}

const REFUSALS: Record<RefusalCode, { status: number; title: string; path?: string }> = {
  invalid_event: { status: 400, title: 'Bad Request' },
  evidence_required: { status: 400, title: 'Bad Request', path: 'body.evidence' },
  unknown_directive: { status: 404, title: 'Not found' },
  directive_exists: { status: 409, title: 'Conflict' },
  directive_revoked: { status: 409, title: 'Conflict' },
  stale_version: { status: 409, title: 'Conflict', path: 'body.replaces' },
  kind_changed: { status: 400, title: 'Bad Request', path: 'body.directive.kind' },
  party_changed: { status: 400, title: 'Bad Request', path: 'body.directive' },
  already_in_force: { status: 409, title: 'Conflict' },
};

/** Runs a ledger call, answering its refusals as problems that name the rule and the field. */
export async function ledgerCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ConsentLedgerError) {
      const refusal = REFUSALS[err.code];
      if (err.code === 'unknown_directive') throw notFound('no such directive for this patient'); // as routes/consents.ts answers a directive the caller may not change
      const path = refusal.path ?? (err.field ? `body.${err.field}` : undefined);
      throw new ApiError({ code: err.code, status: refusal.status, title: refusal.title, detail: err.message, ...(path ? { errors: [{ path, message: err.message }] } : {}) });
    }
    if (err instanceof ConsentLedgerUnavailableError) {
      throw new ApiError({ code: 'consent_ledger_unavailable', status: 503, title: 'Service unavailable', detail: 'the consent log could not be written; try again later' });
    }
    throw err;
  }
}

/** A directive as the routes show it. */
export function directiveView(record: DirectiveView | DirectiveRecord) {
  const kind = record.directive.kind;
  return {
    directiveId: record.directiveId,
    kind,
    version: record.version,
    status: record.revokedAt === undefined ? ('in_force' as const) : ('revoked' as const),
    directive: record.directive,
    grantedAt: record.grantedAt,
    updatedAt: record.updatedAt,
    ...(record.revokedAt !== undefined ? { revokedAt: record.revokedAt } : {}),
    ...('recordedBy' in record ? { recordedBy: record.recordedBy } : {}),
    ...('evidence' in record && record.evidence ? { evidence: record.evidence } : {}),
    source: record.source,
  };
}
