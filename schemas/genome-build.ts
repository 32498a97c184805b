// Reference genome builds the vault records, the names people and files use for them, and the
// lengths of their primary chromosomes (GRC assembly reports; the same numbers the ##contig lines
// of real GRCh37 and GRCh38 VCFs carry). Plain data, no zod: the VCF parse workers bundle it.

export const GENOME_BUILDS = ['GRCh37', 'GRCh38', 'NCBI36'] as const;
export type GenomeBuildName = (typeof GENOME_BUILDS)[number];

/** Names of each build as users and headers write them (compared case-insensitively). */
const ALIASES: Record<GenomeBuildName, readonly string[]> = {
  GRCh37: ['grch37', 'hg19', 'b37', 'hs37d5', 'grch37.p13', 'hg19_g1k', 'build37', 'ncbi37'],
  GRCh38: ['grch38', 'hg38', 'b38', 'grch38.p13', 'grch38.p14', 'build38'],
  NCBI36: ['ncbi36', 'hg18', 'b36', 'build36'],
};

/** The build a name stands for ('hg19' → GRCh37), or null for a name we do not know. */
export function genomeBuildOf(name: string): GenomeBuildName | null {
  const key = name.trim().toLowerCase();
  for (const build of GENOME_BUILDS) if (ALIASES[build].includes(key)) return build;
  return null;
}

/** Every name genomeBuildOf reads, for error messages. */
export const GENOME_BUILD_NAMES_HELP = 'GRCh37 (hg19, b37), GRCh38 (hg38) or NCBI36 (hg18)';

/** Primary chromosome lengths, keyed chr1..chr22, chrX, chrY, chrM. NCBI36: only the two its files show here. */
export const CHROMOSOME_LENGTHS: Record<GenomeBuildName, Readonly<Record<string, number>>> = {
  GRCh37: {
    chr1: 249250621, chr2: 243199373, chr3: 198022430, chr4: 191154276, chr5: 180915260, chr6: 171115067,
    chr7: 159138663, chr8: 146364022, chr9: 141213431, chr10: 135534747, chr11: 135006516, chr12: 133851895,
    chr13: 115169878, chr14: 107349540, chr15: 102531392, chr16: 90354753, chr17: 81195210, chr18: 78077248,
    chr19: 59128983, chr20: 63025520, chr21: 48129895, chr22: 51304566, chrX: 155270560, chrY: 59373566, chrM: 16569,
  },
  GRCh38: {
    chr1: 248956422, chr2: 242193529, chr3: 198295559, chr4: 190214555, chr5: 181538259, chr6: 170805979,
    chr7: 159345973, chr8: 145138636, chr9: 138394717, chr10: 133797422, chr11: 135086622, chr12: 133275309,
    chr13: 114364328, chr14: 107043718, chr15: 101991189, chr16: 90338345, chr17: 83257441, chr18: 80373285,
    chr19: 58617616, chr20: 64444167, chr21: 46709983, chr22: 50818468, chrX: 156040895, chrY: 57227415, chrM: 16569,
  },
  NCBI36: { chr1: 247249719, chr20: 62435964 },
};

/** The chromosomes of a build, in order (empty for a build whose chromosomes we do not list). */
export function primaryChromosomes(build: GenomeBuildName): string[] {
  return build === 'NCBI36' ? [] : Object.keys(CHROMOSOME_LENGTHS[build]);
}
