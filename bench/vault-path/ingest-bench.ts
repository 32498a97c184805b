// Ingest throughput (uncompressed VCF MB/s, records/s) from a BGZF multi-sample VCF to sealed
// partitions in a real vault, with worker threads and without, beside `bcftools view -Ob` on the
// same file; then size at rest of that vault beside the BCF and the vcf.gz.
import { availableParallelism } from 'node:os';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { figure, median, type Figure } from '../figure.ts';
import { directoryBytes, ingestIntoNewVault, writeCohortVcf, type CohortVcf, type IngestedVault } from './dataset.ts';
import { runTool, type PeerTool } from './peer-tools.ts';
import type { VaultBenchOptions } from './bench-options.ts';

const MB = 1e6;

export interface IngestBenchResult {
  figures: Figure[];
  vcf: CohortVcf;
  /** the vault ingested with worker threads, kept for the patient figures */
  vault: IngestedVault;
}

export async function benchIngest(o: VaultBenchOptions, work: string, bcftools: PeerTool | null): Promise<IngestBenchResult> {
  const vcf = await writeCohortVcf(join(work, 'ingest.vcf.gz'), { samples: o.ingestSamples, seed: o.seed, variantsPerSample: o.variantsPerSample });
  const vcfMb = vcf.report.bytes / MB;
  const records = vcf.report.records;
  const workers = availableParallelism();
  // Each figure is the median of RUNS runs, ours and bcftools' taken in turn: single runs on this
  // machine move by 30% or more from one minute to the next.
  const peerRuns: { seconds: number; bytes: number }[] = [];
  const threadedRuns: IngestedVault[] = [];
  const singleRuns: IngestedVault[] = [];
  for (let run = 0; run < o.ingestRuns; run++) {
    if (bcftools) peerRuns.push(await bcftoolsToBcf(bcftools, vcf.path, join(work, 'ingest.bcf')));
    const threadedRun = await ingestIntoNewVault(join(work, `vault-ingest-${run}`), vcf, workers);
    threadedRuns.push(threadedRun);
    const singleRun = await ingestIntoNewVault(join(work, `vault-ingest-w0-${run}`), vcf, 0);
    singleRuns.push(singleRun);
    await rm(singleRun.dataDir, { recursive: true, force: true });
    if (run > 0) await rm(threadedRun.dataDir, { recursive: true, force: true });
  }
  const peer = peerRuns.length > 0 ? { seconds: median(peerRuns.map((r) => r.seconds)), bytes: peerRuns[0]!.bytes } : null;
  const threaded = { ...threadedRuns[0]!, ...medianRun(threadedRuns) };
  const single = medianRun(singleRuns);

  const peerFields = (value: (seconds: number) => number) =>
    peer ? { baseline: value(peer.seconds), baselineName: 'bcftools view -Ob (same file, process start incl.)' } : { baseline: null, baselineName: null };
  const skipped = peer ? '' : '; bcftools not installed: peer skipped';
  const dataNote = `median of ${o.ingestRuns} runs each; ${o.ingestSamples} samples x ~${o.variantsPerSample} calls, ${records} records, ${vcfMb.toFixed(1)} MB VCF text, ${(vcf.report.fileBytes / MB).toFixed(1)} MB BGZF`;
  const phases = (v: { seconds: number; parseSeconds: number }) => `parse+validate ${v.parseSeconds.toFixed(1)} s, seal+write ${(v.seconds - v.parseSeconds).toFixed(1)} s of ${v.seconds.toFixed(1)} s`;
  const target = '>= bcftools';
  const figures: Figure[] = [
    figure({ section: 'ingest', name: `VCF to sealed partitions, ${workers} workers`, value: vcfMb / threaded.seconds, unit: 'MB/s', ...peerFields((s) => vcfMb / s), target,
      note: `${dataNote}; ${phases(threaded)}; ratio > 1 is faster than the baseline${skipped}` }),
    figure({ section: 'ingest', name: `VCF records to sealed partitions, ${workers} workers`, value: records / threaded.seconds, unit: 'records/s', ...peerFields((s) => records / s), target,
      note: `${threaded.report.samples.reduce((n, s) => n + s.calls, 0)} calls stored${skipped}` }),
    figure({ section: 'ingest', name: 'VCF to sealed partitions, workers=0', value: vcfMb / single.seconds, unit: 'MB/s', ...peerFields((s) => vcfMb / s), target,
      note: `parsing on the main thread; ${phases(single)}${skipped}` }),
  ];
  figures.push(...(await sizeAtRest(threaded, vcf, peer?.bytes ?? null)));
  return { figures, vcf, vault: threaded };
}

/** The run with the median time (its own phase split), keeping the first run's vault for the later figures. */
function medianRun(runs: readonly IngestedVault[]): { seconds: number; parseSeconds: number } {
  const middle = median(runs.map((r) => r.seconds));
  const run = runs.reduce((best, r) => (Math.abs(r.seconds - middle) < Math.abs(best.seconds - middle) ? r : best));
  return { seconds: run.seconds, parseSeconds: run.parseSeconds };
}

async function bcftoolsToBcf(tool: PeerTool, input: string, output: string): Promise<{ seconds: number; bytes: number }> {
  const run = await runTool(tool, ['view', '-Ob', '-o', output, input]);
  return { seconds: run.ms / 1000, bytes: (await stat(output)).size };
}

async function sizeAtRest(v: IngestedVault, vcf: CohortVcf, bcfBytes: number | null): Promise<Figure[]> {
  const vault = await directoryBytes(v.dataDir);
  const calls = v.report.samples.reduce((n, s) => n + s.calls, 0);
  const note = `${vault.files} files; ${(vault.bytes / calls).toFixed(2)} bytes per stored call; only non-reference calls are stored, the BCF and vcf.gz also hold every 0/0`;
  const value = vault.bytes / MB;
  return [
    figure({ section: 'size', name: 'sealed partitions + catalog vs BCF', value, unit: 'MB', baseline: bcfBytes === null ? null : bcfBytes / MB,
      baselineName: bcfBytes === null ? null : 'BCF of the same file (bcftools view -Ob)', target: '<= BCF', note: bcfBytes === null ? `${note}; bcftools not installed: peer skipped` : note }),
    figure({ section: 'size', name: 'sealed partitions + catalog vs vcf.gz', value, unit: 'MB', baseline: vcf.report.fileBytes / MB, baselineName: 'the BGZF vcf.gz itself', note }),
  ];
}
