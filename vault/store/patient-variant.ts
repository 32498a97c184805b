// A patient's variant as listings show it; kept apart from the engine so that
// callers can use the shape without loading DuckDB.

export type ZygosityName = 'het' | 'hom_alt' | 'hemizygous' | 'missing';

/** A variant as a patient's listing shows it: one row per alternate allele carried. */
export interface PatientVariant {
  chrom: string;
  pos: number;
  id: string | null;
  ref: string;
  alt: string;
  /** which of the record's ALT alleles this row is (1-based) */
  altIndex: number;
  genotype: string;
  zygosity: ZygosityName;
  phased: boolean;
  dp: number | null;
  gq: number | null;
  qual: number | null;
  filter: string | null;
  gene: string | null;
  consequence: string | null;
  clnsig: string | null;
  sampleId: string;
}

/** Column order of a patient's variant listing (also the TSV header when nothing matched). */
export const PATIENT_VARIANT_COLUMNS = [
  'chrom', 'pos', 'id', 'ref', 'alt', 'altIndex', 'genotype', 'zygosity', 'phased', 'dp', 'gq', 'qual', 'filter', 'gene', 'consequence', 'clnsig', 'sampleId',
] as const;
