// One patient, one gene: cold (decode + load from bytes held in memory) and warm, beside plain
// DuckDB over the same rows already in memory.
import { INTEGER, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import { figure, median, timeMs, type Figure } from '../figure.ts';
import { openSecureDuckDB } from '../../vault/store/duckdb-session.ts';
import { encodePartition } from '../../vault/store/partition-codec.ts';
import { QueryEngine } from '../../vault/store/query-engine.ts';
import type { CallBatch } from '../../vault/ingest/call-columns.ts';
import { sampleBatch, CHROMS } from './synthetic-calls.ts';
import { SECTION, MiB, BRCA1, BytesSource, refOf, benchModel, type StoreBenchOptions } from './bench-fixtures.ts';

const BRCA1_FILTER = { symbols: ['BRCA1'], span: BRCA1 };

/** One patient, one gene: cold (decode + load from bytes in memory) and warm, beside plain DuckDB. */
export async function benchPatientGeneQuery(o: StoreBenchOptions): Promise<Figure[]> {
  const m = benchModel(o);
  const source = new BytesSource();
  const batches = CHROMS.map((chrom) => sampleBatch(m, 7, chrom));
  const refs = batches.map((b) => refOf('patient', b));
  batches.forEach((b, i) => source.bytes.set(refs[i]!.partitionId, encodePartition(b)));
  const engine = await QueryEngine.open(source, { cacheBudgetBytes: 1024 * MiB });
  const plain = await openSecureDuckDB({ memoryLimitBytes: 1024 * MiB });
  try {
    await engine.variantsOfPatient(refs, { gene: BRCA1_FILTER });
    const cold: number[] = [];
    const warm: number[] = [];
    for (let r = 0; r < o.repeats; r++) {
      await engine.evictSample('patient');
      cold.push(await timeMs(() => engine.variantsOfPatient(refs, { gene: BRCA1_FILTER })));
      warm.push(await timeMs(() => engine.variantsOfPatient(refs, { gene: BRCA1_FILTER })));
    }
    await loadPlainRows(plain.connection, batches);
    const sql = 'SELECT * FROM plain WHERE chrom = $1 AND pos BETWEEN $2 AND $3 ORDER BY pos';
    const plainRun = () => plain.connection.runAndReadAll(sql, [BRCA1.chrom, BRCA1.start, BRCA1.end], [VARCHAR, INTEGER, INTEGER]).then((r) => r.getRowObjectsJS());
    await plainRun();
    const baseline: number[] = [];
    for (let r = 0; r < o.repeats; r++) baseline.push(await timeMs(plainRun));
    const rows = batches.reduce((n, b) => n + b.rows, 0);
    const note = `${rows} calls over ${batches.length} partitions; plain DuckDB holds the same rows as one table, text as VARCHAR, already loaded`;
    return [
      figure({ section: SECTION, name: 'one patient, one gene, cold (decode + load + query)', value: median(cold), unit: 'ms', baseline: median(baseline), baselineName: 'plain DuckDB, rows in memory', note }),
      figure({ section: SECTION, name: 'one patient, one gene, warm', value: median(warm), unit: 'ms', baseline: median(baseline), baselineName: 'plain DuckDB, rows in memory', note }),
    ];
  } finally {
    await engine.close();
    plain.close();
  }
}

async function loadPlainRows(c: DuckDBConnection, batches: CallBatch[]): Promise<void> {
  await c.run('CREATE TABLE plain (chrom VARCHAR, pos INTEGER, id VARCHAR, ref VARCHAR, alt VARCHAR, zygosity UTINYINT, gt VARCHAR, dp INTEGER, gq INTEGER, qual FLOAT, filter VARCHAR, gene VARCHAR, consequence VARCHAR, clnsig VARCHAR)');
  const a = await c.createAppender('plain');
  const text = (v: string | null) => (v === null ? a.appendNull() : a.appendVarchar(v));
  for (const b of batches) {
    for (let i = 0; i < b.rows; i++) {
      a.appendVarchar(b.chrom); a.appendInteger(b.pos[i]!); text(b.id[i]!); a.appendVarchar(b.ref[i]!); a.appendVarchar(b.alt[i]!);
      a.appendUTinyInt(b.zygosity[i]!); a.appendVarchar(b.gt[i]!); a.appendInteger(b.dp[i]!); a.appendInteger(b.gq[i]!); a.appendFloat(b.qual[i]!);
      text(b.filter[i]!); text(b.gene[i]!); text(b.consequence[i]!); text(b.clnsig[i]!);
      a.endRow();
    }
  }
  a.flushSync();
  a.closeSync();
}

