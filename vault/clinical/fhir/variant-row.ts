// The variant row the exporter reads: the minimal shape of a row from the vault's variant query.
// Rows from the query engine carry more fields (depth, quality, genotype...); they are ignored,
// so the FHIR output never grows because the query did.

export type VariantZygosity = 'het' | 'hom_alt' | 'hemizygous' | 'missing';

export interface VariantRow {
  /** chr1..chr22, chrX, chrY, chrM as the ingest normalises them; other contigs as written */
  chrom: string;
  /** 1-based position of the first base of `ref`, as in the VCF */
  pos: number;
  /** the VCF ID column (e.g. an rsID), null when '.' */
  id: string | null;
  /** reference allele as in the VCF (with the anchor base for indels) */
  ref: string;
  /** the one alternate allele this row is about */
  alt: string;
  zygosity: VariantZygosity;
  gene: string | null;
  /** ClinVar significance as written, e.g. 'Likely_pathogenic' */
  clnsig: string | null;
  /** the row's own reference build when it differs from the export's */
  build?: string | null;
  /** variant allele fraction and this allele's read depth (FORMAT AD), when the VCF had AD */
  vaf?: number | null;
  adAlt?: number | null;
  /** HGVS from the file's annotation (ANN or CSQ), as written */
  hgvsC?: string | null;
  hgvsP?: string | null;
}

export const VARIANT_ZYGOSITIES: readonly VariantZygosity[] = ['het', 'hom_alt', 'hemizygous', 'missing'];
