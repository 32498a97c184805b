// One sample's calls on one chromosome as bytes: an Arrow IPC stream compressed with raw
// deflate level 1 and a preset dictionary (the IPC bytes of an empty partition, so the schema
// costs almost nothing). Format 2 (magic GVP2, written now) stores positions as zigzag deltas
// and DP, GQ and QUAL as byte planes (byte-planes.ts), QUAL as whole hundredths when that is
// exact, and text dictionary-coded with the narrowest index type; format 1 (GVP1: plain Int32
// and Float32 columns, Int32 indices) is still read. Measured on real VCFs: deflate-1 and
// brotli-1 give sizes within 5% of each other, and inflate decodes 2-5x faster than brotli.
// The engine reads the dictionary-coded form directly so text becomes integer codes without a
// per-row string lookup.
import { deflateRawSync } from 'node:zlib';
import { Field, Schema, Table, RecordBatch, Struct, makeData, tableToIPC, type Data } from 'apache-arrow';
import type { CallBatch } from '../ingest/call-columns.ts';
import { PARTITION_PRESET, PARTITION_PRESET_V2 } from './partition-preset.ts';
import { undoZigzagDeltas, zigzagDeltas } from './byte-planes.ts';
import { callsFormat, decodeCalls, joinCalls } from './calls-codec.ts';
import { nullText, type AlleleTable } from './allele-table-codec.ts';
import {
  PartitionCodecError, bytesData, codeText, column, decodeText, dictionaryData, planeWords, planesData, qualFromWords, qualWords, readIpc, shiftedDown,
  shiftedUp, typedColumn, type CodedText,
} from './arrow-columns.ts';

export { PartitionCodecError, type CodedText } from './arrow-columns.ts';

const FORMATS = {
  1: { magic: Buffer.from('GVP1', 'ascii'), name: 'genovault-calls/1', preset: PARTITION_PRESET },
  2: { magic: Buffer.from('GVP2', 'ascii'), name: 'genovault-calls/2', preset: PARTITION_PRESET_V2 },
} as const;
const MAGIC_BYTES = 4;

/** The text columns of the self-contained formats 1 and 2. */
export const TEXT_COLUMNS = ['id', 'ref', 'alt', 'filter', 'gt', 'gene', 'consequence', 'clnsig'] as const;
type SelfContainedText = (typeof TEXT_COLUMNS)[number];
/** HGVS comes from allele tables of format 2; older partitions read it as null. */
export type TextColumnName = SelfContainedText | 'hgvs_c' | 'hgvs_p';

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
  /** FORMAT AD: reference reads, this allele's reads, other ALT alleles' reads (MISSING_INT when absent); empty when no call has AD */
  adRef: Int32Array;
  adAlt: Int32Array;
  adOther: Int32Array;
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

/** The batch with its text dictionary-coded: what `encodeCodedPartition` takes (and what decoding gives back). */
export function codePartition(batch: CallBatch): CodedPartition {
  checkBatch(batch);
  const rows = batch.rows;
  const text = {
    ...(Object.fromEntries(TEXT_COLUMNS.map((name) => [name, codeText(batch[name], rows)])) as Record<SelfContainedText, CodedText>),
    hgvs_c: batch.hgvsC ? codeText(batch.hgvsC, rows) : nullText(rows),
    hgvs_p: batch.hgvsP ? codeText(batch.hgvsP, rows) : nullText(rows),
  };
  return {
    chrom: batch.chrom, rows, pos: batch.pos, altIndex: batch.altIndex, zygosity: batch.zygosity, phased: batch.phased, dp: batch.dp, gq: batch.gq, qual: batch.qual,
    adRef: batch.adRef ?? noDepths(), adAlt: batch.adAlt ?? noDepths(), adOther: batch.adOther ?? noDepths(), text,
  };
}

/** The Arrow IPC stream of a coded batch in format 2 (uncompressed); also makes the preset dictionary. */
export function partitionIpcV2(p: CodedPartition): Uint8Array {
  const rows = p.rows;
  const qual = qualWords(p.qual);
  const columns: [string, Data][] = [
    ['pos', planesData(zigzagDeltas(p.pos))],
    ['alt_index', bytesData(p.altIndex)],
    ['zygosity', bytesData(p.zygosity)],
    ['phased', bytesData(p.phased)],
    ['dp', planesData(shiftedUp(p.dp))],
    ['gq', planesData(shiftedUp(p.gq))],
    ['qual', planesData(qual.words)],
  ];
  TEXT_COLUMNS.forEach((name, i) => columns.push([name, dictionaryData(p.text[name], rows, i)]));
  const fields = columns.map(([name, data]) => new Field(name, data.type, (TEXT_COLUMNS as readonly string[]).includes(name)));
  const metadata = new Map([['format', FORMATS[2].name], ['chrom', p.chrom], ['qual', qual.coding]]);
  const struct = makeData({ type: new Struct(fields), length: rows, nullCount: 0, children: columns.map(([, data]) => data) });
  return tableToIPC(new Table([new RecordBatch(new Schema(fields, metadata), struct)]), 'stream');
}

