// One window of the research index loaded into DuckDB: its segments decrypted, decoded and
// concatenated into three tables of numbers (calls, coverage intervals, coverage members), REF,
// ALT and genotype text as the index engine's dictionary codes, so every window speaks the same codes.
// The calls are also kept in JS, as runs of one allele over sample and zygosity columns, which the
// count level scans (window-scan.ts).
// The tables live in an attached in-memory database that compresses what it holds at each
// checkpoint: measured over chr17 at 10,000 samples, 20.8 million calls took 92 MiB compressed
// against 1,216 MiB as plain in-memory tables, and a cold BRCA1 count took the same time.
import { INTEGER, UTINYINT, type DuckDBConnection } from '@duckdb/node-api';
import { loadColumns } from '../chunk-loader.ts';
import type { TextDictionary } from '../text-dictionary.ts';
import type { IndexSegment } from './index-catalog.ts';
import type { CallsSegment, CoverageSegment } from './segment-codec.ts';
import { callColumns, columnBytes, type CallColumns } from './window-scan.ts';

/** The attached database the windows' tables live in (see attachWindowCatalog). */
export const WINDOW_CATALOG = 'ixwindows';

export interface LoadedWindow {
  /** build, chromosome, window and the ids of the segments loaded: a commit that changes a window changes its key */
  key: string;
  segmentIds: string[];
  calls: string;
  intervals: string;
  members: string;
  rows: number;
  /** the calls kept in JS too, as runs of one allele, for the count level (window-scan.ts) */
  columns: CallColumns;
  /** dictionary references held, released on unload */
  codes: Int32Array;
  /** DuckDB's table memory the window took, as measured when it was loaded, and the columns kept */
  bytes: number;
}

// The least a window is counted at (the measure is DuckDB's whole table memory before and after the
// load, which reads low if the per-sample engine drops a partition meanwhile): about a quarter of the
// compressed size measured per call, and the tables' first blocks.
const MIN_BYTES_PER_ROW = 1;
const MIN_BYTES_PER_WINDOW = 64 * 1024;

/** Attaches the compressed in-memory database the windows load into (once per DuckDB instance). */
export async function attachWindowCatalog(connection: DuckDBConnection): Promise<void> {
  await connection.run(`ATTACH IF NOT EXISTS ':memory:' AS ${WINDOW_CATALOG} (COMPRESS)`);
}

/** Bytes DuckDB holds in tables, across its databases. */
async function tableMemory(connection: DuckDBConnection): Promise<number> {
  const [row] = (await connection.runAndReadAll(`SELECT coalesce(sum(memory_usage_bytes), 0)::BIGINT FROM duckdb_memory() WHERE tag = 'IN_MEMORY_TABLE'`)).getRowsJS();
  return Number(row?.[0] ?? 0);
}

export function windowKey(segments: readonly IndexSegment[]): string {
  const first = segments[0];
  return first ? `${first.build}\t${first.chrom}\t${first.window}\t${segments.map((s) => s.id).sort().join(',')}` : '';
}

