// The cohort index's query interface: what the research gateway asks the vault (through an object
// the vault passes in, never by importing vault/) and what it gets back. The allowed samples are
// the consented cohort the caller decided for this query; the vault counts only them. Sample ids
// are the vault's internal ids (the gateway maps patients to samples and back, and pseudonymises).
import { z } from 'zod';
import { GENOME_BUILDS } from './genome-build.ts';

export const COHORT_ZYGOSITIES = ['het', 'hom_alt', 'hemizygous', 'missing'] as const;
export type CohortZygosity = (typeof COHORT_ZYGOSITIES)[number];

const position = z.number().int().min(1).max(2_147_483_647);
const allele = z.string().min(1).max(10_000).regex(/^[A-Za-z*<>[\]:.0-9_-]+$/, 'an allele');
const contig = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.\-*]+$/, 'a contig');

/**
 * The widest region (bases) an aggregate or records request may name: their answers list sample ids
 * per allele (or per call), which grows with region x cohort. A gene is never refused (the largest,
 * RBFOX1 on GRCh38, spans 2.47 Mb); count lists each sample at most once and takes any region.
 */
export const COHORT_LISTED_REGION_MAX = 5_000_000;

/** Frozen lists already found valid: a caller asking many questions of one cohort passes the same frozen list (it cannot change). */
const validFrozenIds = new WeakSet<readonly unknown[]>();

function sampleIdsValid(ids: unknown): boolean {
  if (!Array.isArray(ids)) return false;
  if (validFrozenIds.has(ids)) return true;
  const valid = ids.length <= 10_000_000 && ids.every((id) => typeof id === 'string' && id.length >= 1 && id.length <= 64);
  if (valid && Object.isFrozen(ids)) validFrozenIds.add(ids);
  return valid;
}

export const cohortIndexRequestSchema = z.object({
  build: z.enum(GENOME_BUILDS),
  /** one target: a region ('17:43044295-43170245' or its parts), a gene symbol (its span in the build), or one allele */
  target: z.union([
    z.object({ region: z.object({ chrom: contig, start: position, end: position }) }).strict(),
    z.object({ gene: z.string().min(1).max(40).regex(/^[A-Za-z0-9._@-]+$/, 'a gene symbol') }).strict(),
    z.object({ variant: z.object({ chrom: contig, pos: position, ref: allele, alt: allele }).strict() }).strict(),
  ]),
  /**
   * the samples the answer may count: the consented cohort. Ids are looked up, never interpolated (an
   * unknown one is counted as unknown), so only their shape is checked, in one pass: a schema per id
   * cost ~2 ms per 10,000 on every query.
   */
  sampleIds: z.custom<readonly string[]>(sampleIdsValid, 'a list of sample ids'),
  /** count only calls of these zygosities */
  zygosity: z.array(z.enum(COHORT_ZYGOSITIES)).min(1).optional(),
  /** count only calls whose ClinVar significance holds one of these terms */
  significance: z.array(z.string().min(1).max(80)).min(1).optional(),
  /** aggregate: also list, per allele, the samples in scope whose assay did not cover its position */
  notCovering: z.boolean().optional(),
}).strict();

export type CohortIndexRequest = z.infer<typeof cohortIndexRequestSchema>;

/** How the samples counted say what their assay covered: allele number counts a sample only where it did. */
export interface CohortCoverageKinds {
  /** no coverage evidence: counted everywhere (a whole genome is assumed) */
  wholeGenome: number;
  /** a targets BED recorded at ingest */
  targets: number;
  /** gVCF reference blocks */
  gvcf: number;
}

export interface CohortScope {
  build: string;
  /** the region read (a gene's span, or the allele's position), chromosome as the vault stores it */
  region: { chrom: string; start: number; end: number };
  /** allowed samples of this build in the index */
  samplesInScope: number;
  /** allowed samples not counted: on another build, or unknown to the vault */
  samplesLeftOut: { otherBuild: number; unknown: number };
  /** samples in scope whose assay covered some base of the region (or that carry an allele in it) */
  samplesCovering: number;
  /** samples in scope by what their coverage is */
  coverage: CohortCoverageKinds;
}

export interface CohortVariantAggregate {
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
  /** copies among the calls counted: hom_alt 2, het / hemizygous / beside-missing 1 */
  alleleCount: number;
  /** samples in scope covering this position (a carrier covers it) */
  samplesCovering: number;
  /** 2 x samplesCovering: every sample counted as diploid (chrX, chrY and chrM included) */
  alleleNumber: number;
  /** distinct carrier samples */
  carriers: number;
  /** the carrier samples, as positions in the request's `sampleIds` (ascending, each once) */
  carrierPositions: Int32Array;
  /** the carriers whose counted call is hom_alt (two copies), as positions likewise */
  homAltPositions: Int32Array;
  zygosity: { het: number; homAlt: number; hemizygous: number; missing: number };
  /**
   * when asked (`notCovering`): samples in scope that are not whole genomes, whose assay did not
   * cover the position and that have no call there (a call of any allele at a position covers it)
   */
  notCoveringPositions?: Int32Array;
}

export interface CohortAggregateAnswer extends CohortScope {
  variants: CohortVariantAggregate[];
}

export interface CohortCountAnswer extends CohortScope {
  /** samples in scope with at least one call that matches, in the vault's order */
  carrierSampleIds: string[];
}

export interface CohortRecord {
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
  sampleId: string;
  zygosity: CohortZygosity;
  /** the genotype as the VCF wrote it, e.g. '0|1' */
  genotype: string;
}

export interface CohortCarriersAnswer {
  build: string;
  region: { chrom: string; start: number; end: number };
  /** the samples in scope with at least one call that matches, as positions in the request's `sampleIds` (ascending) */
  carrierPositions: Int32Array;
}

export interface CohortRecordsAnswer extends CohortScope {
  records: CohortRecord[];
}

/** What the vault passes to the research gateway. */
export interface CohortIndexPort {
  /** the builds the index can answer for (every sample of the build is indexed) */
  builds(): string[];
  count(request: CohortIndexRequest): Promise<CohortCountAnswer>;
  /** the samples in scope carrying a matching call, and nothing else (no coverage): the count level's one statement */
  carriers(request: CohortIndexRequest): Promise<CohortCarriersAnswer>;
  aggregate(request: CohortIndexRequest): Promise<CohortAggregateAnswer>;
  records(request: CohortIndexRequest): Promise<CohortRecordsAnswer>;
}
