// The cohort index bench's baseline: plain DuckDB holding the same rows the index reads for a region
// (every call of the windows it overlaps, decrypted and decoded once, text as VARCHAR) and the same
// coverage tables, answering the same SQL without the consent filter: every sample counts, no
// allowed-samples join.
import { INTEGER, type DuckDBConnection } from '@duckdb/node-api';
import type { Vault } from '../../vault/store/vault.ts';
import { forEachInteger } from './integer-column.ts';
import { indexView } from '../../vault/store/research-index/index-catalog.ts';
import { readCallsSegment, readCoverageSegment } from '../../vault/store/research-index/segment-store.ts';
import { openSecureDuckDB, type DuckDBSession } from '../../vault/store/duckdb-session.ts';

export interface PlainIndex {
  rows: number;
  aggregate: () => Promise<unknown>;
  /** the same, and who did not cover each allele's position: the statements a gateway aggregate runs */
  aggregateWithUncovered: () => Promise<unknown>;
  count: () => Promise<unknown>;
  /** the carriers alone (no coverage): the statement a gateway count answer runs */
  carriers: () => Promise<unknown>;
  /** every call in the region with its genotype, and who covered it */
  records: () => Promise<unknown>;
  close: () => void;
}

const MiB = 1024 * 1024;

export async function plainIndexTables(vault: Vault, build: string, region: { chrom: string; start: number; end: number }): Promise<PlainIndex> {
  const index = vault.catalog.data.index!;
  const session: DuckDBSession = await openSecureDuckDB({ memoryLimitBytes: 4096 * MiB });
  const c = session.connection;
  try {
    await c.run('CREATE TABLE calls (pos INTEGER, stop INTEGER, ref VARCHAR, alt VARCHAR, sample INTEGER, zygosity UTINYINT, gt VARCHAR)');
    await c.run('CREATE TABLE intervals (profile INTEGER, start INTEGER, "end" INTEGER)');
    await c.run('CREATE TABLE members (sample INTEGER, profile INTEGER)');
    const calls = await c.createAppender('calls');
    const intervals = await c.createAppender('intervals');
    const members = await c.createAppender('members');
    let rows = 0;
    let profileBase = 0;
    for (const { segments } of indexView(index).windowsFor(build, region.chrom, region.start, region.end)) {
      for (const s of segments) {
        if (s.kind === 'calls') {
          const d = await readCallsSegment(vault, s);
          for (let i = 0; i < d.rows; i++) {
            const ref = d.alleles[d.ref[i]!]!;
            calls.appendInteger(d.pos[i]!); calls.appendInteger(d.pos[i]! + Math.max(ref.length, 1) - 1); calls.appendVarchar(ref); calls.appendVarchar(d.alleles[d.alt[i]!]!);
            calls.appendInteger(d.sample[i]!); calls.appendUTinyInt(d.zygosity[i]!); calls.appendVarchar(d.genotypes[d.gt[i]!]!); calls.endRow();
          }
          rows += d.rows;
        } else {
          const d = await readCoverageSegment(vault, s);
          let most = -1;
          for (let i = 0; i < d.profile.length; i++) {
            intervals.appendInteger(d.profile[i]! + profileBase); intervals.appendInteger(d.start[i]!); intervals.appendInteger(d.end[i]!); intervals.endRow();
            most = Math.max(most, d.profile[i]!);
          }
          for (let i = 0; i < d.memberSample.length; i++) {
            members.appendInteger(d.memberSample[i]!); members.appendInteger(d.memberProfile[i]! + profileBase); members.endRow();
          }
          profileBase += most + 1;
        }
      }
    }
    for (const a of [calls, intervals, members]) {
      a.flushSync();
      a.closeSync();
    }
    await c.run('CREATE OR REPLACE TABLE calls AS SELECT * FROM calls ORDER BY pos, ref, alt, sample');
    const bounds = [region.end, region.start];
    return {
      rows,
      aggregate: async () => [await rowsOf(c, AGGREGATE, bounds), await rowsOf(c, COVERING, [...bounds, region.end, region.start])],
      aggregateWithUncovered: async () => [await rowsOf(c, AGGREGATE, bounds), await rowsOf(c, COVERING, [...bounds, region.end, region.start]), await rowsOf(c, NOT_COVERING, bounds)],
      count: async () => [await rowsOf(c, COUNT, bounds), await rowsOf(c, COVERING, [...bounds, region.end, region.start])],
      carriers: () => integersOf(c, COUNT, bounds),
      records: async () => [await rowsOf(c, RECORDS, bounds), await rowsOf(c, COVERING, [...bounds, region.end, region.start])],
      close: () => session.close(),
    };
  } catch (err) {
    session.close();
    throw err;
  }
}

