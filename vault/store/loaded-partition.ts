// Loading one decoded partition into the engine: the columns queries filter and group on go to
// a DuckDB table of numbers (text as global dictionary codes, row order = rowid); the columns
// only ever displayed stay in the decoded arrays, looked up by rowid when rows are returned.
import { INTEGER, UTINYINT, type DuckDBConnection } from '@duckdb/node-api';
import type { CodedPartition, CodedText } from './partition-codec.ts';
import type { PartitionRef } from './partition-ref.ts';
import { loadColumns } from './chunk-loader.ts';
import type { TextDictionary } from './text-dictionary.ts';

export class PartitionLoadError extends Error {
  readonly code = 'PARTITION_LOAD';
  constructor(message: string) {
    super(message);
    this.name = 'PartitionLoadError';
  }
}

export interface LoadedPartition {
  /** engine-local number; names the table `p<handle>` */
  handle: number;
  ref: PartitionRef;
  table: string;
  data: CodedPartition;
  /** every dictionary reference this partition holds, released on eviction */
  dictionaryCodes: Int32Array;
  /** global code of each distinct value of the text columns queries filter on (data.text[column].values) */
  valueCodes: { gene: Int32Array; clnsig: Int32Array };
  /** a text filter (column and what it asks) to the codes of the values it matches, filled as filters are asked for */
  matches: Map<string, number[]>;
  /** the longest REF allele, so a region query knows how far before the region a row may start and still overlap it */
  maxRefLength: number;
  /** estimated memory held (DuckDB rows + decoded arrays + strings) */
  bytes: number;
}

/** Columns of the DuckDB table, in load order. */
const TABLE_COLUMNS = 'pos INTEGER NOT NULL, ref INTEGER, alt INTEGER, zygosity UTINYINT NOT NULL, gt INTEGER, gene INTEGER, clnsig INTEGER';
const DICTIONARY_COLUMNS = ['ref', 'alt', 'gt', 'gene', 'clnsig'] as const;
// Memory estimate, calibrated against RSS growth: ~55 B per row over large partitions (DuckDB
// columns, decoded arrays, cohort copy) and ~450 KiB per partition beside that (its DuckDB
// table's first blocks, its share of the cohort copy, the decoded arrays' headers), measured
// by the cohort bench's memory probe over 1,000 partitions of ~2,400 rows (a 64 KiB guess
// underestimated that cohort 2.7x). It dominates for partitions of a few thousand rows.
const BYTES_PER_ROW = 60;
const BYTES_PER_TABLE = 448 * 1024;

const isMissingCode = (v: number): boolean => v < 0;

function globalCodes(text: CodedText, mapping: Int32Array): Int32Array {
  const out = new Int32Array(text.codes.length);
  for (let i = 0; i < out.length; i++) {
    const local = text.codes[i]!;
    out[i] = local < 0 ? -1 : mapping[local]!;
  }
  return out;
}

// DuckDB counts an in-memory table at whole 256 KiB blocks per column segment, against its
// memory_limit, however few rows it holds: measured 1.9 MB (7.25 blocks) for a table of 2,389 rows
// whose process memory is ~0.6 MB. Counting less let a cohort's partitions reach DuckDB's limit
// while the cache believed them within the budget.
const DUCKDB_BLOCK = 256 * 1024;
const TABLE_COLUMN_COUNT = TABLE_COLUMNS.split(',').length;

/** What DuckDB counts a partition table of this many rows at: a block per column per 256 KiB of 4-byte values, and one more. */
function duckdbTableBytes(rows: number): number {
  return (TABLE_COLUMN_COUNT * Math.max(1, Math.ceil((rows * 4) / DUCKDB_BLOCK)) + 1) * DUCKDB_BLOCK;
}

/** What a partition of this many rows is expected to take once loaded, before it is read (its text is not known yet: counted as the measured average). */
export function expectedBytes(ref: Pick<PartitionRef, 'rows'>): number {
  return Math.max(BYTES_PER_TABLE + ref.rows * BYTES_PER_ROW, duckdbTableBytes(ref.rows));
}

function estimateBytes(data: CodedPartition): number {
  let strings = 0;
  for (const column of Object.values(data.text)) for (const v of column.values) strings += 64 + v.length * 2;
  // FORMAT AD, when the partition has it: three Int32 values per row beside what BYTES_PER_ROW was measured on
  return Math.max(BYTES_PER_TABLE + data.rows * BYTES_PER_ROW + (data.adRef.length > 0 ? data.rows * 12 : 0) + strings, duckdbTableBytes(data.rows));
}

