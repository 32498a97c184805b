// A map keyed by a byte range of the buffer being parsed, for keys that repeat on every record (INFO keys,
// FORMAT): a lookup hashes and compares bytes instead of decoding a string each time.

interface Entry<T> {
  bytes: Uint8Array;
  value: T;
}

export class BytesMap<T> {
  private readonly buckets = new Map<number, Entry<T>[]>();

  get(b: Uint8Array, s: number, e: number): T | undefined {
    const bucket = this.buckets.get(hashBytes(b, s, e));
    if (bucket === undefined) return undefined;
    for (let j = 0; j < bucket.length; j++) {
      const entry = bucket[j];
      if (entry && sameBytes(entry.bytes, b, s, e)) return entry.value;
    }
    return undefined;
  }

  set(b: Uint8Array, s: number, e: number, value: T): void {
    const hash = hashBytes(b, s, e);
    let bucket = this.buckets.get(hash);
    if (bucket === undefined) {
      bucket = [];
      this.buckets.set(hash, bucket);
    }
    bucket.push({ bytes: b.slice(s, e), value });
  }
}

/** FNV-1a over the bytes, seeded with the length. */
function hashBytes(b: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5 ^ (e - s);
  for (let i = s; i < e; i++) h = Math.imul(h ^ (b[i] ?? 0), 0x01000193);
  return h | 0;
}

function sameBytes(bytes: Uint8Array, b: Uint8Array, s: number, e: number): boolean {
  if (bytes.length !== e - s) return false;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== b[s + i]) return false;
  return true;
}
