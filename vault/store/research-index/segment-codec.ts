// The stored form of an index segment (magic GVX1): a calls segment is one window's calls of many
// samples as numbers (position, REF and ALT as codes into the segment's allele list, sample number,
// zygosity, genotype code, ClinVar significance bits), sorted by position; a coverage segment is
// what the window's samples' assays covered (intervals per coverage profile, and each sample's
// profile). Blocks: a small JSON header (where the segment is, its allele and genotype strings), then
// Arrow IPC streams of byte columns (byte-columns-ipc.ts), each brotli-compressed.
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { tableFromIPC, type Table } from 'apache-arrow';
import { byteColumnsIpc, type ByteColumn } from '../byte-columns-ipc.ts';
import { narrowColumn, narrowWords, PartitionCodecError, typedColumn } from '../arrow-columns.ts';
import { undoZigzagDeltas, zigzagDeltas } from '../byte-planes.ts';

const MAGIC = Buffer.from('GVX1', 'ascii');
const KIND = { calls: 1, coverage: 2 } as const;
const FORMAT = { calls: 'genovault-index-calls/1', coverage: 'genovault-index-coverage/1' } as const;
// Brotli at quality 0, as calls partitions: measured on 40 windows of the 1,000-sample bench vault
// (12.5 MB of IPC) at 357 MB/s and 1.00 MB, against quality 1 at 217 MB/s and 0.92 MB and deflate
// level 1 at 91 MB/s and 1.06 MB; ingest writes every window, a query reads one or two.
const BROTLI = { params: { [constants.BROTLI_PARAM_QUALITY]: 0, [constants.BROTLI_PARAM_LGWIN]: 16 } };

export interface SegmentPlace {
  build: string;
  chrom: string;
  window: number;
}

export interface CallsSegment extends SegmentPlace {
  rows: number;
  pos: Int32Array;
  /** codes into `alleles` */
  ref: Int32Array;
  alt: Int32Array;
  alleles: string[];
  sample: Int32Array;
  zygosity: Uint8Array;
  /** codes into `genotypes` (the genotype as written, e.g. '0|1') */
  gt: Int32Array;
  genotypes: string[];
  /** ClinVar significance bits (significance-mask.ts) */
  significance: Int32Array;
}

export interface CoverageSegment extends SegmentPlace {
  /** covered intervals (1-based, inclusive, inside the window) of each profile */
  profile: Int32Array;
  start: Int32Array;
  end: Int32Array;
  /** each sample's profile in this window */
  memberSample: Int32Array;
  memberProfile: Int32Array;
}

export function encodeCallsSegment(s: CallsSegment): Uint8Array {
  const rows = s.rows;
  for (const [name, values] of [['pos', s.pos], ['ref', s.ref], ['alt', s.alt], ['sample', s.sample], ['zygosity', s.zygosity], ['gt', s.gt], ['significance', s.significance]] as const) {
    if (values.length !== rows) throw new PartitionCodecError(`index segment: column ${name} has ${values.length} values, expected ${rows}`);
  }
  const columns: ByteColumn[] = [
    narrowColumn('pos', zigzagDeltas(s.pos)),
    narrowColumn('ref', words(s.ref)),
    narrowColumn('alt', words(s.alt)),
    narrowColumn('sample', zigzagDeltas(s.sample)),
    { name: 'zygosity', planes: [s.zygosity], struct: false },
    narrowColumn('gt', words(s.gt)),
    narrowColumn('significance', words(s.significance)),
  ];
  return frame('calls', { ...place(s), alleles: s.alleles, genotypes: s.genotypes }, [ipc('calls', columns, rows)]);
}

export function encodeCoverageSegment(s: CoverageSegment): Uint8Array {
  const intervals = s.profile.length;
  if (s.start.length !== intervals || s.end.length !== intervals || s.memberSample.length !== s.memberProfile.length) throw new PartitionCodecError('index coverage segment: columns of unequal length');
  const lengths = new Int32Array(intervals);
  for (let i = 0; i < intervals; i++) lengths[i] = s.end[i]! - s.start[i]!;
  return frame('coverage', place(s), [
    ipc('coverage', [narrowColumn('profile', words(s.profile)), narrowColumn('start', zigzagDeltas(s.start)), narrowColumn('length', words(lengths))], intervals),
    ipc('coverage', [narrowColumn('sample', zigzagDeltas(s.memberSample)), narrowColumn('profile', words(s.memberProfile))], s.memberSample.length),
  ]);
}

/** Which kind of segment these (decrypted) bytes hold. */
export function segmentKind(bytes: Uint8Array): 'calls' | 'coverage' {
  if (bytes.length < MAGIC.length + 1 || !Buffer.from(bytes.subarray(0, MAGIC.length)).equals(MAGIC)) throw new PartitionCodecError('not a GenoVault index segment (bad magic bytes)');
  const kind = bytes[MAGIC.length];
  if (kind === KIND.calls) return 'calls';
  if (kind === KIND.coverage) return 'coverage';
  throw new PartitionCodecError('index segment of an unknown kind');
}

