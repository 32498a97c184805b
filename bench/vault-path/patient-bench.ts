// One patient, one gene (BRCA1), an exome-size sample from the ingest vault: cold (a fresh
// engine: decrypt from disk, decode, load, query) and warm (cached), beside plain DuckDB over
// the same rows already in memory, and beside a tabix-indexed `bcftools view -r`.
import { INTEGER, VARCHAR } from '@duckdb/node-api';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { figure, median, type Figure } from '../figure.ts';
import { geneLocation, type GeneSpan } from '../../vault/genes/gene-table.ts';
import { openQueries, type PatientQueries } from '../../vault/store/patient-queries.ts';
import { openSecureDuckDB } from '../../vault/store/duckdb-session.ts';
import type { Vault } from '../../vault/store/vault.ts';
import { openReadOnly, type CohortVcf, type IngestedVault } from './dataset.ts';
import { buildPlainTable, decryptedBatches, longestRef } from './plain-table.ts';
import { runTool, type PeerTool } from './peer-tools.ts';
import { coldMedianMs, interleavedMedians } from './timing.ts';
import type { VaultBenchOptions } from './bench-options.ts';

const GENE = 'BRCA1';
const CACHE_BUDGET_MB = 512;
const PLAIN = 'plain DuckDB, same rows in memory';

export async function benchPatient(o: VaultBenchOptions, ingested: IngestedVault, vcf: CohortVcf, work: string, bcftools: PeerTool | null): Promise<Figure[]> {
  const span = geneLocation(GENE, 'GRCh38');
  if (!span) throw new Error(`${GENE} is not in the gene table`);
  const vault = await openReadOnly(ingested);
  try {
    const sample = vault.catalog.data.samples[0];
    if (!sample) throw new Error('the ingest vault holds no sample');
    const patientId = sample.patientId;
    const refs = vault.catalog.partitionsOfPatient(patientId);
    const calls = refs.reduce((n, r) => n + r.rows, 0);
    const query = (q: PatientQueries) => q.variantsOfPatient(patientId, { gene: GENE });
    // a cold engine decrypts the batch's allele table too (the vault keeps decoded ones otherwise)
    const open = () => {
      vault.forgetDecoded();
      return openQueries(vault, { cacheBudgetMb: CACHE_BUDGET_MB });
    };
    const close = (q: PatientQueries) => q.close();

    let decrypted = 0;
    const cold = await coldMedianMs(open, async (q) => {
      await query(q);
      decrypted = q.engine.stats().partitionsLoaded;
    }, close, o.coldRepeats);
    const plain = await plainPatient(vault, span);
    // opened after the baseline and closed with it: a failure on either side leaks neither
    const engine = await open().catch((err: unknown) => {
      plain.close();
      throw err;
    });
    let found = 0;
    let warm: number;
    let plainMs: number;
    try {
      found = (await query(engine)).variants.length;
      [warm, plainMs] = await interleavedMedians(() => query(engine), plain.run, o.warmRepeats);
    } finally {
      await engine.close();
      plain.close();
    }
    const note = `${calls} calls in ${refs.length} partitions; the gene query decrypts ${decrypted}; ${found} rows found (plain: ${plain.rows}); fresh engine open ${cold.openMs.toFixed(1)} ms not counted; files are in the OS page cache; warm timed in turn with the baseline`;
    const figures = [
      figure({ section: 'patient', name: `one patient, ${GENE}, cold (decrypt+decode+load+query)`, value: cold.ms, unit: 'ms', baseline: plainMs, baselineName: PLAIN, target: '< 20 ms', note }),
      figure({ section: 'patient', name: `one patient, ${GENE}, warm (cached)`, value: warm, unit: 'ms', baseline: plainMs, baselineName: PLAIN, target: '<= 1.2x baseline', note }),
    ];
    const peer = bcftools ? await bcftoolsRegion(bcftools, vcf, sample.name, span, work, o.warmRepeats) : null;
    figures.push(figure({
      section: 'patient', name: `one patient, ${GENE}, cold vs bcftools -r`, value: cold.ms, unit: 'ms',
      baseline: peer?.ms ?? null, baselineName: peer ? 'bcftools view -r, tabix index (process start incl.)' : null, target: '< 20 ms',
      note: peer ? `bcftools prints ${peer.lines} records of this single-sample file` : 'bcftools not installed: peer skipped',
    }));
    return figures;
  } finally {
    await vault.close();
  }
}

/** The patient's rows as one plain DuckDB table, with the region query ready to time. */
async function plainPatient(vault: Vault, span: GeneSpan): Promise<{ run: () => Promise<unknown>; rows: number; close: () => void }> {
  const refs = vault.catalog.partitionsOfPatient(vault.catalog.data.samples[0]!.patientId);
  const session = await openSecureDuckDB({ memoryLimitBytes: 1024 * 1024 * 1024 });
  try {
    const c = session.connection;
    await buildPlainTable(c, 'plain', await decryptedBatches(vault, refs));
    // the same question the vault answers: every row whose REF overlaps the span (reaching back by the longest REF)
    const reach = await longestRef(c, 'plain') - 1;
    const run = () => c.runAndReadAll('SELECT * FROM plain WHERE chrom = $1 AND pos BETWEEN $2 - $4 AND $3 AND pos + length(ref) - 1 >= $2 ORDER BY pos',
      [span.chrom, span.start, span.end, reach], [VARCHAR, INTEGER, INTEGER, INTEGER]).then((r) => r.getRowObjectsJS());
    const rows = (await run()).length;
    return { run, rows, close: () => session.close() };
  } catch (err) {
    session.close();
    throw err;
  }
}

/** The same sample cut out of the cohort file, indexed, then queried by region; median of runs. */
export async function bcftoolsRegion(tool: PeerTool, vcf: CohortVcf, sampleName: string, span: GeneSpan, work: string, repeats: number): Promise<{ ms: number; lines: number }> {
  // a new file each call: bcftools refuses to index over an index no older than the file (same second)
  const file = await mkdtemp(join(work, 'bcftools-region-')).then((dir) => join(dir, 'patient.vcf.gz'));
  await runTool(tool, ['view', '-s', sampleName, '-c', '1', '-Oz', '-o', file, vcf.path]);
  await runTool(tool, ['index', '-f', '-t', file]);
  const args = ['view', '-H', '-r', `${span.chrom}:${span.start}-${span.end}`, file];
  const lines = (await runTool(tool, args, true)).stdout.split('\n').filter((l) => l !== '').length;
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) times.push((await runTool(tool, args)).ms);
  return { ms: median(times), lines };
}