/** The first column's values read as the index engine reads a count's carriers (from the vectors, no row objects). */
async function integersOf(c: DuckDBConnection, sql: string, values: number[]): Promise<number[]> {
  const out: number[] = [];
  forEachInteger(await c.run(sql, values, values.map(() => INTEGER)), 0, (n) => out.push(n));
  return out;
}

function rowsOf(c: DuckDBConnection, sql: string, values: number[]) {
  return c.runAndReadAll(sql, values, values.map(() => INTEGER)).then((r) => r.getRowsJS());
}

const HITS = 'hits AS (SELECT pos, ref, alt, sample, zygosity FROM calls WHERE pos <= $1 AND stop >= $2)';
const zyg = (code: number) => `count(DISTINCT sample) FILTER (WHERE zygosity = ${code})::INTEGER`;

/** The index engine's aggregate (index-sql.ts) without the allowed-samples join: every sample counts. */
const AGGREGATE = `WITH ${HITS},
  variants AS (
    SELECT pos, ref, alt, sum(CASE WHEN zygosity = 2 THEN 2 ELSE 1 END)::INTEGER AS copies, count(DISTINCT sample)::INTEGER AS carriers,
      ${zyg(1)} AS het, ${zyg(2)} AS hom_alt, ${zyg(3)} AS hemizygous, ${zyg(4)} AS missing, list(DISTINCT sample ORDER BY sample) AS samples
    FROM hits GROUP BY pos, ref, alt),
  per_profile AS (SELECT profile, count(*)::INTEGER AS n FROM members GROUP BY profile),
  by_profile AS (
    SELECT v.pos, v.ref, v.alt, sum(pp.n)::INTEGER AS n
    FROM variants v JOIN intervals i ON v.pos BETWEEN i.start AND i."end" JOIN per_profile pp ON pp.profile = i.profile
    GROUP BY v.pos, v.ref, v.alt),
  uncovered AS (
    SELECT h.pos, h.ref, h.alt, count(DISTINCT h.sample)::INTEGER AS n
    FROM hits h LEFT JOIN members m ON m.sample = h.sample
    WHERE NOT EXISTS (SELECT 1 FROM intervals i WHERE i.profile = m.profile AND h.pos BETWEEN i.start AND i."end")
    GROUP BY h.pos, h.ref, h.alt)
  SELECT v.pos, v.ref, v.alt, v.copies, v.carriers, v.het, v.hom_alt, v.hemizygous, v.missing, (coalesce(bp.n, 0) + coalesce(u.n, 0))::INTEGER AS profiled, v.samples
  FROM variants v LEFT JOIN by_profile bp USING (pos, ref, alt) LEFT JOIN uncovered u USING (pos, ref, alt)
  ORDER BY v.pos`;

const COUNT = `WITH ${HITS} SELECT DISTINCT sample FROM hits`;

/** The index engine's not-covering statement (index-sql.ts) over every sample: all of them are profiled (exomes) here. */
const NOT_COVERING = `WITH ${HITS},
  positions AS (SELECT DISTINCT pos FROM hits),
  missed AS (
    SELECT ps.pos, pr.profile FROM positions ps CROSS JOIN (SELECT DISTINCT profile FROM members) pr
    WHERE NOT EXISTS (SELECT 1 FROM intervals i WHERE i.profile = pr.profile AND ps.pos BETWEEN i.start AND i."end")),
  candidates AS (SELECT mi.pos, m.sample FROM missed mi JOIN members m ON m.profile = mi.profile)
  SELECT c.pos, c.sample FROM candidates c
  WHERE NOT EXISTS (SELECT 1 FROM members m JOIN intervals i ON i.profile = m.profile WHERE m.sample = c.sample AND c.pos BETWEEN i.start AND i."end")
    AND NOT EXISTS (SELECT 1 FROM calls k WHERE k.sample = c.sample AND k.pos = c.pos)
  ORDER BY c.pos, c.sample`;

const RECORDS = 'SELECT pos, ref, alt, sample, zygosity, gt FROM calls WHERE pos <= $1 AND stop >= $2 ORDER BY pos, ref, alt, sample';

const COVERING = `WITH ${HITS}
  SELECT m.sample FROM members m JOIN intervals i ON i.profile = m.profile WHERE i.start <= $3 AND i."end" >= $4
  UNION SELECT sample FROM hits`;
