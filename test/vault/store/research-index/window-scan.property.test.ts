// The count level's scan of a window's columns names exactly the samples DuckDB's
// `SELECT DISTINCT sample` names over the same calls with the same conditions (overlap with the
// bounds, one allele, zygosity, ClinVar significance bits), kept by the allowed samples' mask; for
// windows of several segments, sorted by position or not, with long REFs reaching into the bounds.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { INTEGER, LIST, UTINYINT, listValue, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { openSecureDuckDB, type DuckDBSession } from '../../../../vault/store/duckdb-session.ts';
import { loadColumns } from '../../../../vault/store/chunk-loader.ts';
import { callColumns, scanCarriers, type CallColumns } from '../../../../vault/store/research-index/window-scan.ts';
import type { SqlFilters } from '../../../../vault/store/research-index/index-sql.ts';

const SAMPLES = 12;

interface Call { pos: number; span: number; ref: number; alt: number; sample: number; zygosity: number; sig: number }

const call = fc.record({
  pos: fc.integer({ min: 1, max: 60 }),
  span: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 25 })),
  ref: fc.integer({ min: 0, max: 3 }),
  alt: fc.integer({ min: 0, max: 3 }),
  sample: fc.integer({ min: 0, max: SAMPLES - 1 }),
  zygosity: fc.integer({ min: 0, max: 4 }),
  sig: fc.integer({ min: 0, max: 15 }),
});

/** Segments of calls; most sorted by position as the index writes them (an allele's rows then run together), some not (the scan must not rely on it unchecked). */
const segments = fc.array(fc.tuple(fc.array(call, { maxLength: 40 }), fc.boolean()), { minLength: 1, maxLength: 4 })
  .map((segs) => segs.map(([calls, sorted]) => (sorted ? [...calls].sort((a, b) => a.pos - b.pos || a.ref - b.ref || a.alt - b.alt || a.sample - b.sample) : calls)));

const filters = fc.record({
  start: fc.integer({ min: 1, max: 70 }),
  length: fc.integer({ min: 0, max: 40 }),
  variant: fc.option(fc.record({ pos: fc.integer({ min: 1, max: 60 }), ref: fc.integer({ min: -1, max: 3 }), alt: fc.integer({ min: -1, max: 3 }) }), { nil: undefined, freq: 2 }),
  zygosity: fc.option(fc.uniqueArray(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 4 }), { nil: undefined, freq: 2 }),
  significance: fc.option(fc.integer({ min: 1, max: 15 }), { nil: undefined, freq: 2 }),
}).map(({ start, length, variant, zygosity, significance }): SqlFilters => ({
  start, end: start + length, ...(variant && { variant }), ...(zygosity && { zygosity }), ...(significance !== undefined && { significance }),
}));

function columnsOf(segs: Call[][]): CallColumns {
  const rows = segs.flat();
  let at = 0;
  return callColumns({
    pos: Int32Array.from(rows, (r) => r.pos), stop: Int32Array.from(rows, (r) => r.pos + r.span - 1), ref: Int32Array.from(rows, (r) => r.ref), alt: Int32Array.from(rows, (r) => r.alt),
    sample: Int32Array.from(rows, (r) => r.sample), zygosity: Uint8Array.from(rows, (r) => r.zygosity), sig: Int32Array.from(rows, (r) => r.sig),
  }, segs.map((seg) => (at += seg.length)));
}

/** The rows as the oracle's table holds them. */
function rowsOf(segs: Call[][]) {
  const rows = segs.flat();
  return {
    n: rows.length, pos: Int32Array.from(rows, (r) => r.pos), stop: Int32Array.from(rows, (r) => r.pos + r.span - 1), ref: Int32Array.from(rows, (r) => r.ref), alt: Int32Array.from(rows, (r) => r.alt),
    sample: Int32Array.from(rows, (r) => r.sample), zygosity: Uint8Array.from(rows, (r) => r.zygosity), sig: Int32Array.from(rows, (r) => r.sig),
  };
}

