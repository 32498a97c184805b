// Calls partitions (formats 3 and 4): one sample's calls on one chromosome as per-sample numbers
// only (allele row, zygosity, phasing, DP, GQ, genotype code, and from format 4 FORMAT AD as the
// reference reads, this allele's reads and the other ALT alleles' reads); everything the VCF says
// once per site, and the batch's genotype strings, live in the batch's allele table
// (allele-table-codec.ts). Joining the two gives back the same CodedPartition a self-contained
// partition decodes to, so the engine is unchanged. Format 3 (GVP3) is still read, its depths missing.
import { brotliCompressSync, constants } from 'node:zlib';
import type { Table } from 'apache-arrow';
import { MISSING_INT, type SampleCalls } from '../ingest/call-columns.ts';
import { undoZigzagDeltas, unzigzag, zigzag, zigzagDeltas } from './byte-planes.ts';
import { byteColumnsIpc, type ByteColumn } from './byte-columns-ipc.ts';
import { PartitionCodecError, narrowColumn, narrowWords, readBrotliIpc, shiftedDown, shiftedUp, typedColumn } from './arrow-columns.ts';
import { ALLELE_TEXT_COLUMNS, gatherText, isRemovedAllele, type AlleleTable } from './allele-table-codec.ts';
import type { CodedPartition } from './partition-codec.ts';

/** Magic of format 3 (no allele depths), still read. */
export const CALLS_MAGIC = Buffer.from('GVP3', 'ascii');
/** Magic of format 4, written now. */
export const CALLS_MAGIC_V4 = Buffer.from('GVP4', 'ascii');
const FORMAT_NAMES = { 3: 'genovault-calls/3', 4: 'genovault-calls/4' } as const;
/**
 * AD is written only when some call of the partition has it. The reference's reads are stored as
 * their gap to DP (DP - AD of every allele, zigzag-coded): callers write DP as the sum of AD or a
 * little more, so the column is nearly constant and compresses to almost nothing (it was a third of
 * what AD added at rest on the bench file). The gap is exact for every int32, missing values included.
 */
const known = (value: number): number => (value === MISSING_INT ? 0 : value);

function referenceGaps(calls: SampleCalls): Uint32Array {
  const gaps = new Int32Array(calls.rows);
  for (let i = 0; i < calls.rows; i++) gaps[i] = (known(calls.dp[i]!) - known(calls.adAlt[i]!) - known(calls.adOther[i]!) - calls.adRef[i]!) | 0;
  return zigzag(gaps);
}

function referenceReads(gaps: Int32Array, dp: Int32Array, adAlt: Int32Array, adOther: Int32Array): Int32Array {
  const out = new Int32Array(gaps.length);
  for (let i = 0; i < gaps.length; i++) out[i] = (known(dp[i]!) - known(adAlt[i]!) - known(adOther[i]!) - gaps[i]!) | 0;
  return out;
}

export interface DecodedCalls extends SampleCalls {
  /** rows the allele table had when this partition was written: every allele row is below it */
  alleleRows: number;
}

function anyPresent(values: Int32Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== MISSING_INT) return true;
  return false;
}

/** The Arrow IPC stream of a calls partition (uncompressed): numbers only, each column as narrow as its values. */
export function callsIpc(calls: SampleCalls, alleleRows: number): Uint8Array {
  const rows = calls.rows;
  const named = [['allele', calls.allele], ['zygosity', calls.zygosity], ['phased', calls.phased], ['dp', calls.dp], ['gq', calls.gq], ['gt', calls.gt], ['ad_ref', calls.adRef], ['ad_alt', calls.adAlt], ['ad_other', calls.adOther]] as const;
  for (const [name, values] of named) {
    // AD columns may be empty: no call has AD
    if (values.length !== rows && !(name.startsWith('ad_') && values.length === 0)) throw new PartitionCodecError(`calls for ${calls.chrom}: column ${name} has ${values.length} values, expected ${rows}`);
  }
  const allele = new Int32Array(calls.allele.buffer, calls.allele.byteOffset, rows);
  const columns: ByteColumn[] = [
    narrowColumn('allele', zigzagDeltas(allele)),
    { name: 'zygosity', planes: [calls.zygosity], struct: false },
    { name: 'phased', planes: [calls.phased], struct: false },
    narrowColumn('dp', shiftedUp(calls.dp)),
    narrowColumn('gq', shiftedUp(calls.gq)),
    narrowColumn('gt', new Uint32Array(calls.gt.buffer, calls.gt.byteOffset, rows)),
  ];
  // a file without AD (or a sample without it) pays nothing for the columns
  if (calls.adRef.length > 0 && (anyPresent(calls.adRef) || anyPresent(calls.adAlt) || anyPresent(calls.adOther))) {
    columns.push(narrowColumn('ad_alt', shiftedUp(calls.adAlt)), narrowColumn('ad_other', shiftedUp(calls.adOther)), narrowColumn('ad_ref_gap', referenceGaps(calls)));
  }
  const metadata = new Map([['format', FORMAT_NAMES[4]], ['chrom', calls.chrom], ['allele_rows', String(alleleRows)]]);
  return byteColumnsIpc(columns, rows, metadata);
}

