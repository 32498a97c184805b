// One sample's calls on one chromosome as bytes: an Arrow IPC stream compressed with raw
// deflate level 1 and a preset dictionary (the IPC bytes of an empty partition, so the schema
// costs almost nothing). Format 2 (magic GVP2, written now) stores positions as zigzag deltas
// and DP, GQ and QUAL as byte planes (byte-planes.ts), QUAL as whole hundredths when that is
// exact, and text dictionary-coded with the narrowest index type; format 1 (GVP1: plain Int32
// and Float32 columns, Int32 indices) is still read. Measured on real VCFs: deflate-1 and
// brotli-1 give sizes within 5% of each other, and inflate decodes 2-5x faster than brotli.
// The engine reads the dictionary-coded form directly so text becomes integer codes without a
// per-row string lookup.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import {
  Dictionary, Field, Int8, Int16, Int32, Schema, Table, Uint8, Utf8, RecordBatch, Struct, makeData, tableFromIPC, tableToIPC, vectorFromArray,
  type Data, type DataType, type Vector,
} from 'apache-arrow';
import type { CallBatch } from '../ingest/call-columns.ts';
import { PARTITION_PRESET, PARTITION_PRESET_V2 } from './partition-preset.ts';
import { joinPlanes, splitPlanes, undoZigzagDeltas, zigzagDeltas } from './byte-planes.ts';

const FORMATS = {
  1: { magic: Buffer.from('GVP1', 'ascii'), name: 'genovault-calls/1', preset: PARTITION_PRESET },
  2: { magic: Buffer.from('GVP2', 'ascii'), name: 'genovault-calls/2', preset: PARTITION_PRESET_V2 },
} as const;
const MAGIC_BYTES = 4;

export class PartitionCodecError extends Error {
  readonly code = 'PARTITION_CODEC';
  constructor(message: string) {
    super(message);
    this.name = 'PartitionCodecError';
  }
}

export const TEXT_COLUMNS = ['id', 'ref', 'alt', 'filter', 'gt', 'gene', 'consequence', 'clnsig'] as const;
export type TextColumnName = (typeof TEXT_COLUMNS)[number];

/** A text column as distinct values plus one code per row; code -1 means null. */
export interface CodedText {
  values: string[];
  codes: Int32Array;
}

/** A partition with its text still dictionary-coded: what the query engine loads. */
export interface CodedPartition {
  chrom: string;
  rows: number;
  pos: Int32Array;
  altIndex: Uint8Array;
  zygosity: Uint8Array;
  phased: Uint8Array;
  dp: Int32Array;
  gq: Int32Array;
  qual: Float32Array;
  text: Record<TextColumnName, CodedText>;
}

const NUMERIC_FIELDS = [
  { name: 'pos', key: 'pos' },
  { name: 'alt_index', key: 'altIndex' },
  { name: 'zygosity', key: 'zygosity' },
  { name: 'phased', key: 'phased' },
  { name: 'dp', key: 'dp' },
  { name: 'gq', key: 'gq' },
  { name: 'qual', key: 'qual' },
] as const;