export async function loadPartition(
  connection: DuckDBConnection, dictionary: TextDictionary, handle: number, ref: PartitionRef, data: CodedPartition,
): Promise<LoadedPartition> {
  if (data.chrom !== ref.chrom || data.rows !== ref.rows) {
    throw new PartitionLoadError(`partition ${ref.partitionId} does not match its catalog entry (chromosome or row count differs)`);
  }
  const table = `p${handle}`;
  const mappings: Int32Array[] = [];
  const codes: Int32Array[] = [];
  for (const name of DICTIONARY_COLUMNS) {
    const mapping = dictionary.acquire(data.text[name].values);
    mappings.push(mapping);
    codes.push(globalCodes(data.text[name], mapping));
  }
  const dictionaryCodes = Int32Array.from(mappings.flatMap((m) => [...m]));
  try {
    await connection.run(`CREATE TABLE ${table} (${TABLE_COLUMNS})`);
    const [refCodes, altCodes, gtCodes, geneCodes, clnsigCodes] = codes as [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array];
    await loadColumns(connection, table, [
      { type: INTEGER, values: data.pos },
      { type: INTEGER, values: refCodes, isNull: isMissingCode },
      { type: INTEGER, values: altCodes, isNull: isMissingCode },
      { type: UTINYINT, values: data.zygosity },
      { type: INTEGER, values: gtCodes, isNull: isMissingCode },
      { type: INTEGER, values: geneCodes, isNull: isMissingCode },
      { type: INTEGER, values: clnsigCodes, isNull: isMissingCode },
    ], data.rows);
  } catch (err) {
    await connection.run(`DROP TABLE IF EXISTS ${table}`);
    dictionary.release(dictionaryCodes);
    throw err;
  }
  let maxRefLength = 1;
  for (const value of data.text.ref.values) if (value.length > maxRefLength) maxRefLength = value.length;
  return {
    handle, ref, table, data, dictionaryCodes, valueCodes: { gene: mappings[3]!, clnsig: mappings[4]! }, matches: new Map(), maxRefLength, bytes: estimateBytes(data),
  };
}

/**
 * Codes of the partition's values in `column` that `matches` accepts, worked out once per
 * partition and filter (`key` names the filter) over the partition's own distinct values:
 * resolving text filters in SQL against every dictionary string cost ~1 ms per query.
 */
export function matchingCodes(partition: LoadedPartition, column: 'gene' | 'clnsig', key: string, matches: (value: string) => boolean): number[] {
  const memo = `${column}:${key}`;
  let codes = partition.matches.get(memo);
  if (codes === undefined) {
    // keys are what users ask for: keep the memo small rather than let a hot partition collect them all
    if (partition.matches.size >= FILTER_MEMO_LIMIT) partition.matches.clear();
    codes = [];
    const values = partition.data.text[column].values;
    const global = partition.valueCodes[column];
    for (let i = 0; i < values.length; i++) if (matches(values[i]!)) codes.push(global[i]!);
    partition.matches.set(memo, codes);
  }
  return codes;
}

const FILTER_MEMO_LIMIT = 64;

/**
 * Whether a gene annotation names `gene` (upper case): an annotation lists genes separated by
 * | , & or ; and may follow a symbol with ':' and an id (GENEINFO's BRCA1:672|NBR2:10230). Spaces
 * around a symbol do not count (only spaces, as DuckDB's trim did when this rule ran in SQL). Case
 * is folded with JavaScript's Unicode mapping: gene symbols are ASCII, outside it DuckDB's upper() differed.
 */
export function namesGene(annotation: string, gene: string): boolean {
  return annotation.toUpperCase().split(/[|,&;]/).some((part) => trimSpaces(part.split(':')[0] ?? '') === gene);
}

function trimSpaces(text: string): string {
  return text.replace(/^ +| +$/g, '');
}

export async function unloadPartition(connection: DuckDBConnection, dictionary: TextDictionary, loaded: LoadedPartition): Promise<void> {
  await connection.run(`DROP TABLE IF EXISTS ${loaded.table}`);
  dictionary.release(loaded.dictionaryCodes);
}