// Brotli at quality 0: measured on the bench's calls (500 partitions) at 240 MB/s and 0.56 of the
// IPC bytes, against deflate level 1 at 94 MB/s and 0.53, and deflate's Huffman-only mode at
// 168 MB/s and 0.58. These columns are small numbers with few repeats, so matching finds little;
// compression speed is what bounds ingest.
const BROTLI = { params: { [constants.BROTLI_PARAM_QUALITY]: 0, [constants.BROTLI_PARAM_LGWIN]: 16 } };

export function encodeCalls(calls: SampleCalls, alleleRows: number): Uint8Array {
  return Buffer.concat([CALLS_MAGIC_V4, brotliCompressSync(callsIpc(calls, alleleRows), BROTLI)]);
}

/** 3 or 4 for a calls partition's bytes, null for anything else. */
export function callsFormat(bytes: Uint8Array): 3 | 4 | null {
  const magic = Buffer.from(bytes.subarray(0, CALLS_MAGIC.length));
  return magic.equals(CALLS_MAGIC_V4) ? 4 : magic.equals(CALLS_MAGIC) ? 3 : null;
}

export function decodeCalls(bytes: Uint8Array): DecodedCalls {
  const version = callsFormat(bytes);
  if (version === null) throw new PartitionCodecError('not a GenoVault calls partition (bad magic bytes)');
  const table = readBrotliIpc(bytes, CALLS_MAGIC.length);
  const meta = table.schema.metadata;
  if (meta.get('format') !== FORMAT_NAMES[version]) throw new PartitionCodecError(`unsupported partition format ${meta.get('format') ?? '(none)'}`);
  const alleleRows = Number(meta.get('allele_rows'));
  if (!Number.isSafeInteger(alleleRows) || alleleRows < 0) throw new PartitionCodecError('calls partition lacks its allele row count');
  const rows = table.numRows;
  const allele = undoZigzagDeltas(narrowWords(table, 'allele', rows));
  const gt = narrowWords(table, 'gt', rows);
  const dp = shiftedDown(narrowWords(table, 'dp', rows));
  return {
    chrom: meta.get('chrom') ?? '',
    rows,
    allele: new Uint32Array(allele.buffer, allele.byteOffset, rows),
    zygosity: typedColumn(table, 'zygosity', rows, Uint8Array),
    phased: typedColumn(table, 'phased', rows, Uint8Array),
    dp,
    gq: shiftedDown(narrowWords(table, 'gq', rows)),
    gt: new Int32Array(gt.buffer, gt.byteOffset, rows),
    ...depthColumns(table, rows, dp),
    alleleRows,
  };
}

/** The AD columns, or empty ones (every value missing) when the partition has none (format 3, or no call with AD). */
function depthColumns(table: Table, rows: number, dp: Int32Array): Pick<SampleCalls, 'adRef' | 'adAlt' | 'adOther'> {
  if (!table.getChild('ad_alt')) return { adRef: new Int32Array(0), adAlt: new Int32Array(0), adOther: new Int32Array(0) };
  const adAlt = shiftedDown(narrowWords(table, 'ad_alt', rows));
  const adOther = shiftedDown(narrowWords(table, 'ad_other', rows));
  return { adRef: referenceReads(unzigzag(narrowWords(table, 'ad_ref_gap', rows)), dp, adAlt, adOther), adAlt, adOther };
}

/** The calls with their alleles looked up: the engine's CodedPartition. */
export function joinCalls(calls: DecodedCalls, alleles: AlleleTable): CodedPartition {
  if (alleles.chrom !== calls.chrom) throw new PartitionCodecError(`calls on ${calls.chrom} point into an allele table of ${alleles.chrom}`);
  if (alleles.rows !== calls.alleleRows) throw new PartitionCodecError(`calls expect an allele table of ${calls.alleleRows} rows, found ${alleles.rows}`);
  const rows = calls.rows;
  const pos = new Int32Array(rows);
  const altIndex = new Uint8Array(rows);
  const qual = new Float32Array(rows);
  const genotypes = alleles.genotypes.length;
  for (let i = 0; i < rows; i++) {
    const row = calls.allele[i]!;
    if (row >= alleles.rows || isRemovedAllele(alleles, row)) throw new PartitionCodecError(`calls on ${calls.chrom} point at allele row ${row}, which the allele table does not hold`);
    if (calls.gt[i]! >= genotypes) throw new PartitionCodecError(`calls on ${calls.chrom} name genotype ${calls.gt[i]!}, which the allele table does not list`);
    pos[i] = alleles.pos[row]!;
    altIndex[i] = alleles.altIndex[row]!;
    qual[i] = alleles.qual[row]!;
  }
  const identity = Uint32Array.from({ length: rows }, (_, i) => i);
  const text = Object.fromEntries(ALLELE_TEXT_COLUMNS.map((name) => [name, gatherText(alleles.text[name], calls.allele)]));
  return {
    chrom: calls.chrom, rows, pos, altIndex, qual, zygosity: calls.zygosity, phased: calls.phased, dp: calls.dp, gq: calls.gq,
    adRef: calls.adRef, adAlt: calls.adAlt, adOther: calls.adOther,
    text: { ...text, gt: gatherText({ values: alleles.genotypes, codes: calls.gt }, identity) } as CodedPartition['text'],
  };
}
