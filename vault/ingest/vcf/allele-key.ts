// A variant's identity for duplicate detection: REF/ALT with shared bases trimmed (so TAT>TGT at 123
// and A>G at 124 are the same variant), hashed to two 32-bit words.

export interface AlleleKey {
  pos: number;
  h1: number;
  h2: number;
}

function hash(text: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i) & 0xdf; // case-insensitive bases
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

export function alleleKey(pos: number, ref: string, alt: string): AlleleKey {
  let end = 0;
  while (end < ref.length && end < alt.length && (ref.charCodeAt(ref.length - 1 - end) & 0xdf) === (alt.charCodeAt(alt.length - 1 - end) & 0xdf)) end++;
  let r = ref.slice(0, ref.length - end);
  let a = alt.slice(0, alt.length - end);
  let start = 0;
  while (start < r.length && start < a.length && (r.charCodeAt(start) & 0xdf) === (a.charCodeAt(start) & 0xdf)) start++;
  r = r.slice(start);
  a = a.slice(start);
  const text = `${r}>${a}`;
  return { pos: pos + start, h1: hash(text, 0x811c9dc5), h2: hash(text, 0x5bd1e995) };
}
