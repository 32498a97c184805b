// In-memory index over the audit log, rebuilt on open, so queries never decrypt the file again.
// Entries are kept in seq order, with per-patient and per-actor lists for the common queries
// (a patient's accounting of disclosures, one actor's activity).
import type { LogEntry } from '../log/sealed-append-log.ts';
import type { AuditEvent } from './audit-event.ts';

export interface AuditFilter {
  patientId?: string;
  actorId?: string;
  /** entries of actors holding this role (e.g. every insurer's requests, for the ethics board) */
  actorRole?: string;
  decision?: string;
  flagged?: boolean;
  resource?: string;
  /** inclusive lower bound on the entry time (ISO date or date-time) */
  from?: string;
  /** inclusive upper bound on the entry time */
  to?: string;
  /** at most this many entries; default 100, at most 10 000 */
  limit?: number;
}

export const DEFAULT_QUERY_LIMIT = 100;
export const MAX_QUERY_LIMIT = 10_000;

interface Indexed {
  entry: LogEntry<AuditEvent>;
  atMs: number;
}

export class AuditQueryError extends Error {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`audit query: ${field}: ${detail}`);
    this.name = 'AuditQueryError';
  }
}

/** Inserts keeping seq order; appends arrive in order, so this is almost always a push. */
function insertInOrder(list: Indexed[], item: Indexed): void {
  let at = list.length;
  while (at > 0 && list[at - 1]!.entry.seq > item.entry.seq) at--;
  list.splice(at, 0, item);
}

/** Index of the last item whose seq is at most `seq` (-1 when none): lists are in seq order. */
function lastAtOrBefore(list: Indexed[], seq: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (list[mid]!.entry.seq <= seq) low = mid + 1;
    else high = mid;
  }
  return low - 1;
}

function timeBound(field: 'from' | 'to', value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new AuditQueryError(field, 'must be an ISO date or date-time');
  return ms;
}

function checkedLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_QUERY_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_QUERY_LIMIT) throw new AuditQueryError('limit', `must be a whole number from 1 to ${MAX_QUERY_LIMIT}`);
  return limit;
}

export class AuditIndex {
  private readonly all: Indexed[] = [];
  private readonly byPatient = new Map<string, Indexed[]>();
  private readonly byActor = new Map<string, Indexed[]>();

  get size(): number {
    return this.all.length;
  }

  add(entry: LogEntry<AuditEvent>): void {
    // Frozen, so a caller holding a query result cannot change what later queries return.
    Object.freeze(entry.body.actorRoles);
    Object.freeze(entry.body);
    const item: Indexed = { entry: Object.freeze(entry), atMs: Date.parse(entry.at) };
    insertInOrder(this.all, item);
    const { patientId, actorId } = entry.body;
    if (patientId !== null) insertInOrder(this.listOf(this.byPatient, patientId), item);
    if (actorId !== null) insertInOrder(this.listOf(this.byActor, actorId), item);
  }

  private listOf(map: Map<string, Indexed[]>, key: string): Indexed[] {
    let list = map.get(key);
    if (!list) map.set(key, (list = []));
    return list;
  }

  /** Matching entries, newest first. */
  query(filter: AuditFilter): LogEntry<AuditEvent>[] {
    const from = timeBound('from', filter.from, -Infinity);
    const to = timeBound('to', filter.to, Infinity);
    const limit = checkedLimit(filter.limit);
    const candidates = this.narrowest(filter);
    const found: LogEntry<AuditEvent>[] = [];
    for (let i = candidates.length - 1; i >= 0 && found.length < limit; i--) {
      const { entry, atMs } = candidates[i]!;
      const e = entry.body;
      if (atMs < from || atMs > to) continue;
      if (filter.patientId !== undefined && e.patientId !== filter.patientId) continue;
      if (filter.actorId !== undefined && e.actorId !== filter.actorId) continue;
      if (filter.actorRole !== undefined && !e.actorRoles.includes(filter.actorRole)) continue;
      if (filter.decision !== undefined && e.decision !== filter.decision) continue;
      if (filter.resource !== undefined && e.resource !== filter.resource) continue;
      if (filter.flagged !== undefined && (e.flagged ?? false) !== filter.flagged) continue;
      found.push(entry);
    }
    return found;
  }

  /**
   * One patient's (or actor's) entries, newest first, starting at seq `atOrBefore`: for paging a
   * long trail without rescanning it. A binary search finds the start, so a page costs what it reads.
   */
  *newestFirst(scope: Pick<AuditFilter, 'patientId' | 'actorId'>, atOrBefore = Number.MAX_SAFE_INTEGER): Generator<LogEntry<AuditEvent>> {
    const list = this.narrowest(scope);
    for (let i = lastAtOrBefore(list, atOrBefore); i >= 0; i--) {
      const { entry } = list[i]!;
      if (scope.patientId !== undefined && entry.body.patientId !== scope.patientId) continue;
      if (scope.actorId !== undefined && entry.body.actorId !== scope.actorId) continue;
      yield entry;
    }
  }

  /** Every entry stamped at or after `fromMs`, newest first (entries are stamped in seq order). */
  *newestSince(fromMs: number): Generator<LogEntry<AuditEvent>> {
    for (let i = this.all.length - 1; i >= 0; i--) {
      const { entry, atMs } = this.all[i]!;
      if (atMs < fromMs) return;
      yield entry;
    }
  }

  private narrowest(filter: AuditFilter): Indexed[] {
    const lists: Indexed[][] = [];
    if (filter.patientId !== undefined) lists.push(this.byPatient.get(filter.patientId) ?? []);
    if (filter.actorId !== undefined) lists.push(this.byActor.get(filter.actorId) ?? []);
    if (lists.length === 0) return this.all;
    return lists.reduce((a, b) => (b.length < a.length ? b : a));
  }
}
