// Ingest: stream the VCF through the validator and seal each chromosome as it completes (one
// allele table per chromosome for the batch, one calls partition per sample and chromosome),
// then commit everything with one manifest swap. A bad file aborts the change, which removes
// every file it wrote: the vault is left exactly as it was.
import { basename } from 'node:path';
import { parseWorkers, streamVcf, readTargetsBed, type ReadVcfOptions } from './vcf/read-vcf.ts';
import { VcfFormatError } from './vcf/vcf-format-error.ts';
import { CoverageAssembler } from './vcf/coverage-assembler.ts';
import type { VcfHeader } from './vcf/vcf-header.ts';
import type { Coverage } from './call-columns.ts';
import { mapSamples, SampleMappingError, type MappingRequest } from './sample-mapping.ts';
import { BatchWriter } from './batch-writer.ts';
import { inlineEncoder, WorkerEncoder, type CallsEncoder } from './calls-encoder.ts';
import { encodeCoverage } from '../store/coverage-codec.ts';
import { decideBuild, IngestBuildError } from './ingest-build.ts';
import { SourceContigs } from './source-contigs.ts';
import type { GenomeBuildName } from '../../schemas/genome-build.ts';
import type { Vault } from '../store/vault.ts';
import type { VaultChange } from '../store/vault-change.ts';
import { IndexChange } from '../store/research-index/index-change.ts';
import { IngestIndex } from '../store/research-index/ingest-index.ts';

export interface IngestOptions extends MappingRequest {
  targets?: string;
  /** the reference build, when the header does not name one (a header that names another is refused) */
  build?: GenomeBuildName;
  workers?: number;
  /** bytes of text per parse chunk; see ReadVcfOptions */
  chunkBytes?: number;
  onProgress?: (p: { bytes: number; records: number }) => void;
}

export interface IngestReport {
  records: number;
  bytesRead: number;
  /** the reference build the samples were recorded under */
  build: GenomeBuildName;
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
  if (err instanceof VcfFormatError || err instanceof SampleMappingError || err instanceof IngestBuildError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new IngestInputError(`${basename(file)}: no such file`);
  if (code === 'EACCES' || code === 'EISDIR') return new IngestInputError(`${basename(file)}: cannot be read (${code})`);
  const detail = err instanceof Error && /^[\w ,.'-]{1,80}$/.test(err.message) ? err.message : 'unreadable data';
  return new IngestInputError(`${basename(file)}: not a readable VCF (plain, gzip or BGZF): ${detail}`);
}

interface StoredSample {
  column: number;
  sampleId: string;
  patientId: string;
  name: string;
}

/** The samples of this file that are ingested, registered in the change (patients by MRN). */
function registerSamples(change: VaultChange, header: VcfHeader, request: MappingRequest, build: GenomeBuildName): StoredSample[] {
  const mapping = mapSamples(header.samples, request);
  const stored: StoredSample[] = [];
  header.samples.forEach((name, column) => {
    const mrn = mapping.get(name);
    if (mrn === undefined) return;
    const patientId = change.patientIdFor(mrn);
    const sampleId = change.addSample({
      patientId, name, build, fileformat: header.fileformat, ingestedAt: new Date().toISOString(), sourceSha256: '',
      coverage: { source: 'assumed_wgs', partitionId: null, intervals: 0 },
    });
    stored.push({ column, sampleId, patientId, name });
  });
  return stored;
}

export async function ingestVcf(vault: Vault, file: string, options: IngestOptions): Promise<IngestReport> {
  const targets = options.targets ? await readTargetsBed(options.targets) : null;
  // decided once here, for the parse workers and the encoder alike
  const workers = await parseWorkers(file, options.workers).catch((err: unknown) => {
    throw readFailure(file, err);
  });
  const readOptions: ReadVcfOptions = { workers };
  if (options.chunkBytes !== undefined) readOptions.chunkBytes = options.chunkBytes;
  if (options.onProgress) readOptions.onProgress = options.onProgress;
  const change = vault.beginChange();
  const batchId = change.addBatch();
  let stored: StoredSample[] = [];
  let writer: BatchWriter | null = null;
  let index: IngestIndex | null = null;
  let coverage: CoverageAssembler | null = null;
  let encoder: CallsEncoder = inlineEncoder;
  let writeFailure: unknown = null;
  let build: GenomeBuildName | null = null;
  const contigs = new SourceContigs();
  try {
    const summary = await streamVcf(file, {
      begin: (header) => {
        build = decideBuild(basename(file), header, options.build);
        stored = registerSamples(change, header, options, build);
        const ids: (string | null)[] = header.samples.map(() => null);
        for (const s of stored) ids[s.column] = s.sampleId;
        // a file parsed on worker threads is encoded on one too
        if (workers > 0) encoder = new WorkerEncoder();
        const indexChange = IndexChange.of(change, vault);
        index = indexChange ? new IngestIndex(indexChange, build, ids) : null;
        writer = new BatchWriter(change, batchId, ids, build, encoder, index);
        coverage = new CoverageAssembler(header.samples.length);
      },
      add: async (result) => {
        contigs.add(result.chromNames);
        coverage?.add(result);
        await writer?.add(result).catch((err: unknown) => {
          writeFailure = err;
          throw err;
        });
      },
    }, readOptions).catch((err: unknown) => {
      // a failure to write or encode is the vault's, not the file's: not reported as bad input
      throw err === writeFailure ? err : readFailure(file, err);
    });
    const batch = writer as BatchWriter | null;
    // set by begin(), which runs before any record (TypeScript does not follow the callback)
    const recorded = build as GenomeBuildName | null;
    if (!recorded) throw new Error('ingest: the header was never read');
    if (batch) await batch.finish();
    const report: IngestReport = { records: summary.records, bytesRead: summary.bytesRead, build: recorded, samples: [], warnings: summary.warnings };
    // every sample's coverage in one pack, each segment sealed with its sample's key
    const coverages = stored.map((sample) => {
      const found = (coverage)?.of(sample.column) ?? { source: 'assumed_wgs' as const, intervals: [] };
      return found.source === 'gvcf' ? found : (targets ?? found);
    });
    const written = stored.length === 0 ? [] : await change.writePack(batchId, stored.map((sample, i) => ({
      entry: { sampleId: sample.sampleId, chrom: '*', minPos: 0, maxPos: 0, rows: coverages[i]!.intervals.length, build: recorded, kind: 'coverage' as const },
      plaintext: encodeCoverage(coverages[i]!),
    })));
    stored.forEach((sample, i) => {
      const sampleCoverage = coverages[i]!;
      change.updateSample(sample.sampleId, {
        sourceSha256: summary.sourceSha256,
        ...contigs.forCatalog(),
        coverage: { source: sampleCoverage.source, partitionId: written[i]?.partitionId ?? null, intervals: sampleCoverage.intervals.length },
      });
      report.samples.push({
        sampleId: sample.sampleId, patientId: sample.patientId, name: sample.name,
        calls: batch?.calls[sample.column] ?? 0, partitions: batch?.partitions[sample.column] ?? 0, coverage: sampleCoverage.source,
      });
    });
    if (!change.hasPartitionsOf(batchId)) change.dropKey(batchId);
    const indexed = index as IngestIndex | null;
    if (indexed) {
      await indexed.coverage(new Map(stored.map((sample, i) => [sample.column, coverages[i]!])));
      await indexed.finish();
    }
    await vault.commit(change);
    return report;
  } catch (err) {
    await change.abort();
    throw err;
  } finally {
    await encoder.close();
  }
}
