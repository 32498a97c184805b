// Ingest: stream the VCF through the validator and seal each chromosome as it completes (one
// allele table per chromosome for the batch, one calls partition per sample and chromosome),
// then commit everything with one manifest swap. A bad file aborts the change, which removes
// every file it wrote: the vault is left exactly as it was. So does a file whose samples are
// already stored (same bytes, same sample column).
import { basename } from 'node:path';
import { parseWorkers, streamVcf, readTargetsBed, type ReadVcfOptions } from './vcf/read-vcf.ts';
import { sourceName, type VcfSource } from './vcf/byte-source.ts';
import { CoverageAssembler } from './vcf/coverage-assembler.ts';
import type { VcfHeader } from './vcf/vcf-header.ts';
import type { Coverage } from './call-columns.ts';
import { mapSamples, type MappingRequest } from './sample-mapping.ts';
import { readFailure } from './input-errors.ts';
import { refuseDuplicates, refuseDuplicatesEarly } from './duplicate-check.ts';
import { BatchWriter } from './batch-writer.ts';
import { inlineEncoder, WorkerEncoder, type CallsEncoder } from './calls-encoder.ts';
import { encodeCoverage } from '../store/coverage-codec.ts';
import { decideBuild } from './ingest-build.ts';
import { SourceContigs } from './source-contigs.ts';
import type { GenomeBuildName } from '../../schemas/genome-build.ts';
import type { Vault } from '../store/vault.ts';
import type { VaultChange } from '../store/vault-change.ts';
import { IndexChange } from '../store/research-index/index-change.ts';
import { IngestIndex } from '../store/research-index/ingest-index.ts';

export { IngestInputError, DuplicateIngestError } from './input-errors.ts';

export interface IngestOptions extends MappingRequest {
  targets?: string;
  /** read the file in strict mode (the conformance suite's rules, no tolerated deviations) */
  strict?: boolean;
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
  /** sample columns of the file that were not stored (not in the --map, or not the --sample chosen) */
  skipped: string[];
  warnings: string[];
}

interface StoredSample {
  column: number;
  sampleId: string;
  patientId: string;
  name: string;
}

/** The samples of this file that are ingested, registered in the change (patients by MRN). */
function registerSamples(change: VaultChange, header: VcfHeader, mapping: ReadonlyMap<string, string>, sourceFile: string, build: GenomeBuildName): StoredSample[] {
  const stored: StoredSample[] = [];
  header.samples.forEach((name, column) => {
    const mrn = mapping.get(name);
    if (mrn === undefined) return;
    const patientId = change.patientIdFor(mrn);
    const sampleId = change.addSample({
      patientId, name, build, fileformat: header.fileformat, ingestedAt: new Date().toISOString(), sourceFile, sourceSha256: '',
      coverage: { source: 'assumed_wgs', partitionId: null, intervals: 0 },
    });
    stored.push({ column, sampleId, patientId, name });
  });
  return stored;
}

/** `input`: a file path, or a stream with a name (an upload, read as it arrives). */
export async function ingestVcf(vault: Vault, input: VcfSource, options: IngestOptions): Promise<IngestReport> {
  const file = sourceName(input);
  const targets = options.targets ? await readTargetsBed(options.targets) : null;
  // decided once here, for the parse workers and the encoder alike
  const workers = await parseWorkers(input, options.workers).catch((err: unknown) => {
    throw readFailure(file, err);
  });
  const readOptions: ReadVcfOptions = { workers, strict: options.strict ?? false };
  if (options.chunkBytes !== undefined) readOptions.chunkBytes = options.chunkBytes;
  if (options.onProgress) readOptions.onProgress = options.onProgress;
  const change = vault.beginChange();
  const batchId = change.addBatch();
  let stored: StoredSample[] = [];
  let sampleNames: string[] = [];
  let writer: BatchWriter | null = null;
  let index: IngestIndex | null = null;
  let coverage: CoverageAssembler | null = null;
  let encoder: CallsEncoder = inlineEncoder;
  let writeFailure: unknown = null;
  let build: GenomeBuildName | null = null;
  const contigs = new SourceContigs();
  try {
    const summary = await streamVcf(input, {
      begin: async (header) => {
        sampleNames = header.samples;
        build = decideBuild(basename(file), header, options.build);
        const mapping = mapSamples(header.samples, options);
        // an upload is hashed as it arrives and checked once read (below); a file can be checked first
        if (typeof input === 'string') await refuseDuplicatesEarly(vault.catalog.data, input, [...mapping.keys()]);
        stored = registerSamples(change, header, mapping, basename(file), build);
        const ids: (string | null)[] = header.samples.map(() => null);
        for (const s of stored) ids[s.column] = s.sampleId;
        // a file parsed on worker threads is encoded on one too
        if (workers > 0) encoder = new WorkerEncoder();
        const indexChange = IndexChange.forAddition(change, vault);
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
    const names = stored.map((sample) => sample.name);
    refuseDuplicates(vault.catalog.data, file, summary.sourceSha256, names);
    // and again at commit, on the newest committed catalog: the same file may have been committed
    // meanwhile by another ingest (another process, or an upload) prepared at the same time
    change.atCommit(() => Promise.resolve(refuseDuplicates(vault.catalog.data, file, summary.sourceSha256, names)));
    const batch = writer as BatchWriter | null;
    // set by begin(), which runs before any record (TypeScript does not follow the callback)
    const recorded = build as GenomeBuildName | null;
    if (!recorded) throw new Error('ingest: the header was never read');
    if (batch) await batch.finish();
    const kept = new Set(stored.map((sample) => sample.name));
    const report: IngestReport = {
      records: summary.records, bytesRead: summary.bytesRead, build: recorded, samples: [], skipped: sampleNames.filter((name) => !kept.has(name)), warnings: summary.warnings,
    };
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
    // a patient this file named may have been registered by another process while it was read
    for (const sample of report.samples) sample.patientId = change.committedPatientId(sample.patientId);
    return report;
  } catch (err) {
    await change.abort();
    throw err;
  } finally {
    await encoder.close();
  }
}
