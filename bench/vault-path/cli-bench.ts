// A one-patient query as a person at the host runs it: `genovault variants --patient MRN --gene
// BRCA1`, a new process each time (start, bundle load, DuckDB, decrypt, query, the audit entry made
// durable, output), beside `bcftools view -r` on the same sample's indexed file. The full run also
// times the CLI run from its TypeScript sources (tsx), as it ran before it was bundled.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { figure, median, type Figure } from '../figure.ts';
import { geneLocation } from '../../vault/genes/gene-table.ts';
import { writeMasterKeyFile } from '../../vault/crypto/master-key.ts';
import type { CohortVcf, IngestedVault } from './dataset.ts';
import { bcftoolsRegion } from './patient-bench.ts';
import type { PeerTool } from './peer-tools.ts';
import type { VaultBenchOptions } from './bench-options.ts';

const GENE = 'BRCA1';
const LAUNCHER = fileURLToPath(new URL('../../vault/cli/genovault.mjs', import.meta.url));

/** Wall time of one CLI run, from spawn to exit; refuses a failed run. */
function timedCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [LAUNCHER, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2000)));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ ms: performance.now() - start, stdout });
      else reject(new Error(`genovault ${args[0]} exited ${String(code)}: ${stderr.trim().split('\n').pop() ?? ''}`));
    });
  });
}

async function medianOf(runs: number, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; rows: number }> {
  const first = await timedCli(args, env); // builds the bundle if a source changed, warms the page cache
  const times: number[] = [];
  for (let r = 0; r < runs; r++) times.push((await timedCli(args, env)).ms);
  return { ms: median(times), rows: first.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length };
}

export async function benchCliQuery(o: VaultBenchOptions, ingested: IngestedVault, vcf: CohortVcf, work: string, bcftools: PeerTool | null): Promise<Figure[]> {
  const span = geneLocation(GENE, 'GRCh38');
  if (!span) throw new Error(`${GENE} is not in the gene table`);
  const sample = ingested.report.samples[0];
  const mrn = sample ? vcf.map.get(sample.name) : undefined;
  if (!sample || !mrn) throw new Error('the ingest vault holds no mapped sample');
  const keyFile = join(work, 'cli-bench.master-key');
  await writeMasterKeyFile(keyFile, ingested.kek);
  const args = ['variants', '--data-dir', ingested.dataDir, '--master-key-file', keyFile, '--patient', mrn, '--gene', GENE];
  const runs = o.mode === 'smoke' ? 2 : 10;
  const bundled = await medianOf(runs, args, {});
  const peer = bcftools ? await bcftoolsRegion(bcftools, vcf, sample.name, span, work, runs) : null;
  const note = `${bundled.rows} rows; each run a new process: start, load, decrypt, query, audit entry fsynced, print; median of ${runs} after one warm-up`;
  const figures = [figure({
    section: 'cli', name: `one patient, ${GENE}, CLI wall time (genovault variants)`, value: bundled.ms, unit: 'ms',
    baseline: peer?.ms ?? null, baselineName: peer ? 'bcftools view -r, tabix index (process start incl.)' : null, target: '< 500 ms',
    note: peer ? `${note}; bcftools prints ${peer.lines} records` : `${note}; bcftools not installed: peer skipped`,
  })];
  if (o.mode === 'full') {
    const fromSource = await medianOf(Math.min(runs, 5), args, { GENOVAULT_CLI_FROM_SOURCE: '1' });
    figures.push(figure({
      section: 'cli', name: `one patient, ${GENE}, CLI wall time from the TypeScript sources (tsx, as before the bundle)`, value: fromSource.ms, unit: 'ms',
      baseline: bundled.ms, baselineName: 'the bundled CLI (above)', note: 'what each run cost when the CLI transpiled its sources at start',
    }));
  }
  return figures;
}
