// Ingest: parse and validate the whole VCF first, then seal one partition per sample and
// chromosome and commit them with one manifest swap. A bad file writes nothing.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readVcf, readTargetsBed } from './vcf/read-vcf.ts';
import { VcfFormatError } from './vcf/vcf-format-error.ts';
import { basename } from 'node:path';
import type { Coverage, ParsedSample } from './call-columns.ts';
import { mapSamples, type MappingRequest } from './sample-mapping.ts';
import { encodePartition } from '../store/partition-codec.ts';
import { encodeCoverage } from '../store/coverage-codec.ts';
import type { Vault } from '../store/vault.ts';
import type { VaultChange } from '../store/vault-change.ts';

export interface IngestOptions extends MappingRequest {
  targets?: string;
  workers?: number;
  onProgress?: (p: { bytes: number; records: number }) => void;
}

export interface IngestReport {
  records: number;
  bytesRead: number;
  build: string | null;
  samples: { sampleId: string; patientId: string; name: string; calls: number; partitions: number; coverage: Coverage['source'] }[];
  warnings: string[];
}

export class IngestInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IngestInputError';
  }
}

/** Non-VCF failures (missing file, broken compression) named by the file, like VCF errors are. */
function readFailure(file: string, err: unknown): Error {
  if (err instanceof VcfFormatError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new IngestInputError(`${basename(file)}: no such file`);
  if (code === 'EACCES' || code === 'EISDIR') return new IngestInputError(`${basename(file)}: cannot be read (${code})`);
  const detail = err instanceof Error && /^[\w ,.'-]{1,80}$/.test(err.message) ? err.message : 'unreadable data';
  return new IngestInputError(`${basename(file)}: not a readable VCF (plain, gzip or BGZF): ${detail}`);
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function ingestVcf(vault: Vault, file: string, options: IngestOptions): Promise<IngestReport> {
  const readOptions: Parameters<typeof readVcf>[1] = {};
  if (options.workers !== undefined) readOptions.workers = options.workers;
  if (options.onProgress) readOptions.onProgress = options.onProgress;
  const parsed = await readVcf(file, readOptions).catch((err: unknown) => {
    throw readFailure(file, err);
  });
  const mapping = mapSamples(parsed.samples.map((s) => s.name), options);
  const targets = options.targets ? await readTargetsBed(options.targets) : null;
  const sourceSha256 = await sha256File(file);

  const change = vault.beginChange();
  const report: IngestReport = { records: parsed.records, bytesRead: parsed.bytesRead, build: parsed.build, samples: [], warnings: parsed.warnings };
  try {
    for (const sample of parsed.samples) {
      const mrn = mapping.get(sample.name);
      if (mrn === undefined) continue;
      const coverage = sample.coverage.source === 'gvcf' ? sample.coverage : (targets ?? sample.coverage);
      report.samples.push(await writeSample(change, { sample, mrn, coverage, build: parsed.build, fileformat: parsed.fileformat, sourceSha256 }));
    }
  } catch (err) {
    await change.abort();
    throw err;
  }
  await vault.commit(change);
  return report;
}

interface SampleInput {
  sample: ParsedSample;
  mrn: string;
  coverage: Coverage;
  build: string | null;
  fileformat: string;
  sourceSha256: string;
}

async function writeSample(change: VaultChange, input: SampleInput): Promise<IngestReport['samples'][number]> {
  const { sample, build } = input;
  const patientId = change.patientIdFor(input.mrn);
  const sampleId = change.addSample({
    patientId,
    name: sample.name,
    build,
    fileformat: input.fileformat,
    ingestedAt: new Date().toISOString(),
    sourceSha256: input.sourceSha256,
    coverage: { source: input.coverage.source, partitionId: null, intervals: input.coverage.intervals.length },
  });
  let calls = 0;
  for (const batch of sample.batches) {
    if (batch.rows === 0) continue;
    let minPos = Infinity;
    let maxPos = -Infinity;
    for (let i = 0; i < batch.rows; i++) {
      const pos = batch.pos[i] ?? 0;
      if (pos < minPos) minPos = pos;
      if (pos > maxPos) maxPos = pos;
    }
    await change.writePartition({ sampleId, chrom: batch.chrom, minPos, maxPos, rows: batch.rows, build, kind: 'calls' }, encodePartition(batch));
    calls += batch.rows;
  }
  const cov = await change.writePartition(
    { sampleId, chrom: '*', minPos: 0, maxPos: 0, rows: input.coverage.intervals.length, build, kind: 'coverage' },
    encodeCoverage(input.coverage),
  );
  change.setSampleCoverage(sampleId, { source: input.coverage.source, partitionId: cov.partitionId, intervals: input.coverage.intervals.length });
  return { sampleId, patientId, name: sample.name, calls, partitions: sample.batches.filter((b) => b.rows > 0).length, coverage: input.coverage.source };
}
