// The columnar shape a parsed VCF hands to the store: one batch per sample and chromosome,
// holding only the alternate alleles that sample carries (one row per allele carried).
// Numbers are typed arrays (they load into DuckDB fast); text repeats per row by reference.

/** How the sample carries this alternate allele. */
export const Zygosity = {
  /** one copy, beside the reference or another allele (e.g. 0/1, 1/2) */
  het: 1,
  /** every called allele is this one (e.g. 1/1, 1|1|1) */
  homAlt: 2,
  /** a haploid call of this allele (e.g. chrX/chrY in males, chrM) */
  hemizygous: 3,
  /** this allele beside a missing one (e.g. ./1) */
  missing: 4,
} as const;
export type ZygosityCode = (typeof Zygosity)[keyof typeof Zygosity];
export const ZYGOSITY_NAMES: Record<ZygosityCode, string> = {
  1: 'het',
  2: 'hom_alt',
  3: 'hemizygous',
  4: 'missing',
};

/** Marks a missing integer (DP, GQ) in the typed columns; QUAL uses NaN. */
export const MISSING_INT = -1;

export interface CallBatch {
  /** normalised chromosome name: chr1..chr22, chrX, chrY, chrM; other contigs as written */
  chrom: string;
  rows: number;
  /** 1-based position */
  pos: Int32Array;
  /** 1-based index of the alternate allele in the record's ALT list */
  altIndex: Uint8Array;
  zygosity: Uint8Array;
  /** 1 when the genotype is phased (|) */
  phased: Uint8Array;
  dp: Int32Array;
  gq: Int32Array;
  qual: Float32Array;
  id: (string | null)[];
  ref: string[];
  alt: string[];
  /** FILTER as written ('PASS', 'q10;s50'), null when '.' */
  filter: (string | null)[];
  /** the genotype as written, e.g. '0|1' */
  gt: string[];
  gene: (string | null)[];
  consequence: (string | null)[];
  /** ClinVar significance (CLNSIG) as written, e.g. 'Pathogenic' */
  clnsig: (string | null)[];
  /** FORMAT AD: reads of the reference, of this allele, and of the record's other ALT alleles; MISSING_INT when absent (optional: older tools and tests) */
  adRef?: Int32Array;
  adAlt?: Int32Array;
  adOther?: Int32Array;
  /** HGVS of this allele from ANN (HGVS.c, HGVS.p) or CSQ (HGVSc, HGVSp) */
  hgvsC?: (string | null)[];
  hgvsP?: (string | null)[];
}

/** What the assay covered for a sample: half-open intervals are NOT used; start and end are 1-based inclusive. */
export interface Coverage {
  /** gvcf: reference blocks plus variant sites; targets: a BED given at ingest; assumed_wgs: no evidence, whole genome assumed */
  source: 'gvcf' | 'targets' | 'assumed_wgs';
  intervals: { chrom: string; start: number; end: number }[];
}

export interface ParsedSample {
  /** the sample column name in the VCF */
  name: string;
  /** one batch per chromosome, rows in file order */
  batches: CallBatch[];
  coverage: Coverage;
}

export interface ParsedVcf {
  fileformat: string;
  /** 'GRCh37' | 'GRCh38' when the header says or contig lengths show it; null when unknown */
  build: string | null;
  samples: ParsedSample[];
  records: number;
  bytesRead: number;
  /** non-fatal findings, e.g. a lenient acceptance; never patient data */
  warnings: string[];
}

/**
 * One sample's calls on one chromosome as ingest stores them: per-sample columns only, each row
 * pointing at a row of its batch's allele table (where position, alleles, QUAL and annotations
 * are kept once for every sample that carries them).
 */
export interface SampleCalls {
  chrom: string;
  rows: number;
  /** row in the allele table of this batch and chromosome */
  allele: Uint32Array;
  zygosity: Uint8Array;
  phased: Uint8Array;
  dp: Int32Array;
  gq: Int32Array;
  /** the genotype as written: an index into the allele table's genotype strings */
  gt: Int32Array;
  /**
   * FORMAT AD for this call: reference reads, this allele's reads, the other ALT alleles' reads
   * (MISSING_INT when absent). Each column has one value per row, or none at all when no call has AD.
   */
  adRef: Int32Array;
  adAlt: Int32Array;
  adOther: Int32Array;
}