/** The oracle: the conditions written as SQL, independently of window-scan.ts. */
async function sqlCarriers(session: DuckDBSession, f: SqlFilters): Promise<Set<number>> {
  const values: DuckDBValue[] = [f.end, f.start];
  const types: DuckDBType[] = [INTEGER, INTEGER];
  let sql = 'SELECT DISTINCT sample FROM calls WHERE pos <= $1 AND stop >= $2';
  if (f.variant) {
    sql += ' AND pos = $3 AND ref = $4 AND alt = $5';
    values.push(f.variant.pos, f.variant.ref, f.variant.alt);
    types.push(INTEGER, INTEGER, INTEGER);
  }
  if (f.zygosity) {
    values.push(listValue(f.zygosity));
    types.push(LIST(INTEGER));
    sql += ` AND list_contains($${values.length}, zygosity::INTEGER)`;
  }
  if (f.significance !== undefined) {
    values.push(f.significance);
    types.push(INTEGER);
    sql += ` AND (sig & $${values.length}) <> 0`;
  }
  const rows = (await session.connection.runAndReadAll(sql, values, types)).getRowsJS();
  return new Set(rows.map(([s]) => Number(s)));
}

describe('window scan (the count level over a window\u2019s columns)', () => {
  let session: DuckDBSession;
  before(async () => {
    session = await openSecureDuckDB({ memoryLimitBytes: 64 * 1024 * 1024, threads: 1 });
  });
  after(() => session.close());

  it('names exactly the allowed samples DuckDB names over the same calls and conditions, each once', async () => {
    let nonEmpty = 0;
    await fc.assert(fc.asyncProperty(segments, filters, fc.oneof(fc.constant([...Array(SAMPLES).keys()]), fc.uniqueArray(fc.integer({ min: 0, max: SAMPLES - 1 }))), async (segs, f, allowed) => {
      const c = columnsOf(segs);
      const t = rowsOf(segs);
      await session.connection.run('CREATE OR REPLACE TABLE calls (pos INTEGER, stop INTEGER, ref INTEGER, alt INTEGER, sample INTEGER, zygosity UTINYINT, sig INTEGER)');
      await loadColumns(session.connection, 'calls', [
        { type: INTEGER, values: t.pos }, { type: INTEGER, values: t.stop }, { type: INTEGER, values: t.ref }, { type: INTEGER, values: t.alt },
        { type: INTEGER, values: t.sample }, { type: UTINYINT, values: t.zygosity }, { type: INTEGER, values: t.sig },
      ], t.n);
      const mask = new Uint8Array(SAMPLES);
      for (const s of allowed) mask[s] = 1;
      const seen = new Uint8Array(SAMPLES);
      const found: number[] = [];
      scanCarriers(c, f, mask, seen, (s) => found.push(s));
      const expected = [...(await sqlCarriers(session, f))].filter((s) => mask[s] === 1).sort((a, b) => a - b);
      assert.equal(new Set(found).size, found.length, 'each sample once');
      assert.deepEqual([...found].sort((a, b) => a - b), expected);
      // a second window scanned with the same `seen` names none of them again
      const again: number[] = [];
      scanCarriers(c, f, mask, seen, (s) => again.push(s));
      assert.deepEqual(again, []);
      if (expected.length > 0) nonEmpty++;
    }), { numRuns: 300, examples: [
      // a long deletion starting before the bounds reaches into them, in a sorted segment
      [[[{ pos: 2, span: 20, ref: 1, alt: 2, sample: 3, zygosity: 1, sig: 0 }, { pos: 30, span: 1, ref: 1, alt: 2, sample: 4, zygosity: 1, sig: 0 }]], { start: 15, end: 18 }, [3, 4]],
      // rows of one allele whose other fields differ are not one run
      [[[{ pos: 5, span: 1, ref: 1, alt: 2, sample: 1, zygosity: 1, sig: 1 }, { pos: 5, span: 1, ref: 1, alt: 2, sample: 2, zygosity: 1, sig: 2 }]], { start: 1, end: 10, significance: 2 }, [1, 2]],
      [[[{ pos: 5, span: 1, ref: 1, alt: 2, sample: 1, zygosity: 1, sig: 0 }, { pos: 5, span: 9, ref: 1, alt: 2, sample: 2, zygosity: 1, sig: 0 }]], { start: 8, end: 10 }, [1, 2]],
    ] });
    assert.ok(nonEmpty > 20, `${nonEmpty} cases named someone`);
  });

  it('finds a long REF reaching into the bounds from before them (the sorted segment\u2019s search starts early enough)', () => {
    const c = columnsOf([[{ pos: 2, span: 20, ref: 1, alt: 2, sample: 3, zygosity: 1, sig: 0 }, { pos: 16, span: 1, ref: 1, alt: 2, sample: 5, zygosity: 1, sig: 0 }]]);
    const found: number[] = [];
    scanCarriers(c, { start: 15, end: 18 }, Uint8Array.of(1, 1, 1, 1, 1, 1), new Uint8Array(6), (s) => found.push(s));
    assert.deepEqual(found.sort(), [3, 5]);
  });
});
