// Column order of the cohort answers' rows (also the TSV header when nothing matched); kept apart
// from the queries so the CLI can name them without loading DuckDB.
export const CARRIER_COLUMNS = ['chrom', 'pos', 'ref', 'alt', 'sampleId', 'patientId', 'zygosity', 'genotype', 'build'] as const;
export const ALLELE_COUNT_COLUMNS = ['chrom', 'pos', 'ref', 'alt', 'alleleCount', 'carriers', 'samplesCovering', 'build'] as const;
