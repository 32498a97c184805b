// The consent ledger: directives granted, amended and revoked as events in an append-only,
// hash-chained store, with the current state derived by replay. Each entry is checked against
// the rules (transition-rules.ts) before it is appended.
//
// Two states: `pending` holds every accepted entry, durable or not, and is what new entries are
// checked against (so two concurrent amendments of one version cannot both pass, while their
// appends can still share one fsync in the store); `committed` holds only durable entries and is
// all a reader ever sees. If an append fails, the ledger refuses entries until reopened: the
// store must likewise refuse appends after a failed one (the sealed log does).
//
// Who may record what for whom is decided by authorize() before a call gets here; the ledger
// keeps the record consistent.
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { ConsentEventSchema, type ConsentEvent, type Evidence, type RecordedBy } from '../../schemas/consent/events.ts';
import type { DirectiveSchema } from '../../schemas/consent/directive.ts';
import type { REVOCATION_REASONS } from '../../schemas/consent/events.ts';
import type { ConsentEventStore } from './consent-event-store.ts';
import type { DirectiveRecord, PatientConsents } from './directive-view.ts';
import { LedgerState, applyStored, replayConsentEvents, type ConsentHistoryEntry } from './ledger-state.ts';
import { ConsentLedgerError, ConsentLedgerUnavailableError } from './ledger-errors.ts';

export type DirectiveInput = z.input<typeof DirectiveSchema>;

export interface GrantInput {
  patientId: string;
  directive: DirectiveInput;
  recordedBy: RecordedBy;
  evidence?: Evidence;
}

export interface AmendInput extends GrantInput {
  directiveId: string;
  /** the version this amendment replaces: it must be the current one */
  replaces: number;
}

export interface RevokeInput {
  patientId: string;
  directiveId: string;
  replaces: number;
  recordedBy: RecordedBy;
  evidence?: Evidence;
  reason?: (typeof REVOCATION_REASONS)[number];
}

export function newDirectiveId(): string {
  return `cd_${randomBytes(8).toString('hex')}`;
}

/** The first problem zod found, by field; never the submitted value. */
function invalidEvent(error: z.ZodError): ConsentLedgerError {
  const issue = error.issues[0];
  const field = issue?.path.join('.') ?? '';
  const what = issue?.code === 'unrecognized_keys' ? 'holds a field the schema does not know' : (issue?.message ?? 'is invalid');
  return new ConsentLedgerError('invalid_event', `${field || 'the entry'}: ${what}`, field || undefined);
}

export class ConsentLedger {
  private commits: Promise<unknown> = Promise.resolve();
  private failure: ConsentLedgerUnavailableError | null = null;
  private committedEvents = 0;

  private constructor(
    private readonly store: ConsentEventStore,
    private readonly pending: LedgerState,
    private readonly committed: LedgerState,
    private readonly nextDirectiveId: () => string,
  ) {}

  /** Replays the store; refuses to open (ConsentLogError) if an entry breaks the rules. */
  static async open(store: ConsentEventStore, options: { newDirectiveId?: () => string } = {}): Promise<ConsentLedger> {
    const pending = new LedgerState();
    const committed = new LedgerState();
    let events = 0;
    for await (const stored of store.entries()) {
      pending.apply(applyStored(committed, stored));
      events++;
    }
    const ledger = new ConsentLedger(store, pending, committed, options.newDirectiveId ?? newDirectiveId);
    ledger.committedEvents = events;
    return ledger;
  }

  /** How many events are committed: changes with every grant, amendment and revocation (a reader's cache key). */
  get revision(): number {
    return this.committedEvents;
  }

  grant(input: GrantInput): Promise<DirectiveRecord> {
    const { patientId, directive, recordedBy, evidence } = input;
    return this.submit({ type: 'granted', directiveId: this.nextDirectiveId(), patientId, recordedBy, evidence, directive });
  }

  amend(input: AmendInput): Promise<DirectiveRecord> {
    const { patientId, directiveId, replaces, directive, recordedBy, evidence } = input;
    return this.submit({ type: 'amended', directiveId, patientId, replaces, recordedBy, evidence, directive });
  }

  /** Stops the directive from permitting anything from now on; what it permitted before stays done. */
  revoke(input: RevokeInput): Promise<DirectiveRecord> {
    const { patientId, directiveId, replaces, recordedBy, evidence, reason } = input;
    return this.submit({ type: 'revoked', directiveId, patientId, replaces, recordedBy, evidence, reason });
  }

  /** The patient's directives in force now (frozen). */
  current(patientId: string): PatientConsents {
    return this.committed.current(patientId);
  }

  /** One directive of this patient, in force or revoked; undefined for another patient's. */
  directive(patientId: string, directiveId: string): DirectiveRecord | undefined {
    const record = this.committed.record(directiveId);
    return record?.patientId === patientId ? record : undefined;
  }

  /** Every directive the patient ever had, in force or revoked, latest versions. */
  directives(patientId: string): readonly DirectiveRecord[] {
    return this.committed.all(patientId);
  }

  /** Every event about the patient, oldest first. */
  history(patientId: string): readonly ConsentHistoryEntry[] {
    return this.committed.history(patientId);
  }

  /** The patient's directives as they stood at `at` (ISO time): for reviewing past decisions. */
  asOf(patientId: string, at: string): PatientConsents {
    const entries = this.committed.history(patientId).map(({ seq, at: when, hash, event }) => ({ seq, at: when, hash, body: event }));
    return replayConsentEvents(entries, { until: at }).current(patientId);
  }

  patientIds(): string[] {
    return this.committed.patientIds();
  }

  private submit(candidate: Record<string, unknown>): Promise<DirectiveRecord> {
    if (this.failure) return Promise.reject(this.failure);
    // Absent optional fields are left out, not stored as undefined: the event reads back the same.
    const entry = Object.fromEntries(Object.entries(candidate).filter(([, value]) => value !== undefined));
    const parsed = ConsentEventSchema.safeParse(entry);
    if (!parsed.success) return Promise.reject(invalidEvent(parsed.error));
    const refusal = this.pending.refusalOf(parsed.data);
    if (refusal) return Promise.reject(refusal);
    // Applied as it will read back on replay (JSON drops keys zod left as undefined), so the
    // state derived now and the state derived at the next start are the same.
    const event = JSON.parse(JSON.stringify(parsed.data)) as ConsentEvent;
    this.pending.apply({ seq: 0, at: new Date().toISOString(), hash: '', body: event });
    const appended = this.store.append(event);
    // Committed in the order accepted, whatever order the store's promises settle in.
    const committed = this.commits.then(
      () => appended,
      () => appended,
    ).then(
      (stored) => {
        if (this.failure) throw this.failure;
        const record = this.committed.apply({ ...stored, body: event });
        this.committedEvents++;
        return record;
      },
      (err: unknown) => {
        this.failure ??= new ConsentLedgerUnavailableError();
        throw err;
      },
    );
    this.commits = committed.catch(() => undefined);
    return committed;
  }
}
