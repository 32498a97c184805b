// The catalog: which patients, samples and partitions the vault holds. It is sealed as one
// object per version; queries read it to decrypt only the partitions they need.
import type { PartitionRef } from './partition-ref.ts';
import type { Coverage } from '../ingest/call-columns.ts';

export interface CatalogPatient {
  patientId: string;
  mrn: string;
}

export interface CatalogSample {
  sampleId: string;
  patientId: string;
  /** the sample column name in the source VCF */
  name: string;
  /** GRCh37, GRCh38 or NCBI36; null in vaults written before builds were required */
  build: string | null;
  fileformat: string;
  ingestedAt: string;
  /** the source VCF's base name (no directory); absent in catalogs written before it was kept */
  sourceFile?: string;
  /** SHA-256 of the source file's bytes as read, to recognise a re-ingest ('' in catalogs written before it was kept) */
  sourceSha256: string;
  coverage: { source: Coverage['source']; partitionId: string | null; intervals: number };
  /** the file's spelling of chromosomes whose stored name differs ('chr17' → '17'); absent: as stored */
  sourceContigs?: Record<string, string>;
}

/**
 * A sealed file. `sampleId` names the key that seals it: the sample's own for its calls and
 * coverage; for an allele table (kind 'alleles'), the ingest batch whose samples point into it.
 */
export interface CatalogPartition extends PartitionRef {
  version: number;
  /** file path relative to the data directory */
  file: string;
  kind: 'calls' | 'coverage' | 'alleles';
  /** for calls in format 3: the allele table (partition id) its rows point into */
  alleles?: string;
  /** where the sealed bytes sit in a pack file (many partitions, each sealed on its own); absent: the whole file */
  offset?: number;
  length?: number;
}

export interface CatalogData {
  patients: CatalogPatient[];
  samples: CatalogSample[];
  partitions: CatalogPartition[];
}

export const EMPTY_CATALOG: CatalogData = { patients: [], samples: [], partitions: [] };

/** Read-only queries over one catalog version (a committed catalog is never changed in place). */
export class Catalog {
  private byId: Map<string, CatalogPartition> | null = null;

  constructor(readonly data: CatalogData) {}

  patientByMrn(mrn: string): CatalogPatient | undefined {
    return this.data.patients.find((p) => p.mrn === mrn);
  }

  patient(patientId: string): CatalogPatient | undefined {
    return this.data.patients.find((p) => p.patientId === patientId);
  }

  samplesOf(patientId: string): CatalogSample[] {
    return this.data.samples.filter((s) => s.patientId === patientId);
  }

  sample(sampleId: string): CatalogSample | undefined {
    return this.data.samples.find((s) => s.sampleId === sampleId);
  }

  callPartitions(sampleIds?: ReadonlySet<string>): CatalogPartition[] {
    return this.data.partitions.filter((p) => p.kind === 'calls' && (!sampleIds || sampleIds.has(p.sampleId)));
  }

  partitionsOfPatient(patientId: string): CatalogPartition[] {
    return this.callPartitions(new Set(this.samplesOf(patientId).map((s) => s.sampleId)));
  }

  /** Every partition that points into this allele table. */
  callsUsing(alleleTableId: string): CatalogPartition[] {
    return this.data.partitions.filter((p) => p.kind === 'calls' && p.alleles === alleleTableId);
  }

  /** By id, through an index built on first use: every cold read looks its partition up. */
  partition(partitionId: string): CatalogPartition | undefined {
    this.byId ??= new Map(this.data.partitions.map((p) => [p.partitionId, p]));
    return this.byId.get(partitionId);
  }
}
