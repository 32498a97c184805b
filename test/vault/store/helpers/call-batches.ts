// Builds CallBatches and partition refs by hand for store tests, and an in-memory
// PartitionSource that records which partitions were read.
import type { CallBatch } from '../../../../vault/ingest/call-columns.ts';
import { MISSING_INT } from '../../../../vault/ingest/call-columns.ts';
import { decodePartitionCoded, encodePartition, type CodedPartition } from '../../../../vault/store/partition-codec.ts';
import type { PartitionRef, PartitionSource } from '../../../../vault/store/partition-ref.ts';

export interface Call {
  pos: number;
  ref: string;
  alt: string;
  /** 1 het, 2 hom_alt, 3 hemizygous, 4 missing */
  zygosity?: number;
  gt?: string;
  altIndex?: number;
  phased?: boolean;
  dp?: number | null;
  gq?: number | null;
  qual?: number | null;
  id?: string | null;
  filter?: string | null;
  gene?: string | null;
  consequence?: string | null;
  clnsig?: string | null;
}

export function makeBatch(chrom: string, calls: readonly Call[]): CallBatch {
  return {
    chrom,
    rows: calls.length,
    pos: Int32Array.from(calls.map((c) => c.pos)),
    altIndex: Uint8Array.from(calls.map((c) => c.altIndex ?? 1)),
    zygosity: Uint8Array.from(calls.map((c) => c.zygosity ?? 1)),
    phased: Uint8Array.from(calls.map((c) => (c.phased ? 1 : 0))),
    dp: Int32Array.from(calls.map((c) => c.dp ?? MISSING_INT)),
    gq: Int32Array.from(calls.map((c) => c.gq ?? MISSING_INT)),
    qual: Float32Array.from(calls.map((c) => c.qual ?? NaN)),
    id: calls.map((c) => c.id ?? null),
    ref: calls.map((c) => c.ref),
    alt: calls.map((c) => c.alt),
    filter: calls.map((c) => c.filter ?? null),
    gt: calls.map((c) => c.gt ?? (c.zygosity === 2 ? '1/1' : '0/1')),
    gene: calls.map((c) => c.gene ?? null),
    consequence: calls.map((c) => c.consequence ?? null),
    clnsig: calls.map((c) => c.clnsig ?? null),
  };
}

/** Holds encoded partitions in memory, as the sealed store would after decryption. */
export class MemorySource implements PartitionSource {
  readonly reads: string[] = [];
  private readonly bytes = new Map<string, Uint8Array>();

  /** `maxEnd: false` leaves it out, as a vault written before it was recorded does. */
  add(sampleId: string, batch: CallBatch, build: string | null = 'GRCh38', options: { maxEnd?: boolean; id?: string } = {}): PartitionRef {
    const partitionId = options.id ?? `part_${sampleId}_${batch.chrom}`;
    let minPos = Infinity;
    let maxPos = -Infinity;
    let maxEnd = -Infinity;
    batch.pos.forEach((pos, i) => {
      minPos = Math.min(minPos, pos);
      maxPos = Math.max(maxPos, pos);
      maxEnd = Math.max(maxEnd, pos + (batch.ref[i]?.length ?? 1) - 1);
    });
    this.bytes.set(partitionId, encodePartition(batch));
    const ref: PartitionRef = { partitionId, sampleId, chrom: batch.chrom, minPos, maxPos, rows: batch.rows, build };
    if (options.maxEnd !== false) ref.maxEnd = maxEnd;
    return ref;
  }

  replace(partitionId: string, bytes: Uint8Array): void {
    this.bytes.set(partitionId, bytes);
  }

  async readPartition(ref: PartitionRef): Promise<CodedPartition> {
    return decodePartitionCoded(await this.read(ref));
  }

  read(ref: PartitionRef): Promise<Uint8Array> {
    this.reads.push(ref.partitionId);
    const bytes = this.bytes.get(ref.partitionId);
    return bytes ? Promise.resolve(bytes) : Promise.reject(new Error(`no partition ${ref.partitionId}`));
  }
}