export async function loadWindow(
  connection: DuckDBConnection, dictionary: TextDictionary, handle: number, segments: readonly IndexSegment[], calls: readonly CallsSegment[], coverage: readonly CoverageSegment[],
): Promise<LoadedWindow> {
  const rows = calls.reduce((n, s) => n + s.rows, 0);
  const held: Int32Array[] = [];
  const pos = new Int32Array(rows);
  const stop = new Int32Array(rows);
  const ref = new Int32Array(rows);
  const alt = new Int32Array(rows);
  const sample = new Int32Array(rows);
  const zygosity = new Uint8Array(rows);
  const gt = new Int32Array(rows);
  const sig = new Int32Array(rows);
  let at = 0;
  const segmentEnds: number[] = [];
  for (const s of calls) {
    const alleleCodes = dictionary.acquire(s.alleles);
    const genotypeCodes = dictionary.acquire(s.genotypes);
    held.push(alleleCodes, genotypeCodes);
    const lengths = s.alleles.map((a) => Math.max(a.length, 1));
    for (let i = 0; i < s.rows; i++, at++) {
      pos[at] = s.pos[i]!;
      stop[at] = s.pos[i]! + lengths[s.ref[i]!]! - 1;
      ref[at] = alleleCodes[s.ref[i]!]!;
      alt[at] = alleleCodes[s.alt[i]!]!;
      sample[at] = s.sample[i]!;
      zygosity[at] = s.zygosity[i]!;
      gt[at] = genotypeCodes[s.gt[i]!]!;
      sig[at] = s.significance[i]!;
    }
    segmentEnds.push(at);
  }
  // profiles numbered anew across the window's coverage segments
  const intervals = coverage.reduce((n, s) => n + s.profile.length, 0);
  const members = coverage.reduce((n, s) => n + s.memberSample.length, 0);
  const profile = new Int32Array(intervals);
  const start = new Int32Array(intervals);
  const end = new Int32Array(intervals);
  const memberSample = new Int32Array(members);
  const memberProfile = new Int32Array(members);
  let offset = 0;
  let i0 = 0;
  let m0 = 0;
  for (const s of coverage) {
    let most = -1;
    for (let i = 0; i < s.profile.length; i++, i0++) {
      profile[i0] = s.profile[i]! + offset;
      start[i0] = s.start[i]!;
      end[i0] = s.end[i]!;
      most = Math.max(most, s.profile[i]!);
    }
    for (let i = 0; i < s.memberSample.length; i++, m0++) {
      memberSample[m0] = s.memberSample[i]!;
      memberProfile[m0] = s.memberProfile[i]! + offset;
    }
    offset += most + 1;
  }
  const codes = Int32Array.from(held.flatMap((c) => [...c]));
  const local = { calls: `ixc${handle}`, intervals: `ixi${handle}`, members: `ixm${handle}` };
  const names = { calls: `${WINDOW_CATALOG}.${local.calls}`, intervals: `${WINDOW_CATALOG}.${local.intervals}`, members: `${WINDOW_CATALOG}.${local.members}` };
  const before = await tableMemory(connection);
  try {
    await connection.run(`CREATE TABLE ${names.calls} (pos INTEGER NOT NULL, stop INTEGER NOT NULL, ref INTEGER NOT NULL, alt INTEGER NOT NULL, sample INTEGER NOT NULL, zygosity UTINYINT NOT NULL, gt INTEGER NOT NULL, sig INTEGER NOT NULL)`);
    await loadColumns(connection, local.calls, [
      { type: INTEGER, values: pos }, { type: INTEGER, values: stop }, { type: INTEGER, values: ref }, { type: INTEGER, values: alt },
      { type: INTEGER, values: sample }, { type: UTINYINT, values: zygosity }, { type: INTEGER, values: gt }, { type: INTEGER, values: sig },
    ], rows, WINDOW_CATALOG);
    await connection.run(`CREATE TABLE ${names.intervals} (profile INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL)`);
    await loadColumns(connection, local.intervals, [{ type: INTEGER, values: profile }, { type: INTEGER, values: start }, { type: INTEGER, values: end }], intervals, WINDOW_CATALOG);
    await connection.run(`CREATE TABLE ${names.members} (sample INTEGER NOT NULL, profile INTEGER NOT NULL)`);
    await loadColumns(connection, local.members, [{ type: INTEGER, values: memberSample }, { type: INTEGER, values: memberProfile }], members, WINDOW_CATALOG);
    // the checkpoint compresses the appended rows (until then they are held uncompressed)
    await connection.run(`CHECKPOINT ${WINDOW_CATALOG}`);
  } catch (err) {
    await dropTables(connection, names);
    dictionary.release(codes);
    throw err;
  }
  const measured = (await tableMemory(connection)) - before;
  const columns = callColumns({ pos, stop, ref, alt, sample, zygosity, sig }, segmentEnds);
  return {
    key: windowKey(segments), segmentIds: segments.map((s) => s.id), ...names, rows, codes, columns,
    bytes: Math.max(measured, MIN_BYTES_PER_WINDOW + rows * MIN_BYTES_PER_ROW) + columnBytes(columns),
  };
}

async function dropTables(connection: DuckDBConnection, names: { calls: string; intervals: string; members: string }): Promise<void> {
  for (const table of [names.calls, names.intervals, names.members]) await connection.run(`DROP TABLE IF EXISTS ${table}`);
}

export async function unloadWindow(connection: DuckDBConnection, dictionary: TextDictionary, window: LoadedWindow): Promise<void> {
  await dropTables(connection, window);
  dictionary.release(window.codes);
}
