// Column helpers shared by the stored formats (self-contained partitions, calls partitions and
// allele tables): text as Arrow dictionaries with the narrowest index, 32-bit numbers as byte
// planes, QUAL as exact hundredths, and the typed errors every decoder raises.
import { brotliDecompressSync, inflateRawSync } from 'node:zlib';
import { Dictionary, Field, Int8, Int16, Int32, Struct, Uint8, Utf8, makeData, tableFromIPC, vectorFromArray, type Data, type DataType, type Table, type Vector } from 'apache-arrow';
import { joinPlanes, splitPlanes } from './byte-planes.ts';
import type { ByteColumn } from './byte-columns-ipc.ts';

export class PartitionCodecError extends Error {
  readonly code = 'PARTITION_CODEC';
  constructor(message: string) {
    super(message);
    this.name = 'PartitionCodecError';
  }
}

/** A text column as distinct values plus one code per row; code -1 means null. */
export interface CodedText {
  values: string[];
  codes: Int32Array;
}

export function codeText(values: readonly (string | null)[], rows: number): CodedText {
  const index = new Map<string, number>();
  const distinct: string[] = [];
  const codes = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const value = values[i];
    if (value === null || value === undefined) {
      codes[i] = -1;
      continue;
    }
    let code = index.get(value);
    if (code === undefined) {
      code = distinct.length;
      index.set(value, code);
      distinct.push(value);
    }
    codes[i] = code;
  }
  return { values: distinct, codes };
}

/** The narrowest Arrow index type for a dictionary of `size` values. */
function indexTypeFor(size: number): { type: Int8 | Int16 | Int32; array: Int8ArrayConstructor | Int16ArrayConstructor | Int32ArrayConstructor } {
  if (size <= 0x7f) return { type: new Int8(), array: Int8Array };
  if (size <= 0x7fff) return { type: new Int16(), array: Int16Array };
  return { type: new Int32(), array: Int32Array };
}

export function dictionaryData(text: CodedText, rows: number, id: number): Data<Dictionary<Utf8, Int8 | Int16 | Int32>> {
  const index = indexTypeFor(text.values.length);
  const type = new Dictionary(new Utf8(), index.type, id);
  const indices = new index.array(rows);
  const validity = new Uint8Array(Math.ceil(rows / 8));
  let nullCount = 0;
  for (let i = 0; i < rows; i++) {
    const code = text.codes[i] ?? -1;
    if (code < 0) nullCount++;
    else {
      indices[i] = code;
      validity[i >> 3]! |= 1 << (i & 7);
    }
  }
  const dictionary = vectorFromArray(text.values, new Utf8());
  return makeData({ type: type as Dictionary<Utf8, Int32>, length: rows, nullCount, nullBitmap: nullCount > 0 ? validity : null, data: indices as Int32Array, dictionary });
}

export function bytesData(values: Uint8Array): Data<Uint8> {
  return makeData({ type: new Uint8(), length: values.length, nullCount: 0, data: values });
}

// QUAL as whole hundredths when every value is exactly that (VCFs write one or two decimals):
// ~15% smaller than float32 bit patterns. Missing (NaN) is the smallest int32.
const QUAL_MISSING_CENTI = -0x80000000;
const CANONICAL_NAN_BITS = 0x7fc00000;

export function qualAsCenti(qual: Float32Array): Uint32Array | null {
  const bits = new Uint32Array(qual.buffer, qual.byteOffset, qual.length);
  const out = new Uint32Array(qual.length);
  for (let i = 0; i < qual.length; i++) {
    const q = qual[i]!;
    if (Number.isNaN(q)) {
      if (bits[i] !== CANONICAL_NAN_BITS) return null;
      out[i] = QUAL_MISSING_CENTI >>> 0;
      continue;
    }
    const centi = Math.round(q * 100);
    // -0 has no integer form; the bound keeps clear of the missing marker
    if (Object.is(q, -0) || Math.abs(centi) >= 0x7fffffff || !Object.is(Math.fround(centi / 100), q)) return null;
    out[i] = centi >>> 0;
  }
  return out;
}

export function qualFromCenti(words: Uint32Array): Float32Array {
  const out = new Float32Array(words.length);
  for (let i = 0; i < words.length; i++) {
    const centi = words[i]! | 0;
    out[i] = centi === QUAL_MISSING_CENTI ? NaN : centi / 100;
  }
  return out;
}

/** QUAL words and their coding name, for the schema metadata. */
export function qualWords(qual: Float32Array): { words: Uint32Array; coding: 'centi' | 'float32' } {
  const centi = qualAsCenti(qual);
  if (centi) return { words: centi, coding: 'centi' };
  return { words: new Uint32Array(qual.buffer.slice(qual.byteOffset, qual.byteOffset + qual.byteLength)), coding: 'float32' };
}

export function qualFromWords(words: Uint32Array, coding: string | undefined, rows: number): Float32Array {
  if (coding === 'centi') return qualFromCenti(words);
  if (coding === 'float32') return new Float32Array(words.buffer, words.byteOffset, rows);
  throw new PartitionCodecError(`partition has an unknown QUAL coding ${coding ?? '(none)'}`);
}

