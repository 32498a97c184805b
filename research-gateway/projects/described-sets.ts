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
function madeSorted(ids: string[]): readonly string[] {
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

/** Arrays made from a cohort's sorted ids by their ranks (madeFromRanks): their bytes are copied from the cohort's in runs. */
interface RankedOrigin {
  base: readonly string[];
  ranks: Int32Array;
  /** per rank, a digit each id is followed by after a colon (`id:2`) */
  digits?: Uint8Array;
}

const fromRanks = new WeakMap<readonly string[], RankedOrigin>();

const COLON = 0x3a;
const ZERO = 0x30;

/**
 * Marks (and freezes) `ids`, the ids of `base` (sorted, frozen) at `ranks` (ascending, each once),
 * in that order; with `digits`, each id followed by `:` and its digit (0-9). The caller must know
 * the texts sorted (with digits: ids of one length, idsOfOneLength). `ranks` and `digits` must
 * not change after.
 */
export function madeFromRanks(ids: string[], base: readonly string[], ranks: Int32Array, digits?: Uint8Array): readonly string[] {
  madeSorted(ids);
  fromRanks.set(ids, { base, ranks, ...(digits && { digits }) });
  return ids;
}

function bytesFromRanks({ base, ranks, digits }: RankedOrigin): Buffer {
  const { bytes, offsets } = bytesOfBase(base);
  const extra = digits ? 2 : 0;
  let total = 0;
  for (const r of ranks) total += offsets[r + 1]! - offsets[r]! + extra;
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (let i = 0; i < ranks.length;) {
    // consecutive ranks without digits are one copy
    let j = i + 1;
    if (!digits) while (j < ranks.length && ranks[j] === ranks[j - 1]! + 1) j++;
    const from = offsets[ranks[i]!]!;
    // with digits, the id's NUL is written after them
    const to = offsets[ranks[j - 1]! + 1]! - (digits ? 1 : 0);
    // a short run byte by byte: Buffer.copy's own cost exceeds copying an id
    if (to - from < 64) for (let k = from; k < to; k++) out[at++] = bytes[k]!;
    else at += bytes.copy(out, at, from, to);
    if (digits) {
      out[at++] = COLON;
      out[at++] = ZERO + digits[i]!;
      out[at++] = 0;
    }
    i = j;
  }
  return out;
}

/** Per cohort: whether all its ids have one length (then `id:suffix` texts sort as their ids do). */
const uniformLengths = new WeakMap<readonly string[], boolean>();

export function idsOfOneLength(base: readonly string[]): boolean {
  let known = uniformLengths.get(base);
  if (known === undefined) uniformLengths.set(base, (known = base.every((id) => id.length === base[0]!.length)));
  return known;
}

/** The bytes a set is hashed by: its sorted ids, each followed by a NUL, in UTF-8. */
function bytesOf(sorted: readonly string[]): Buffer {
  const origin = fromRanks.get(sorted);
  return origin ? bytesFromRanks(origin) : Buffer.from(joined(sorted), 'utf8');
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
function setKey(sorted: readonly string[]): string {
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
