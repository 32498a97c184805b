// One ingest batch's alternate alleles on one chromosome: the site-level half of the split
// storage. Every allele that at least one sample of the batch carries is one row (position,
// allele index, QUAL, ID, REF, ALT, FILTER, gene, consequence, ClinVar significance, and from
// format 2 its HGVS c. and p.), stored once however many samples carry it; each sample's calls partition points into it by row.
// Sealed with the batch's own data key. Erasing a sample blanks the rows only it carried
// (a removed row has no REF), so row numbers stay stable for the other samples.
import { deflateRawSync } from 'node:zlib';
import { Field, RecordBatch, Schema, Struct, Table, makeData, tableToIPC, type Data } from 'apache-arrow';
import { undoZigzagDeltas, zigzagDeltas } from './byte-planes.ts';
import {
  PartitionCodecError, bytesData, column, decodeText, dictionaryData, planeWords, planesData, qualFromWords, qualWords, readIpc, typedColumn, type CodedText,
} from './arrow-columns.ts';

export const ALLELE_TEXT_COLUMNS = ['id', 'ref', 'alt', 'filter', 'gene', 'consequence', 'clnsig', 'hgvs_c', 'hgvs_p'] as const;
/** What format 1 (GVA1) tables hold; the HGVS columns read as null from them. */
const FORMAT_1_TEXT_COLUMNS: readonly AlleleTextColumn[] = ['id', 'ref', 'alt', 'filter', 'gene', 'consequence', 'clnsig'];
export type AlleleTextColumn = (typeof ALLELE_TEXT_COLUMNS)[number];

export interface AlleleTable {
  chrom: string;
  rows: number;
  pos: Int32Array;
  /** 1-based index of the allele in its record's ALT list */
  altIndex: Uint8Array;
  qual: Float32Array;
  text: Record<AlleleTextColumn, CodedText>;
  /** the batch's genotype strings as written ('0/1', '1|1'); calls name theirs by index */
  genotypes: string[];
}

const FORMATS = {
  1: { magic: Buffer.from('GVA1', 'ascii'), name: 'genovault-alleles/1' },
  2: { magic: Buffer.from('GVA2', 'ascii'), name: 'genovault-alleles/2' },
} as const;

export function isRemovedAllele(table: AlleleTable, row: number): boolean {
  return (table.text.ref.codes[row] ?? -1) < 0;
}

export function encodeAlleleTable(table: AlleleTable): Uint8Array {
  const rows = table.rows;
  for (const name of ALLELE_TEXT_COLUMNS) {
    if (table.text[name].codes.length !== rows) throw new PartitionCodecError(`allele table for ${table.chrom}: column ${name} has ${table.text[name].codes.length} values, expected ${rows}`);
  }
  if (table.pos.length !== rows || table.altIndex.length !== rows || table.qual.length !== rows) throw new PartitionCodecError(`allele table for ${table.chrom}: numeric columns must have ${rows} values`);
  const qual = qualWords(table.qual);
  const columns: [string, Data][] = [
    ['pos', planesData(zigzagDeltas(table.pos))],
    ['alt_index', bytesData(table.altIndex)],
    ['qual', planesData(qual.words)],
  ];
  ALLELE_TEXT_COLUMNS.forEach((name, i) => columns.push([name, dictionaryData(table.text[name], rows, i)]));
  const fields = columns.map(([name, data]) => new Field(name, data.type, (ALLELE_TEXT_COLUMNS as readonly string[]).includes(name)));
  const metadata = new Map([['format', FORMATS[2].name], ['chrom', table.chrom], ['qual', qual.coding], ['genotypes', JSON.stringify(table.genotypes)]]);
  const struct = makeData({ type: new Struct(fields), length: rows, nullCount: 0, children: columns.map(([, data]) => data) });
  const ipc = tableToIPC(new Table([new RecordBatch(new Schema(fields, metadata), struct)]), 'stream');
  return Buffer.concat([FORMATS[2].magic, deflateRawSync(ipc, { level: 1 })]);
}

