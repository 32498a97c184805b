// Maps used as bounded tables: insertion order is age order (touch moves an entry to the end),
// and a full table makes room by dropping expired entries, then the oldest.

/** Moves `key` to the end of the map's order (maps iterate in insertion order: oldest first). */
export function touch<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
}

/**
 * Before adding to a full table: drop what has expired, then the oldest entries that are not
 * pinned, down to 90% of capacity, so a full table costs one pass per tenth of its size.
 */
export function makeRoom<V>(map: Map<string, V>, capacity: number, expired: (value: V) => boolean, pinned: (value: V) => boolean): void {
  if (map.size < capacity) return;
  for (const [key, value] of map) if (expired(value)) map.delete(key);
  const target = Math.floor(capacity * 0.9);
  for (const [key, value] of map) {
    if (map.size <= target) break;
    if (!pinned(value)) map.delete(key);
  }
}