/** Arrow IPC + deflate of a coded batch in the self-contained format 2. */
export function encodeCodedPartition(p: CodedPartition): Uint8Array {
  const f = FORMATS[2];
  return Buffer.concat([f.magic, deflateRawSync(partitionIpcV2(p), { level: 1, dictionary: f.preset })]);
}

export function encodePartition(batch: CallBatch): Uint8Array {
  return encodeCodedPartition(codePartition(batch));
}

/** Which stored format these bytes are in, by their magic: 1 and 2 are self-contained, 3 and 4 (calls) need their allele table. */
/** Whether a partition of this format holds calls only, pointing into an allele table (formats 3 and 4). */
export function pointsIntoAlleles(format: 1 | 2 | 3 | 4): boolean {
  return format >= 3;
}

export function partitionFormat(bytes: Uint8Array): 1 | 2 | 3 | 4 {
  const magic = Buffer.from(bytes.subarray(0, MAGIC_BYTES));
  if (magic.equals(FORMATS[2].magic)) return 2;
  const calls = callsFormat(bytes);
  if (calls !== null) return calls;
  if (magic.equals(FORMATS[1].magic)) return 1;
  throw new PartitionCodecError('not a GenoVault partition (bad magic bytes)');
}

function readTable(bytes: Uint8Array, version: 1 | 2): Table {
  const format = FORMATS[version];
  const table = readIpc(bytes, MAGIC_BYTES, format.preset);
  if (table.schema.metadata.get('format') !== format.name) throw new PartitionCodecError(`unsupported partition format ${table.schema.metadata.get('format') ?? '(none)'}`);
  return table;
}

/** Formats 1 and 2 kept no allele depths. */
type SelfContainedNumbers = Omit<CodedPartition, 'chrom' | 'rows' | 'text' | 'adRef' | 'adAlt' | 'adOther'>;

/** An AD column of a partition without AD: empty (every value missing), so it costs no memory once loaded. */
function noDepths(): Int32Array {
  return new Int32Array(0);
}

function decodeNumbersV1(table: Table, rows: number): SelfContainedNumbers {
  return {
    pos: typedColumn(table, 'pos', rows, Int32Array), altIndex: typedColumn(table, 'alt_index', rows, Uint8Array),
    zygosity: typedColumn(table, 'zygosity', rows, Uint8Array), phased: typedColumn(table, 'phased', rows, Uint8Array),
    dp: typedColumn(table, 'dp', rows, Int32Array), gq: typedColumn(table, 'gq', rows, Int32Array), qual: typedColumn(table, 'qual', rows, Float32Array),
  };
}

function decodeNumbersV2(table: Table, rows: number): SelfContainedNumbers {
  return {
    pos: undoZigzagDeltas(planeWords(table, 'pos', rows)), altIndex: typedColumn(table, 'alt_index', rows, Uint8Array),
    zygosity: typedColumn(table, 'zygosity', rows, Uint8Array), phased: typedColumn(table, 'phased', rows, Uint8Array),
    dp: shiftedDown(planeWords(table, 'dp', rows)), gq: shiftedDown(planeWords(table, 'gq', rows)),
    qual: qualFromWords(planeWords(table, 'qual', rows), table.schema.metadata.get('qual'), rows),
  };
}

/**
 * Decodes to the dictionary-coded form (numbers copied out of the IPC buffer). A calls partition
 * (formats 3 and 4) holds only per-sample columns and needs the allele table it points into.
 */
export function decodePartitionCoded(bytes: Uint8Array, alleles?: AlleleTable): CodedPartition {
  const version = partitionFormat(bytes);
  if (version === 3 || version === 4) {
    if (!alleles) throw new PartitionCodecError('a calls partition needs its allele table to be read');
    return joinCalls(decodeCalls(bytes), alleles);
  }
  const table = readTable(bytes, version);
  const rows = table.numRows;
  const numbers = version === 2 ? decodeNumbersV2(table, rows) : decodeNumbersV1(table, rows);
  const text = {
    ...(Object.fromEntries(TEXT_COLUMNS.map((name) => [name, decodeText(column(table, name), rows, name)])) as Record<SelfContainedText, CodedText>),
    hgvs_c: nullText(rows),
    hgvs_p: nullText(rows),
  };
  return { chrom: table.schema.metadata.get('chrom') ?? '', rows, ...numbers, adRef: noDepths(), adAlt: noDepths(), adOther: noDepths(), text };
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

export function decodePartition(bytes: Uint8Array, alleles?: AlleleTable): CallBatch {
  return expandPartition(decodePartitionCoded(bytes, alleles));
}

/** The coded form with every text value written out per row (tools, benchmarks, tests). */
export function expandPartition(p: CodedPartition): CallBatch {
  return {
    chrom: p.chrom, rows: p.rows, pos: p.pos, altIndex: p.altIndex, zygosity: p.zygosity, phased: p.phased, dp: p.dp, gq: p.gq, qual: p.qual,
    adRef: p.adRef, adAlt: p.adAlt, adOther: p.adOther, hgvsC: expandText(p.text.hgvs_c), hgvsP: expandText(p.text.hgvs_p),
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
