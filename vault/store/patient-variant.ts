// A patient's variant as listings show it; kept apart from the engine so that
// callers can use the shape without loading DuckDB.

export type ZygosityName = 'het' | 'hom_alt' | 'hemizygous' | 'missing';

/** A variant as a patient's listing shows it: one row per alternate allele carried. */
export interface PatientVariant {
  /** as the source VCF spells it ('17' or 'chr17') */
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
  /** FORMAT AD: reads of the reference and of this allele (null when the file has no AD) */
  adRef: number | null;
  adAlt: number | null;
  /** variant allele fraction: adAlt over the sum of all AD values; null when AD is absent or sums to 0 */
  vaf: number | null;
  qual: number | null;
  filter: string | null;
  /** the VCF's gene annotation, else the genes whose span the REF overlaps ('|' between several) */
  gene: string | null;
  /** where `gene` came from: the VCF's annotation, or the gene table (Ensembl spans) */
  geneSource: 'annotation' | 'gene_table' | null;
  consequence: string | null;
  /** HGVS of this allele from ANN (SnpEff) or CSQ (VEP), as the annotator wrote it */
  hgvsC: string | null;
  hgvsP: string | null;
  clnsig: string | null;
  sampleId: string;
  /** the reference build the positions are on */
  build: string | null;
}

/** Column order of a patient's variant listing (also the TSV header when nothing matched). */
export const PATIENT_VARIANT_COLUMNS = [
  'chrom', 'pos', 'id', 'ref', 'alt', 'altIndex', 'genotype', 'zygosity', 'phased', 'dp', 'gq', 'adRef', 'adAlt', 'vaf', 'qual', 'filter',
  'gene', 'geneSource', 'consequence', 'hgvsC', 'hgvsP', 'clnsig', 'sampleId', 'build',
] as const;
