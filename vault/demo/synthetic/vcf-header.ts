// The VCF 4.2 header of a generated file: build, contigs with their real lengths, and every
// INFO, FILTER and FORMAT key the records use.
import { contigs, type Build } from './genome-builds.ts';

export interface HeaderOptions {
  build: Build;
  samples: readonly string[];
  seed: number;
  annotate: boolean;
}

/** A fixed date so the same seed gives the same bytes on any day. */
const FILE_DATE = '20250101';

export function vcfHeader(options: HeaderOptions): string {
  const { build } = options;
  const lines = [
    '##fileformat=VCFv4.2',
    `##fileDate=${FILE_DATE}`,
    `##source=GenoVaultSyntheticPopulation(seed=${options.seed})`,
    '##comment="Synthetic genotypes drawn from a seeded generator; they belong to no real person."',
    `##reference=${build}`,
    ...contigs(build).map((c) => `##contig=<ID=${c.name},length=${c.length},assembly=${build}>`),
    '##FILTER=<ID=PASS,Description="All filters passed">',
    '##FILTER=<ID=LowQual,Description="Low quality">',
    '##INFO=<ID=AC,Number=A,Type=Integer,Description="Allele count in genotypes, for each ALT allele">',
    '##INFO=<ID=AN,Number=1,Type=Integer,Description="Total number of alleles in called genotypes">',
    '##INFO=<ID=AF,Number=A,Type=Float,Description="Allele frequency, for each ALT allele">',
    '##INFO=<ID=DP,Number=1,Type=Integer,Description="Combined depth across samples">',
  ];
  if (options.annotate) {
    lines.push(
      '##INFO=<ID=CLNSIG,Number=.,Type=String,Description="Clinical significance for this variant (ClinVar style)">',
      '##INFO=<ID=GENEINFO,Number=1,Type=String,Description="Gene symbol and NCBI Gene id, as SYMBOL:ID">',
    );
  }
  lines.push(
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
    '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">',
    '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">',
    ['#CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO', 'FORMAT', ...options.samples].join('\t'),
  );
  return `${lines.join('\n')}\n`;
}
