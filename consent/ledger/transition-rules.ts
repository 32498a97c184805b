// The rules every event must pass, on append and again on replay: a staff entry cites its
// evidence; only the current version of a live directive can be amended or revoked; an
// amendment keeps the kind (and the person a proxy or family-sharing directive is about); and
// a patient has at most one directive in force per subject (one clinical-use, one per relative...).
import type { Directive } from '../../schemas/consent/directive.ts';
import { STAFF_RECORDER_ROLES, type ConsentEvent } from '../../schemas/consent/events.ts';
import type { DirectiveRecord } from './directive-view.ts';
import { ConsentLedgerError } from './ledger-errors.ts';

export interface LedgerLookup {
  record(directiveId: string): DirectiveRecord | undefined;
  inForce(patientId: string): Iterable<DirectiveRecord>;
}

/**
 * What a directive is exclusive on: two directives with the same key cannot be in force for one
 * patient at once (which would leave it unclear which one decides). Releases have none: a patient
 * may authorize several releases, even to one recipient.
 */
export function exclusiveKey(directive: Directive): string | null {
  switch (directive.kind) {
    case 'clinical_use':
    case 'research_use':
    case 'findings_preferences':
      return directive.kind;
    case 'family_sharing': {
      const r = directive.relative;
      return 'accountId' in r ? `family_sharing/account/${r.accountId}` : `family_sharing/named/${r.relationship}/${r.name.toLowerCase()}`;
    }
    case 'proxy':
      return `proxy/${directive.proxyAccountId}`;
    case 'insurer_release':
    case 'third_party_release':
      return null;
  }
}

function refuseStaffWithoutEvidence(event: ConsentEvent): ConsentLedgerError | null {
  if (STAFF_RECORDER_ROLES.includes(event.recordedBy.role) && event.evidence === undefined) {
    return new ConsentLedgerError('evidence_required', 'an entry recorded by staff must cite the signed form it records', 'evidence');
  }
  return null;
}

function refuseSecondInForce(lookup: LedgerLookup, event: ConsentEvent & { directive: Directive }): ConsentLedgerError | null {
  const key = exclusiveKey(event.directive);
  if (key === null) return null;
  for (const other of lookup.inForce(event.patientId)) {
    if (other.directiveId !== event.directiveId && exclusiveKey(other.directive) === key) {
      return new ConsentLedgerError('already_in_force', 'a directive about the same subject is already in force: amend or revoke it instead', 'directive');
    }
  }
  return null;
}

function refuseNotCurrent(current: DirectiveRecord | undefined, event: ConsentEvent & { replaces: number }): ConsentLedgerError | null {
  // A directive of another patient is answered as unknown: the caller learns nothing about it.
  if (!current || current.patientId !== event.patientId) return new ConsentLedgerError('unknown_directive', 'no such directive for this patient', 'directiveId');
  if (current.revokedAt !== undefined) return new ConsentLedgerError('directive_revoked', 'the directive was revoked; grant a new one instead');
  if (current.version !== event.replaces) {
    return new ConsentLedgerError('stale_version', `not the current version (which is ${current.version}): read the directive again`, 'replaces');
  }
  return null;
}

/** Null when the event may be appended, else the reason it may not. */
export function refusalOf(lookup: LedgerLookup, event: ConsentEvent): ConsentLedgerError | null {
  const staff = refuseStaffWithoutEvidence(event);
  if (staff) return staff;
  const current = lookup.record(event.directiveId);
  switch (event.type) {
    case 'granted':
      if (current) return new ConsentLedgerError('directive_exists', 'a directive with this id already exists', 'directiveId');
      return refuseSecondInForce(lookup, event);
    case 'amended': {
      const notCurrent = refuseNotCurrent(current, event);
      if (notCurrent || !current) return notCurrent;
      if (current.directive.kind !== event.directive.kind) return new ConsentLedgerError('kind_changed', 'an amendment keeps the kind of the directive', 'directive.kind');
      if (exclusiveKey(current.directive) !== exclusiveKey(event.directive)) {
        return new ConsentLedgerError('party_changed', 'an amendment keeps the person the directive is about; grant a new directive instead', 'directive');
      }
      return refuseSecondInForce(lookup, event);
    }
    case 'revoked':
      return refuseNotCurrent(current, event);
  }
}
