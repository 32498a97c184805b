// Partition format 3 (magic GVP3): one sample's calls on one chromosome as per-sample numbers
// only (allele row, zygosity, phasing, DP, GQ, genotype code); everything the VCF says once per
// site, and the batch's genotype strings, live in the batch's allele table (allele-table-codec.ts). Joining the two gives back
// the same CodedPartition a self-contained partition decodes to, so the engine is unchanged.
import { brotliCompressSync, constants } from 'node:zlib';
import type { SampleCalls } from '../ingest/call-columns.ts';
import { undoZigzagDeltas, zigzagDeltas } from './byte-planes.ts';
import { byteColumnsIpc } from './byte-columns-ipc.ts';
import { PartitionCodecError, narrowColumn, narrowWords, readBrotliIpc, shiftedDown, shiftedUp, typedColumn } from './arrow-columns.ts';
import { ALLELE_TEXT_COLUMNS, gatherText, isRemovedAllele, type AlleleTable } from './allele-table-codec.ts';
import type { CodedPartition } from './partition-codec.ts';

export const CALLS_MAGIC = Buffer.from('GVP3', 'ascii');
const FORMAT_NAME = 'genovault-calls/3';

export interface DecodedCalls extends SampleCalls {
  /** rows the allele table had when this partition was written: every allele row is below it */
  alleleRows: number;
}

/** The Arrow IPC stream of a calls partition (uncompressed): numbers only, each column as narrow as its values. */
export function callsIpc(calls: SampleCalls, alleleRows: number): Uint8Array {
  const rows = calls.rows;
  for (const [name, values] of [['allele', calls.allele], ['zygosity', calls.zygosity], ['phased', calls.phased], ['dp', calls.dp], ['gq', calls.gq], ['gt', calls.gt]] as const) {
    if (values.length !== rows) throw new PartitionCodecError(`calls for ${calls.chrom}: column ${name} has ${values.length} values, expected ${rows}`);
  }
  const allele = new Int32Array(calls.allele.buffer, calls.allele.byteOffset, rows);
  const columns = [
    narrowColumn('allele', zigzagDeltas(allele)),
    { name: 'zygosity', planes: [calls.zygosity], struct: false },
    { name: 'phased', planes: [calls.phased], struct: false },
    narrowColumn('dp', shiftedUp(calls.dp)),
    narrowColumn('gq', shiftedUp(calls.gq)),
    narrowColumn('gt', new Uint32Array(calls.gt.buffer, calls.gt.byteOffset, rows)),
  ];
  const metadata = new Map([['format', FORMAT_NAME], ['chrom', calls.chrom], ['allele_rows', String(alleleRows)]]);
  return byteColumnsIpc(columns, rows, metadata);
}

// Brotli at quality 0: measured on the bench's calls (500 partitions) at 240 MB/s and 0.56 of the
// IPC bytes, against deflate level 1 at 94 MB/s and 0.53, and deflate's Huffman-only mode at
// 168 MB/s and 0.58. These columns are small numbers with few repeats, so matching finds little;
// compression speed is what bounds ingest.
const BROTLI = { params: { [constants.BROTLI_PARAM_QUALITY]: 0, [constants.BROTLI_PARAM_LGWIN]: 16 } };

export function encodeCalls(calls: SampleCalls, alleleRows: number): Uint8Array {
  return Buffer.concat([CALLS_MAGIC, brotliCompressSync(callsIpc(calls, alleleRows), BROTLI)]);
}

export function decodeCalls(bytes: Uint8Array): DecodedCalls {
  if (!Buffer.from(bytes.subarray(0, CALLS_MAGIC.length)).equals(CALLS_MAGIC)) throw new PartitionCodecError('not a GenoVault calls partition (bad magic bytes)');
  const table = readBrotliIpc(bytes, CALLS_MAGIC.length);
  const meta = table.schema.metadata;
  if (meta.get('format') !== FORMAT_NAME) throw new PartitionCodecError(`unsupported partition format ${meta.get('format') ?? '(none)'}`);
  const alleleRows = Number(meta.get('allele_rows'));
  if (!Number.isSafeInteger(alleleRows) || alleleRows < 0) throw new PartitionCodecError('calls partition lacks its allele row count');
  const rows = table.numRows;
  const allele = undoZigzagDeltas(narrowWords(table, 'allele', rows));
  const gt = narrowWords(table, 'gt', rows);
  return {
    chrom: meta.get('chrom') ?? '',
    rows,
    allele: new Uint32Array(allele.buffer, allele.byteOffset, rows),
    zygosity: typedColumn(table, 'zygosity', rows, Uint8Array),
    phased: typedColumn(table, 'phased', rows, Uint8Array),
    dp: shiftedDown(narrowWords(table, 'dp', rows)),
    gq: shiftedDown(narrowWords(table, 'gq', rows)),
    gt: new Int32Array(gt.buffer, gt.byteOffset, rows),
    alleleRows,
  };
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
    text: { ...text, gt: gatherText({ values: alleles.genotypes, codes: calls.gt }, identity) } as CodedPartition['text'],
  };
}
