// The sets of patients a project's answers described, as the project state keeps them for the
// differencing check: each set's ids sorted, as a Set for lookups, and a content key (a plain
// hash of the sorted ids, held in memory only) by which an identical set is found at once. The
// project log records each distinct set once (CohortSets) and names it by number after.
import { createHash } from 'node:crypto';

export interface DescribedSet {
  ids: readonly string[];
  /** the ids as a Set, made on first use (most sets are only ever compared by key and size) */
  readonly members: ReadonlySet<string>;
  key: string;
}

/** Id arrays made sorted and without repeats, frozen so they stay so: found sorted without comparing thousands of ids again. */
const knownSorted = new WeakSet<readonly string[]>();

/** Marks (and freezes) an array its maker built sorted without repeats. */
export function madeSorted(ids: string[]): readonly string[] {
  knownSorted.add(Object.freeze(ids));
  return ids;
}

export const isKnownSorted = (ids: readonly string[]): boolean => knownSorted.has(ids);

/** The ids sorted (the same array when they already are). */
export function sortedIds(ids: readonly string[]): readonly string[] {
  if (knownSorted.has(ids)) return ids;
  for (let i = 1; i < ids.length; i++) if (ids[i - 1]! > ids[i]!) return [...ids].sort();
  return ids;
}

/** Sorted ids, each followed by a NUL, as one text. */
function joined(sorted: readonly string[]): string {
  return sorted.length > 0 ? `${sorted.join('\0')}\0` : '';
}

/** A cohort's sorted ids as those bytes, and where each id's bytes start (one more entry: the end). */
interface BaseBytes {
  bytes: Buffer;
  offsets: Uint32Array;
}

const baseBytes = new WeakMap<readonly string[], BaseBytes>();

function bytesOfBase(base: readonly string[]): BaseBytes {
  let known = baseBytes.get(base);
  if (known) return known;
  const offsets = new Uint32Array(base.length + 1);
  for (let i = 0; i < base.length; i++) offsets[i + 1] = offsets[i]! + Buffer.byteLength(base[i]!, 'utf8') + 1;
  baseBytes.set(base, (known = { bytes: Buffer.from(joined(base), 'utf8'), offsets }));
  return known;
}

/** Arrays made from a cohort's sorted ids by marking ranks (madeFromRanks): their bytes are copied from the cohort's in runs. */
const fromRanks = new WeakMap<readonly string[], { base: readonly string[]; marked: Uint8Array }>();

/**
 * Marks (and freezes) `ids`, made of the ids of `base` (sorted, frozen while used) whose `marked`
 * entry is 1, in rank order. `marked` must not change after.
 */
export function madeFromRanks(ids: string[], base: readonly string[], marked: Uint8Array): readonly string[] {
  madeSorted(ids);
  fromRanks.set(ids, { base, marked });
  return ids;
}

function bytesFromRanks(base: readonly string[], marked: Uint8Array): Buffer {
  const { bytes, offsets } = bytesOfBase(base);
  let total = 0;
  for (let r = 0; r < marked.length; r++) if (marked[r] === 1) total += offsets[r + 1]! - offsets[r]!;
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (let r = 0; r < marked.length;) {
    if (marked[r] !== 1) {
      r++;
      continue;
    }
    let end = r + 1;
    while (end < marked.length && marked[end] === 1) end++;
    at += bytes.copy(out, at, offsets[r], offsets[end]);
    r = end;
  }
  return out;
}

/** The bytes a set is hashed by: its sorted ids, each followed by a NUL, in UTF-8. */
function bytesOf(sorted: readonly string[]): Buffer {
  const origin = fromRanks.get(sorted);
  return origin ? bytesFromRanks(origin.base, origin.marked) : Buffer.from(joined(sorted), 'utf8');
}

/**
 * The same, kept per array while the array lives, with its content key: an answer's noise, its
 * distinct sets and their keys then read one copy. Only an answer's own (short-lived) arrays are
 * kept here; the project state's are not.
 */
const answerBytes = new WeakMap<readonly string[], { bytes: Buffer; key?: string }>();

function keptBytes(sorted: readonly string[]): { bytes: Buffer; key?: string } {
  let kept = answerBytes.get(sorted);
  if (!kept) answerBytes.set(sorted, (kept = { bytes: bytesOf(sorted) }));
  return kept;
}

export function idsBytes(sorted: readonly string[]): Buffer {
  return keptBytes(sorted).bytes;
}

const contentKey = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('base64');

/** The content key of an answer's set given as sorted ids, kept with its bytes. */
export function answerSetKey(sorted: readonly string[]): string {
  const kept = keptBytes(sorted);
  return (kept.key ??= contentKey(kept.bytes));
}

/** The content key of a set given as sorted ids (an answer's kept one if there is one; never kept otherwise). */
export function setKey(sorted: readonly string[]): string {
  const kept = answerBytes.get(sorted);
  return kept ? answerSetKey(sorted) : contentKey(bytesOf(sorted));
}

export function describedSet(ids: readonly string[]): DescribedSet {
  const sorted = sortedIds(ids);
  let members: Set<string> | undefined;
  return {
    ids: sorted,
    key: setKey(sorted),
    get members() {
      return (members ??= new Set(sorted));
    },
  };
}