export function decodeCallsSegment(bytes: Uint8Array): CallsSegment {
  const { header, tables } = unframe(bytes, 'calls', 1);
  const t = tables[0]!;
  const rows = t.numRows;
  const alleles = stringList(header.alleles, 'alleles');
  const genotypes = stringList(header.genotypes, 'genotypes');
  const segment: CallsSegment = {
    ...placeOf(header), rows,
    pos: undoZigzagDeltas(narrowWords(t, 'pos', rows)),
    ref: ints(narrowWords(t, 'ref', rows)),
    alt: ints(narrowWords(t, 'alt', rows)),
    alleles,
    sample: undoZigzagDeltas(narrowWords(t, 'sample', rows)),
    zygosity: typedColumn(t, 'zygosity', rows, Uint8Array),
    gt: ints(narrowWords(t, 'gt', rows)),
    genotypes,
    significance: ints(narrowWords(t, 'significance', rows)),
  };
  for (let i = 0; i < rows; i++) {
    if (segment.ref[i]! >= alleles.length || segment.alt[i]! >= alleles.length || segment.gt[i]! >= genotypes.length) throw new PartitionCodecError('index segment names an allele or genotype it does not list');
  }
  return segment;
}

export function decodeCoverageSegment(bytes: Uint8Array): CoverageSegment {
  const { header, tables } = unframe(bytes, 'coverage', 2);
  const [intervals, members] = tables as [Table, Table];
  const n = intervals.numRows;
  const start = undoZigzagDeltas(narrowWords(intervals, 'start', n));
  const lengths = narrowWords(intervals, 'length', n);
  const end = new Int32Array(n);
  for (let i = 0; i < n; i++) end[i] = start[i]! + lengths[i]!;
  const m = members.numRows;
  return {
    ...placeOf(header),
    profile: ints(narrowWords(intervals, 'profile', n)), start, end,
    memberSample: undoZigzagDeltas(narrowWords(members, 'sample', m)),
    memberProfile: ints(narrowWords(members, 'profile', m)),
  };
}

function words(values: Int32Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length);
}

function ints(values: Uint32Array): Int32Array {
  return new Int32Array(values.buffer, values.byteOffset, values.length);
}

function place(s: SegmentPlace): SegmentPlace {
  return { build: s.build, chrom: s.chrom, window: s.window };
}

function placeOf(header: Record<string, unknown>): SegmentPlace {
  const { build, chrom, window } = header;
  if (typeof build !== 'string' || typeof chrom !== 'string' || !Number.isSafeInteger(window)) throw new PartitionCodecError('index segment header lacks its build, chromosome or window');
  return { build, chrom, window: window as number };
}

function stringList(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new PartitionCodecError(`index segment header lacks its ${name}`);
  return value;
}

function ipc(kind: keyof typeof FORMAT, columns: ByteColumn[], rows: number): Uint8Array {
  return byteColumnsIpc(columns, rows, new Map([['format', FORMAT[kind]]]));
}

/** magic, kind, then blocks (u32 length, brotli bytes): the JSON header first, then the IPC streams. */
function frame(kind: keyof typeof KIND, header: object, streams: Uint8Array[]): Uint8Array {
  const blocks = [Buffer.from(JSON.stringify(header), 'utf8'), ...streams].map((b) => brotliCompressSync(b, BROTLI));
  const out = Buffer.alloc(MAGIC.length + 1 + blocks.reduce((n, b) => n + 4 + b.length, 0));
  MAGIC.copy(out, 0);
  out[MAGIC.length] = KIND[kind];
  let at = MAGIC.length + 1;
  for (const block of blocks) {
    out.writeUInt32BE(block.length, at);
    block.copy(out, at + 4);
    at += 4 + block.length;
  }
  return out;
}

function unframe(bytes: Uint8Array, kind: keyof typeof KIND, streams: number): { header: Record<string, unknown>; tables: Table[] } {
  if (segmentKind(bytes) !== kind) throw new PartitionCodecError(`index segment is not a ${kind} segment`);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const blocks: Buffer[] = [];
  let at = MAGIC.length + 1;
  try {
    while (at < buf.length) {
      const length = buf.readUInt32BE(at);
      if (at + 4 + length > buf.length) throw new RangeError('cut short');
      blocks.push(brotliDecompressSync(buf.subarray(at + 4, at + 4 + length)));
      at += 4 + length;
    }
    if (blocks.length !== 1 + streams) throw new RangeError('wrong number of blocks');
    const header = JSON.parse(blocks[0]!.toString('utf8')) as Record<string, unknown>;
    const tables = blocks.slice(1).map((b) => tableFromIPC(b));
    tables.forEach((t) => {
      if (t.schema.metadata.get('format') !== FORMAT[kind]) throw new RangeError('unsupported format');
    });
    return { header, tables };
  } catch {
    throw new PartitionCodecError('index segment bytes are corrupt (cannot decompress or parse)');
  }
}