/** A missing DP/GQ (-1) becomes 0, so the common small values keep their high bytes zero. */
export function shiftedUp(values: Int32Array): Uint32Array {
  const out = new Uint32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = (values[i]! + 1) >>> 0;
  return out;
}

export function shiftedDown(words: Uint32Array): Int32Array {
  const out = new Int32Array(words.length);
  for (let i = 0; i < words.length; i++) out[i] = (words[i]! - 1) | 0;
  return out;
}

const PLANE_NAMES = ['b0', 'b1', 'b2', 'b3'] as const;

/** Words as byte planes, low bytes first; `count` 2 keeps only the low two (every value below 2^16). */
export function planesData(words: Uint32Array, count: 2 | 4 = 4): Data<Struct> {
  const planes = splitPlanes(words).slice(0, count);
  const fields = PLANE_NAMES.slice(0, count).map((name) => new Field(name, new Uint8(), false));
  const children = planes.map((data) => makeData({ type: new Uint8(), length: words.length, nullCount: 0, data }));
  return makeData({ type: new Struct(fields), length: words.length, nullCount: 0, children });
}

/**
 * 32-bit words in as few byte planes as their largest value needs: one Uint8 column when all fit
 * a byte (the common case for depths, qualities, genotype codes), else two or four planes.
 */
export function narrowColumn(name: string, words: Uint32Array): ByteColumn {
  let max = 0;
  for (let i = 0; i < words.length; i++) if (words[i]! > max) max = words[i]!;
  if (max <= 0xff) return { name, planes: [Uint8Array.from(words)], struct: false };
  return { name, planes: splitPlanes(words).slice(0, max <= 0xffff ? 2 : 4), struct: true };
}

/** Reads a column written by narrowColumn. */
export function narrowWords(table: Table, name: string, rows: number): Uint32Array {
  const data = column(table, name);
  if (data.values instanceof Uint8Array && data.children.length === 0) return Uint32Array.from(data.values.subarray(0, rows));
  return planeWords(table, name, rows);
}

/** Inflates and parses a stored Arrow IPC stream whose bytes start with `magic`. */
export function readIpc(bytes: Uint8Array, magicLength: number, preset: Buffer | null): Table {
  try {
    const raw = inflateRawSync(bytes.subarray(magicLength), preset ? { dictionary: preset } : {});
    return tableFromIPC(raw);
  } catch {
    throw new PartitionCodecError('partition bytes are corrupt (cannot decompress or parse Arrow IPC)');
  }
}

export function readBrotliIpc(bytes: Uint8Array, magicLength: number): Table {
  try {
    return tableFromIPC(brotliDecompressSync(bytes.subarray(magicLength)));
  } catch {
    throw new PartitionCodecError('partition bytes are corrupt (cannot decompress or parse Arrow IPC)');
  }
}

export function column(table: Table, name: string): Data {
  const child = table.getChild(name) as Vector<DataType> | null;
  if (!child) throw new PartitionCodecError(`partition lacks column ${name}`);
  const chunks = child.data;
  if (chunks.length === 1) return chunks[0]!;
  throw new PartitionCodecError(`partition column ${name} is split in ${chunks.length} chunks; expected one`);
}

export function decodeText(data: Data, rows: number, name: string): CodedText {
  const dictionary = (data as Data<Dictionary<Utf8, Int32>>).dictionary;
  if (!dictionary) throw new PartitionCodecError(`partition column ${name} is not dictionary-encoded`);
  const values = dictionary.toArray() as string[];
  const codes = new Int32Array(rows);
  const raw = data.values as ArrayLike<number>;
  const bitmap = data.nullBitmap;
  if (data.nullCount === 0 || !bitmap || bitmap.length === 0) {
    for (let i = 0; i < rows; i++) codes[i] = raw[i]!;
  } else {
    // the validity bits read directly: Data.getValid per row costs ~10x more (measured on allele tables)
    const offset = data.offset;
    for (let i = 0; i < rows; i++) {
      const bit = offset + i;
      codes[i] = (bitmap[bit >> 3]! >> (bit & 7)) & 1 ? raw[i]! : -1;
    }
  }
  return { values: Array.from(values), codes };
}

export function planeWords(table: Table, name: string, rows: number): Uint32Array {
  const data = column(table, name);
  const count = data.children.length;
  if ((count !== 4 && count !== 2) || data.children.some((c) => !(c.values instanceof Uint8Array))) throw new PartitionCodecError(`partition column ${name} is not byte planes`);
  const planes = data.children.map((c) => c.values as Uint8Array);
  if (count === 2) planes.push(new Uint8Array(rows), new Uint8Array(rows));
  return joinPlanes(planes, rows);
}

export function typedColumn<T extends ArrayLike<number>>(table: Table, name: string, rows: number, array: abstract new (...args: never[]) => T): T {
  const values = column(table, name).values as unknown;
  if (!(values instanceof array)) throw new PartitionCodecError(`partition column ${name} has the wrong type`);
  return (values as T & { slice(start: number, end: number): T }).slice(0, rows);
}
