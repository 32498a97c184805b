// The consent ledger: directives granted, amended and revoked as events in an append-only,
// hash-chained store, with the current state derived by replay. Each entry is checked against
// the rules (transition-rules.ts) before it is appended; entries are appended one at a time, so
// two concurrent requests cannot both amend the same version.
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
import { ConsentLedgerError } from './ledger-errors.ts';

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
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly store: ConsentEventStore,
    private readonly state: LedgerState,
    private readonly nextDirectiveId: () => string,
  ) {}

  /** Replays the store; refuses to open (ConsentLogError) if an entry breaks the rules. */
  static async open(store: ConsentEventStore, options: { newDirectiveId?: () => string } = {}): Promise<ConsentLedger> {
    const state = new LedgerState();
    for await (const stored of store.entries()) applyStored(state, stored);
    return new ConsentLedger(store, state, options.newDirectiveId ?? newDirectiveId);
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
    return this.state.current(patientId);
  }

  /** One directive of this patient, in force or revoked; undefined for another patient's. */
  directive(patientId: string, directiveId: string): DirectiveRecord | undefined {
    const record = this.state.record(directiveId);
    return record?.patientId === patientId ? record : undefined;
  }

  /** Every directive the patient ever had, in force or revoked, latest versions. */
  directives(patientId: string): readonly DirectiveRecord[] {
    return this.state.all(patientId);
  }

  /** Every event about the patient, oldest first. */
  history(patientId: string): readonly ConsentHistoryEntry[] {
    return this.state.history(patientId);
  }

  /** The patient's directives as they stood at `at` (ISO time): for reviewing past decisions. */
  asOf(patientId: string, at: string): PatientConsents {
    const entries = this.state.history(patientId).map(({ seq, at: when, hash, event }) => ({ seq, at: when, hash, body: event }));
    return replayConsentEvents(entries, { until: at }).current(patientId);
  }

  patientIds(): string[] {
    return this.state.patientIds();
  }

  private submit(candidate: Record<string, unknown>): Promise<DirectiveRecord> {
    // Absent optional fields are left out, not stored as undefined: the event reads back the same.
    const entry = Object.fromEntries(Object.entries(candidate).filter(([, value]) => value !== undefined));
    const run = async (): Promise<DirectiveRecord> => {
      const parsed = ConsentEventSchema.safeParse(entry);
      if (!parsed.success) throw invalidEvent(parsed.error);
      const refusal = this.state.refusalOf(parsed.data);
      if (refusal) throw refusal;
      // Applied as it will read back on replay (JSON drops keys zod left as undefined), so the
      // state derived now and the state derived at the next start are the same.
      const event = JSON.parse(JSON.stringify(parsed.data)) as ConsentEvent;
      const stored = await this.store.append(event);
      return this.state.apply({ ...stored, body: event });
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
