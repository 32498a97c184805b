// Where the ledger's events live: an append-only, hash-chained log behind two methods. The vault
// backs it with its sealed log (`SealedAppendLog<ConsentEvent>` fits as it is); consent/ never
// opens files itself.
import type { ConsentEvent } from '../../schemas/consent/events.ts';

/** One committed event: its place in the log, the log's timestamp, and the chain hash after it. */
export interface StoredConsentEvent {
  seq: number;
  /** ISO time at which the log committed the entry: the event's "when" */
  at: string;
  hash: string;
  body: ConsentEvent;
}

export interface ConsentEventStore {
  /** Appends; resolves once the event is durable. */
  append(event: ConsentEvent): Promise<StoredConsentEvent>;
  /** Every committed event, in order. */
  entries(): AsyncIterable<StoredConsentEvent>;
}
