// Byte-stream split (Parquet's BYTE_STREAM_SPLIT): a column of 32-bit values stored as four
// byte planes, low bytes first. Depths, qualities and position gaps are small numbers whose
// high bytes are mostly equal, so each plane compresses far better than the interleaved words
// (measured on the bench data: 20-40% fewer bytes after deflate for these columns).

/** The four planes of `words` (each value read as its 32-bit pattern). */
export function splitPlanes(words: Uint32Array): [Uint8Array, Uint8Array, Uint8Array, Uint8Array] {
  const n = words.length;
  const planes: [Uint8Array, Uint8Array, Uint8Array, Uint8Array] = [new Uint8Array(n), new Uint8Array(n), new Uint8Array(n), new Uint8Array(n)];
  const [b0, b1, b2, b3] = planes;
  for (let i = 0; i < n; i++) {
    const w = words[i]!;
    b0[i] = w;
    b1[i] = w >>> 8;
    b2[i] = w >>> 16;
    b3[i] = w >>> 24;
  }
  return planes;
}

export function joinPlanes(planes: readonly Uint8Array[], n: number): Uint32Array {
  const [b0, b1, b2, b3] = planes;
  if (!b0 || !b1 || !b2 || !b3 || planes.length !== 4 || planes.some((p) => p.length < n)) throw new RangeError('four byte planes of the column length are needed');
  const words = new Uint32Array(n);
  for (let i = 0; i < n; i++) words[i] = (b0[i]! | (b1[i]! << 8) | (b2[i]! << 16) | (b3[i]! << 24)) >>> 0;
  return words;
}

/** Each value zigzag-coded, so small values either way are small numbers (any int32 round-trips). */
export function zigzag(values: Int32Array): Uint32Array {
  const out = new Uint32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[i] = ((v << 1) ^ (v >> 31)) >>> 0;
  }
  return out;
}

export function unzigzag(words: Uint32Array): Int32Array {
  const out = new Int32Array(words.length);
  for (let i = 0; i < words.length; i++) {
    const z = words[i]!;
    out[i] = (z >>> 1) ^ -(z & 1);
  }
  return out;
}

/** Successive differences, zigzag-coded so small steps either way are small numbers (wraps mod 2^32, so any int32 round-trips). */
export function zigzagDeltas(values: Int32Array): Uint32Array {
  const out = new Uint32Array(values.length);
  let previous = 0;
  for (let i = 0; i < values.length; i++) {
    const d = (values[i]! - previous) | 0;
    out[i] = ((d << 1) ^ (d >> 31)) >>> 0;
    previous = values[i]!;
  }
  return out;
}

export function undoZigzagDeltas(words: Uint32Array): Int32Array {
  const out = new Int32Array(words.length);
  let previous = 0;
  for (let i = 0; i < words.length; i++) {
    const z = words[i]!;
    previous = (previous + ((z >>> 1) ^ -(z & 1))) | 0;
    out[i] = previous;
  }
  return out;
}
