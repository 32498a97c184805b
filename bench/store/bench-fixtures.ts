// Shared pieces of the store benchmarks: options, the in-memory partition source, refs, the model.
import type { PartitionRef, PartitionSource } from '../../vault/store/partition-ref.ts';
import { geneLocation } from '../../vault/genes/gene-table.ts';
import type { CallBatch } from '../../vault/ingest/call-columns.ts';
import { decodePartitionCoded, type CodedPartition } from '../../vault/store/partition-codec.ts';
import { cohortModel, type CohortModel } from './synthetic-calls.ts';

export interface StoreBenchOptions {
  samples: number;
  rowsPerSample: number;
  loadRows: number;
  repeats: number;
}
export const FULL: StoreBenchOptions = { samples: 1000, rowsPerSample: 40_000, loadRows: 2_000_000, repeats: 20 };
export const SMOKE: StoreBenchOptions = { samples: 20, rowsPerSample: 4_000, loadRows: 50_000, repeats: 3 };

export const SECTION = 'store';
export const MiB = 1024 * 1024;
export const BRCA1 = geneLocation('BRCA1', 'GRCh38')!;

/** Plaintext partition bytes held in memory (the sealed store adds decryption in front). */
export class BytesSource implements PartitionSource {
  readonly bytes = new Map<string, Uint8Array>();
  read(ref: PartitionRef): Promise<Uint8Array> {
    const b = this.bytes.get(ref.partitionId);
    return b ? Promise.resolve(b) : Promise.reject(new Error(`partition ${ref.partitionId} was read but should have been pruned`));
  }
  async readPartition(ref: PartitionRef): Promise<CodedPartition> {
    return decodePartitionCoded(await this.read(ref));
  }
}

export function refOf(sampleId: string, batch: CallBatch): PartitionRef {
  return { partitionId: `${sampleId}:${batch.chrom}`, sampleId, chrom: batch.chrom, minPos: batch.pos[0] ?? 0, maxPos: batch.pos[batch.rows - 1] ?? 0, rows: batch.rows, build: 'GRCh38' };
}

export function benchModel(o: StoreBenchOptions): CohortModel {
  return cohortModel(o.rowsPerSample, { chrom: BRCA1.chrom, start: BRCA1.start, end: BRCA1.end, sites: 60 });
}
