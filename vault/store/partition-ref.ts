// What the catalog tells the query engine about one sealed partition (one sample, one chromosome).
export interface PartitionRef {
  partitionId: string;
  sampleId: string;
  chrom: string;
  minPos: number;
  maxPos: number;
  rows: number;
  build: string | null;
}

/** The seam between the engine and the sealed store: returns a partition's plaintext codec bytes. */
export interface PartitionSource {
  read(ref: PartitionRef): Promise<Uint8Array>;
}
