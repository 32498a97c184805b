// What the catalog tells the query engine about one sealed partition (one sample, one chromosome).
import type { CodedPartition } from './partition-codec.ts';

export interface PartitionRef {
  partitionId: string;
  sampleId: string;
  chrom: string;
  minPos: number;
  maxPos: number;
  /**
   * at least the last position any row's REF allele reaches, so a region query finds a deletion
   * that starts before the region; absent in vaults written before it was recorded (not known)
   */
  maxEnd?: number;
  rows: number;
  build: string | null;
}

/** The seam between the engine and the sealed store: a partition decrypted and decoded. */
export interface PartitionSource {
  readPartition(ref: PartitionRef): Promise<CodedPartition>;
}
