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

/**
 * The same, kept per array while the array lives: an answer's noise and the set's key then hash one
 * text. Only an answer's own (short-lived) arrays are kept here; the project state's are not.
 */
const texts = new WeakMap<readonly string[], string>();

export function idsText(sorted: readonly string[]): string {
  let text = texts.get(sorted);
  if (text === undefined) texts.set(sorted, (text = joined(sorted)));
  return text;
}

/** The content key of a set given as sorted ids (its text reused if an answer already made it, never kept). */
export function setKey(sorted: readonly string[]): string {
  return createHash('sha256').update(texts.get(sorted) ?? joined(sorted)).digest('base64');
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
