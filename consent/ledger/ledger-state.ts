// The state derived by replaying the ledger's events: every directive's latest version, each
// patient's full history, and a frozen snapshot of the directives in force per patient.
// Nothing is ever overwritten in the history; a record is replaced by its next version.
import { ConsentEventSchema, type ConsentEvent } from '../../schemas/consent/events.ts';
import type { StoredConsentEvent } from './consent-event-store.ts';
import type { DirectiveRecord, PatientConsents } from './directive-view.ts';
import { refusalOf, type LedgerLookup } from './transition-rules.ts';
import { ConsentLogError, type ConsentLedgerError } from './ledger-errors.ts';

/** One entry of a patient's history: the event, the version it made, and where the log holds it. */
export interface ConsentHistoryEntry {
  seq: number;
  at: string;
  hash: string;
  version: number;
  event: ConsentEvent;
}

interface PatientState {
  history: ConsentHistoryEntry[];
  directiveIds: string[];
  snapshot: PatientConsents | null;
}

export class LedgerState implements LedgerLookup {
  private readonly records = new Map<string, DirectiveRecord>();
  private readonly patients = new Map<string, PatientState>();

  record(directiveId: string): DirectiveRecord | undefined {
    return this.records.get(directiveId);
  }

  *inForce(patientId: string): Iterable<DirectiveRecord> {
    for (const id of this.patients.get(patientId)?.directiveIds ?? []) {
      const record = this.records.get(id);
      if (record && record.revokedAt === undefined) yield record;
    }
  }

  refusalOf(event: ConsentEvent): ConsentLedgerError | null {
    return refusalOf(this, event);
  }

  /** Applies an event that passed `refusalOf`. */
  apply(stored: StoredConsentEvent): DirectiveRecord {
    // Frozen all the way down: snapshots handed to callers share these objects.
    const event = deepFreeze(stored.body);
    const previous = this.records.get(event.directiveId);
    const version = (previous?.version ?? 0) + 1;
    const shared = { version, updatedAt: stored.at, recordedBy: event.recordedBy, ...(event.evidence ? { evidence: event.evidence } : {}) };
    let record: DirectiveRecord;
    if (event.type === 'revoked') {
      if (!previous) throw new Error('a revocation was applied to an unknown directive');
      const { evidence: _evidence, ...kept } = previous;
      record = { ...kept, ...shared, revokedAt: stored.at };
    } else {
      record = {
        directiveId: event.directiveId,
        patientId: event.patientId,
        kind: event.directive.kind,
        directive: event.directive,
        grantedAt: previous?.grantedAt ?? stored.at,
        source: 'ledger',
        ...shared,
      };
    }
    Object.freeze(record);
    this.records.set(event.directiveId, record);
    const patient = this.patientState(event.patientId);
    if (!previous) patient.directiveIds.push(event.directiveId);
    patient.history.push(Object.freeze({ seq: stored.seq, at: stored.at, hash: stored.hash, version, event }));
    patient.snapshot = null;
    return record;
  }

  /** The patient's directives in force, frozen; the same object until the patient's next event. */
  current(patientId: string): PatientConsents {
    const patient = this.patients.get(patientId);
    if (!patient) return Object.freeze({ patientId, directives: Object.freeze([]) });
    patient.snapshot ??= Object.freeze({ patientId, directives: Object.freeze([...this.inForce(patientId)]) });
    return patient.snapshot;
  }

  /** Every directive the patient ever had, in force or revoked. */
  all(patientId: string): readonly DirectiveRecord[] {
    return (this.patients.get(patientId)?.directiveIds ?? []).map((id) => this.records.get(id)!);
  }

  history(patientId: string): readonly ConsentHistoryEntry[] {
    return [...(this.patients.get(patientId)?.history ?? [])];
  }

  patientIds(): string[] {
    return [...this.patients.keys()];
  }

  private patientState(patientId: string): PatientState {
    let patient = this.patients.get(patientId);
    if (!patient) {
      patient = { history: [], directiveIds: [], snapshot: null };
      this.patients.set(patientId, patient);
    }
    return patient;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Checks a stored event as it was read back (shape, then rules) and applies it; throws ConsentLogError. */
export function applyStored(state: LedgerState, stored: StoredConsentEvent): StoredConsentEvent {
  const parsed = ConsentEventSchema.safeParse(stored.body);
  if (!parsed.success) throw new ConsentLogError(stored.seq, 'invalid_event');
  const refusal = state.refusalOf(parsed.data);
  if (refusal) throw new ConsentLogError(stored.seq, refusal.code);
  const checked = { ...stored, body: parsed.data };
  state.apply(checked);
  return checked;
}

/**
 * Replays stored events into a state, checking each against the rules. `until` (ISO time) stops
 * at the last event committed at or before it: the consents as they stood then.
 */
export function replayConsentEvents(entries: Iterable<StoredConsentEvent>, options: { until?: string } = {}): LedgerState {
  const state = new LedgerState();
  for (const stored of entries) {
    if (options.until !== undefined && Date.parse(stored.at) > Date.parse(options.until)) break;
    applyStored(state, stored);
  }
  return state;
}