function codeText(values: readonly (string | null)[], rows: number): CodedText {
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

function dictionaryData(text: CodedText, rows: number, id: number): Data<Dictionary<Utf8, Int8 | Int16 | Int32>> {
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

function checkBatch(batch: CallBatch): void {
  const n = batch.rows;
  if (!Number.isInteger(n) || n < 0) throw new PartitionCodecError(`batch for ${batch.chrom}: rows must be a non-negative integer`);
  for (const f of NUMERIC_FIELDS) {
    if (batch[f.key].length !== n) throw new PartitionCodecError(`batch for ${batch.chrom}: column ${f.name} has ${batch[f.key].length} values, expected ${n}`);
  }
  for (const name of TEXT_COLUMNS) {
    if (batch[name].length !== n) throw new PartitionCodecError(`batch for ${batch.chrom}: column ${name} has ${batch[name].length} values, expected ${n}`);
  }
}

// QUAL as whole hundredths when every value is exactly that (VCFs write one or two decimals):
// ~15% smaller than float32 bit patterns. Missing (NaN) is the smallest int32.
const QUAL_MISSING_CENTI = -0x80000000;
const CANONICAL_NAN_BITS = 0x7fc00000;

function qualAsCenti(qual: Float32Array): Uint32Array | null {
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

function qualFromCenti(words: Uint32Array): Float32Array {
  const out = new Float32Array(words.length);
  for (let i = 0; i < words.length; i++) {
    const centi = words[i]! | 0;
    out[i] = centi === QUAL_MISSING_CENTI ? NaN : centi / 100;
  }
  return out;
}

/** A missing DP/GQ (-1) becomes 0, so the common small values keep their high bytes zero. */
function shiftedUp(values: Int32Array): Uint32Array {
  const out = new Uint32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = (values[i]! + 1) >>> 0;
  return out;
}

function shiftedDown(words: Uint32Array): Int32Array {
  const out = new Int32Array(words.length);
  for (let i = 0; i < words.length; i++) out[i] = (words[i]! - 1) | 0;
  return out;
}

const PLANE_NAMES = ['b0', 'b1', 'b2', 'b3'] as const;

function planesData(words: Uint32Array): Data<Struct> {
  const planes = splitPlanes(words);
  const fields = PLANE_NAMES.map((name) => new Field(name, new Uint8(), false));
  const children = planes.map((data) => makeData({ type: new Uint8(), length: words.length, nullCount: 0, data }));
  return makeData({ type: new Struct(fields), length: words.length, nullCount: 0, children });
}

/** The batch with its text dictionary-coded: what `encodeCodedPartition` takes (and what decoding gives back). */
export function codePartition(batch: CallBatch): CodedPartition {
  checkBatch(batch);
  const rows = batch.rows;
  const text = Object.fromEntries(TEXT_COLUMNS.map((name) => [name, codeText(batch[name], rows)])) as Record<TextColumnName, CodedText>;
  return {
    chrom: batch.chrom, rows, pos: batch.pos, altIndex: batch.altIndex, zygosity: batch.zygosity, phased: batch.phased, dp: batch.dp, gq: batch.gq, qual: batch.qual, text,
  };
}

/** The Arrow IPC stream of a coded batch in format 2 (uncompressed); also makes the preset dictionary. */
export function partitionIpcV2(p: CodedPartition): Uint8Array {
  const rows = p.rows;
  const centi = qualAsCenti(p.qual);
  const qualWords = centi ?? new Uint32Array(p.qual.buffer.slice(p.qual.byteOffset, p.qual.byteOffset + p.qual.byteLength));
  const columns: [string, Data][] = [
    ['pos', planesData(zigzagDeltas(p.pos))],
    ['alt_index', makeData({ type: new Uint8(), length: rows, nullCount: 0, data: p.altIndex })],
    ['zygosity', makeData({ type: new Uint8(), length: rows, nullCount: 0, data: p.zygosity })],
    ['phased', makeData({ type: new Uint8(), length: rows, nullCount: 0, data: p.phased })],
    ['dp', planesData(shiftedUp(p.dp))],
    ['gq', planesData(shiftedUp(p.gq))],
    ['qual', planesData(qualWords)],
  ];
  TEXT_COLUMNS.forEach((name, i) => columns.push([name, dictionaryData(p.text[name], rows, i)]));
  const fields = columns.map(([name, data]) => new Field(name, data.type, TEXT_COLUMNS.includes(name as TextColumnName)));
  const metadata = new Map([['format', FORMATS[2].name], ['chrom', p.chrom], ['qual', centi ? 'centi' : 'float32']]);
  const struct = makeData({ type: new Struct(fields), length: rows, nullCount: 0, children: columns.map(([, data]) => data) });
  return tableToIPC(new Table([new RecordBatch(new Schema(fields, metadata), struct)]), 'stream');
}

/** Arrow IPC + deflate of a coded batch: the CPU-heavy half of encoding, run on ingest's encode workers. */
export function encodeCodedPartition(p: CodedPartition): Uint8Array {
  const f = FORMATS[2];
  return Buffer.concat([f.magic, deflateRawSync(partitionIpcV2(p), { level: 1, dictionary: f.preset })]);
}

export function encodePartition(batch: CallBatch): Uint8Array {
  return encodeCodedPartition(codePartition(batch));
}

function readTable(bytes: Uint8Array): { table: Table; version: 1 | 2 } {
  const magic = Buffer.from(bytes.subarray(0, MAGIC_BYTES));
  const version = magic.equals(FORMATS[2].magic) ? 2 : magic.equals(FORMATS[1].magic) ? 1 : null;
  if (version === null) throw new PartitionCodecError('not a GenoVault partition (bad magic bytes)');
  const format = FORMATS[version];
  let table: Table;
  try {
    table = tableFromIPC(inflateRawSync(bytes.subarray(MAGIC_BYTES), { dictionary: format.preset }));
  } catch {
    throw new PartitionCodecError('partition bytes are corrupt (cannot decompress or parse Arrow IPC)');
  }
  if (table.schema.metadata.get('format') !== format.name) throw new PartitionCodecError(`unsupported partition format ${table.schema.metadata.get('format') ?? '(none)'}`);
  return { table, version };
}

function column(table: Table, name: string): Data {
  const child = table.getChild(name) as Vector<DataType> | null;
  if (!child) throw new PartitionCodecError(`partition lacks column ${name}`);
  const chunks = child.data;
  if (chunks.length === 1) return chunks[0]!;
  throw new PartitionCodecError(`partition column ${name} is split in ${chunks.length} chunks; expected one`);
}

function decodeText(data: Data, rows: number, name: string): CodedText {
  const dictionary = (data as Data<Dictionary<Utf8, Int32>>).dictionary;
  if (!dictionary) throw new PartitionCodecError(`partition column ${name} is not dictionary-encoded`);
  const values = dictionary.toArray() as string[];
  const codes = new Int32Array(rows);
  const raw = data.values as ArrayLike<number>;
  for (let i = 0; i < rows; i++) codes[i] = data.getValid(i) ? raw[i]! : -1;
  return { values: Array.from(values), codes };
}

function planeWords(table: Table, name: string, rows: number): Uint32Array {
  const data = column(table, name);
  if (data.children.length !== 4 || data.children.some((c) => !(c.values instanceof Uint8Array))) throw new PartitionCodecError(`partition column ${name} is not four byte planes`);
  return joinPlanes(data.children.map((c) => c.values as Uint8Array), rows);
}

function typedColumn<T extends ArrayLike<number>>(table: Table, name: string, rows: number, array: abstract new (...args: never[]) => T): T {
  const values = column(table, name).values as unknown;
  if (!(values instanceof array)) throw new PartitionCodecError(`partition column ${name} has the wrong type`);
  return (values as T & { slice(start: number, end: number): T }).slice(0, rows);
}

function decodeNumbersV1(table: Table, rows: number): Omit<CodedPartition, 'chrom' | 'rows' | 'text'> {
  return {
    pos: typedColumn(table, 'pos', rows, Int32Array), altIndex: typedColumn(table, 'alt_index', rows, Uint8Array),
    zygosity: typedColumn(table, 'zygosity', rows, Uint8Array), phased: typedColumn(table, 'phased', rows, Uint8Array),
    dp: typedColumn(table, 'dp', rows, Int32Array), gq: typedColumn(table, 'gq', rows, Int32Array), qual: typedColumn(table, 'qual', rows, Float32Array),
  };
}

function decodeNumbersV2(table: Table, rows: number): Omit<CodedPartition, 'chrom' | 'rows' | 'text'> {
  const qualCoding = table.schema.metadata.get('qual');
  if (qualCoding !== 'centi' && qualCoding !== 'float32') throw new PartitionCodecError(`partition has an unknown QUAL coding ${qualCoding ?? '(none)'}`);
  const qualWords = planeWords(table, 'qual', rows);
  return {
    pos: undoZigzagDeltas(planeWords(table, 'pos', rows)), altIndex: typedColumn(table, 'alt_index', rows, Uint8Array),
    zygosity: typedColumn(table, 'zygosity', rows, Uint8Array), phased: typedColumn(table, 'phased', rows, Uint8Array),
    dp: shiftedDown(planeWords(table, 'dp', rows)), gq: shiftedDown(planeWords(table, 'gq', rows)),
    qual: qualCoding === 'centi' ? qualFromCenti(qualWords) : new Float32Array(qualWords.buffer, qualWords.byteOffset, rows),
  };
}

/** Decodes to the dictionary-coded form (numbers copied out of the IPC buffer). */
export function decodePartitionCoded(bytes: Uint8Array): CodedPartition {
  const { table, version } = readTable(bytes);
  const rows = table.numRows;
  const numbers = version === 2 ? decodeNumbersV2(table, rows) : decodeNumbersV1(table, rows);
  const text = Object.fromEntries(TEXT_COLUMNS.map((name) => [name, decodeText(column(table, name), rows, name)])) as Record<TextColumnName, CodedText>;
  return { chrom: table.schema.metadata.get('chrom') ?? '', rows, ...numbers, text };
}

function expandText(text: CodedText): (string | null)[] {
  const out = new Array<string | null>(text.codes.length);
  for (let i = 0; i < text.codes.length; i++) {
    const code = text.codes[i]!;
    out[i] = code < 0 ? null : text.values[code]!;
  }
  return out;
}

function nonNullText(text: CodedText, name: string): string[] {
  const out = expandText(text);
  if (out.includes(null)) throw new PartitionCodecError(`partition column ${name} holds a null; it must not`);
  return out as string[];
}

export function decodePartition(bytes: Uint8Array): CallBatch {
  const p = decodePartitionCoded(bytes);
  return {
    chrom: p.chrom, rows: p.rows, pos: p.pos, altIndex: p.altIndex, zygosity: p.zygosity, phased: p.phased, dp: p.dp, gq: p.gq, qual: p.qual,
    id: expandText(p.text.id),
    ref: nonNullText(p.text.ref, 'ref'),
    alt: nonNullText(p.text.alt, 'alt'),
    filter: expandText(p.text.filter),
    gt: nonNullText(p.text.gt, 'gt'),
    gene: expandText(p.text.gene),
    consequence: expandText(p.text.consequence),
    clnsig: expandText(p.text.clnsig),
  };
}