export function decodeAlleleTable(bytes: Uint8Array): AlleleTable {
  const magic = Buffer.from(bytes.subarray(0, 4));
  const version = magic.equals(FORMATS[2].magic) ? 2 : magic.equals(FORMATS[1].magic) ? 1 : null;
  if (version === null) throw new PartitionCodecError('not a GenoVault allele table (bad magic bytes)');
  const table = readIpc(bytes, 4, null);
  if (table.schema.metadata.get('format') !== FORMATS[version].name) throw new PartitionCodecError(`unsupported allele table format ${table.schema.metadata.get('format') ?? '(none)'}`);
  const rows = table.numRows;
  const stored = version === 2 ? ALLELE_TEXT_COLUMNS : FORMAT_1_TEXT_COLUMNS;
  const text = Object.fromEntries(ALLELE_TEXT_COLUMNS.map((name) => [name, stored.includes(name) ? decodeText(column(table, name), rows, name) : nullText(rows)])) as Record<AlleleTextColumn, CodedText>;
  return {
    genotypes: parseGenotypes(table.schema.metadata.get('genotypes')),
    chrom: table.schema.metadata.get('chrom') ?? '',
    rows,
    pos: undoZigzagDeltas(planeWords(table, 'pos', rows)),
    altIndex: typedColumn(table, 'alt_index', rows, Uint8Array),
    qual: qualFromWords(planeWords(table, 'qual', rows), table.schema.metadata.get('qual'), rows),
    text,
  };
}

/**
 * The same table with every row not in `keep` blanked, and every genotype string not in
 * `keepGenotypes` emptied (indices stay stable): what erasure leaves of a batch's alleles.
 */
export function keepAlleles(table: AlleleTable, keep: Uint8Array, keepGenotypes?: Uint8Array): AlleleTable {
  const pos = table.pos.slice();
  const altIndex = table.altIndex.slice();
  const qual = table.qual.slice();
  const codes = Object.fromEntries(ALLELE_TEXT_COLUMNS.map((name) => [name, table.text[name].codes.slice()])) as Record<AlleleTextColumn, Int32Array>;
  for (let row = 0; row < table.rows; row++) {
    if (keep[row]) continue;
    pos[row] = 0;
    altIndex[row] = 0;
    qual[row] = NaN;
    for (const name of ALLELE_TEXT_COLUMNS) codes[name][row] = -1;
  }
  // values no kept row uses go too, so the blanked alleles leave no text behind
  const text = Object.fromEntries(ALLELE_TEXT_COLUMNS.map((name) => [name, compactValues(table.text[name].values, codes[name])])) as Record<AlleleTextColumn, CodedText>;
  const genotypes = table.genotypes.map((g, i) => (!keepGenotypes || keepGenotypes[i] ? g : ''));
  return { chrom: table.chrom, rows: table.rows, pos, altIndex, qual, text, genotypes };
}

/** A text column of `rows` nulls. */
export function nullText(rows: number): CodedText {
  return { values: [], codes: new Int32Array(rows).fill(-1) };
}

function parseGenotypes(json: string | undefined): string[] {
  let value: unknown;
  try {
    value = JSON.parse(json ?? 'null');
  } catch {
    value = null;
  }
  if (!Array.isArray(value) || !value.every((g) => typeof g === 'string')) throw new PartitionCodecError('allele table lacks its genotype strings');
  return value;
}

function compactValues(values: readonly string[], codes: Int32Array): CodedText {
  const remap = new Int32Array(values.length).fill(-1);
  const kept: string[] = [];
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    if (code < 0) continue;
    let next = remap[code]!;
    if (next < 0) {
      next = kept.length;
      remap[code] = next;
      kept.push(values[code]!);
    }
    codes[i] = next;
  }
  return { values: kept, codes };
}

/** Gathers `source` at the given rows into a column that holds only the values those rows use. */
export function gatherText(source: CodedText, rows: Uint32Array): CodedText {
  const remap = new Int32Array(source.values.length).fill(-1);
  const values: string[] = [];
  const codes = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const code = source.codes[rows[i]!] ?? -1;
    if (code < 0) {
      codes[i] = -1;
      continue;
    }
    let next = remap[code]!;
    if (next < 0) {
      next = values.length;
      remap[code] = next;
      values.push(source.values[code]!);
    }
    codes[i] = next;
  }
  return { values, codes };
}
