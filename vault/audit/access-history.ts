// A patient's accounting of disclosures, one page at a time, newest first. Every permitted access
// is an item of its own; refusals of the same kind by the same caller collapse into one item with
// a count and the first and last time, so a flood of refused requests cannot push the permitted
// accesses out of view. A page reads a bounded number of entries, so a flood cannot make it slow.
import type { LogEntry } from '../log/sealed-append-log.ts';
import type { AuditEvent } from './audit-event.ts';

export interface AccessHistoryItem {
  /** the newest entry the item stands for */
  entry: LogEntry<AuditEvent>;
  /** how many entries it stands for: 1, or more for collapsed refusals */
  count: number;
  /** when the oldest of them was recorded */
  firstAt: string;
}

export interface AccessHistoryPage {
  items: AccessHistoryItem[];
  /** the seq the next (older) page starts at; absent on the last page */
  next?: number;
}

export interface AccessHistoryOptions {
  /** items per page */
  limit: number;
  /** entries read at most for one page, full or not */
  maxScanned?: number;
  /** entries never shown (e.g. the caller's own reads of this trail) */
  skip?: (event: AuditEvent) => boolean;
}

export const DEFAULT_MAX_SCANNED = 10_000;

export function isRefusal(event: AuditEvent): boolean {
  return event.decision === 'deny' || event.decision === 'failure';
}

/** Refusals with the same key are the same refusal repeated. */
function refusalKey(e: AuditEvent): string {
  return JSON.stringify([e.actorId, e.action, e.resource, e.purpose, e.decision, e.route ?? null, e.status ?? null, e.outcome ?? null]);
}

/** Builds one page from `entries` (newest first, e.g. AuditLog.newestFirst). */
export function accessHistoryPage(entries: Iterable<LogEntry<AuditEvent>>, options: AccessHistoryOptions): AccessHistoryPage {
  const maxScanned = options.maxScanned ?? DEFAULT_MAX_SCANNED;
  const items: AccessHistoryItem[] = [];
  const refusals = new Map<string, AccessHistoryItem>();
  let scanned = 0;
  for (const entry of entries) {
    if (scanned === maxScanned) return { items, next: entry.seq };
    scanned++;
    if (options.skip?.(entry.body)) continue;
    const key = isRefusal(entry.body) ? refusalKey(entry.body) : undefined;
    const repeated = key === undefined ? undefined : refusals.get(key);
    if (repeated) {
      repeated.count++;
      repeated.firstAt = entry.at;
      continue;
    }
    if (items.length === options.limit) return { items, next: entry.seq };
    const item: AccessHistoryItem = { entry, count: 1, firstAt: entry.at };
    items.push(item);
    if (key !== undefined) refusals.set(key, item);
  }
  return { items };
}
