// Reference builds the generator writes against: contig names and lengths (GRC assembly
// reports), pseudo-autosomal regions, and how densely each chromosome carries exome variants.

export type Build = 'GRCh38' | 'GRCh37';

/** Canonical chromosome keys, in the order a sorted VCF lists them. */
export const CHROMOSOME_KEYS = [
  '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12',
  '13', '14', '15', '16', '17', '18', '19', '20', '21', '22', 'X', 'Y',
] as const;
export type ChromosomeKey = (typeof CHROMOSOME_KEYS)[number];

const LENGTHS: Record<Build, Record<ChromosomeKey | 'M', number>> = {
  GRCh38: {
    1: 248956422, 2: 242193529, 3: 198295559, 4: 190214555, 5: 181538259, 6: 170805979,
    7: 159345973, 8: 145138636, 9: 138394717, 10: 133797422, 11: 135086622, 12: 133275309,
    13: 114364328, 14: 107043718, 15: 101991189, 16: 90338345, 17: 83257441, 18: 80373285,
    19: 58617616, 20: 64444167, 21: 46709983, 22: 50818468, X: 156040895, Y: 57227415, M: 16569,
  },
  GRCh37: {
    1: 249250621, 2: 243199373, 3: 198022430, 4: 191154276, 5: 180915260, 6: 171115067,
    7: 159138663, 8: 146364022, 9: 141213431, 10: 135534747, 11: 135006516, 12: 133851895,
    13: 115169878, 14: 107349540, 15: 102531392, 16: 90354753, 17: 81195210, 18: 78077248,
    19: 59128983, 20: 63025520, 21: 48129895, 22: 51304566, X: 155270560, Y: 59373566, M: 16569,
  },
};

/** Pseudo-autosomal regions on chrX (1-based, inclusive): males are diploid inside them. */
const X_PARS: Record<Build, [number, number][]> = {
  GRCh38: [[10001, 2781479], [155701383, 156030895]],
  GRCh37: [[60001, 2699520], [154931044, 155260560]],
};
const Y_PARS: Record<Build, [number, number][]> = {
  GRCh38: [[10001, 2781479], [56887903, 57217415]],
  GRCh37: [[10001, 2649520], [59034050, 59373566]],
};

/**
 * Relative exome variant density: approximate protein-coding gene counts per chromosome
 * (GENCODE), which is why gene-rich chr1, chr17 and chr19 get more sites than their length suggests.
 */
const EXOME_WEIGHT: Record<ChromosomeKey, number> = {
  1: 2050, 2: 1300, 3: 1080, 4: 750, 5: 880, 6: 1040, 7: 920, 8: 680, 9: 780, 10: 730,
  11: 1300, 12: 1030, 13: 320, 14: 610, 15: 600, 16: 850, 17: 1180, 18: 270, 19: 1470,
  20: 540, 21: 230, 22: 440, X: 840, Y: 60,
};

/** The contig name a VCF of this build uses: 'chr17' for GRCh38 (UCSC style), '17' for GRCh37 (b37 style). */
export function contigName(build: Build, key: ChromosomeKey | 'M'): string {
  if (build === 'GRCh38') return `chr${key}`;
  return key === 'M' ? 'MT' : key;
}

/** Every contig of the build, in header order, with its length. */
export function contigs(build: Build): { key: ChromosomeKey | 'M'; name: string; length: number }[] {
  const keys: (ChromosomeKey | 'M')[] = [...CHROMOSOME_KEYS, 'M'];
  return keys.map((key) => ({ key, name: contigName(build, key), length: LENGTHS[build][key] }));
}

export function chromosomeLength(build: Build, key: ChromosomeKey): number {
  return LENGTHS[build][key];
}

export function exomeWeight(key: ChromosomeKey): number {
  return EXOME_WEIGHT[key];
}

/** Accepts 'chr17', '17', 'chrX', 'x' and returns the canonical key, or null when it is not chr1-22, X or Y. */
export function chromosomeKeyOf(name: string): ChromosomeKey | null {
  const bare = name.replace(/^chr/i, '').toUpperCase();
  return (CHROMOSOME_KEYS as readonly string[]).includes(bare) ? (bare as ChromosomeKey) : null;
}

/** How many allele copies a person of this sex carries at this position. */
export function ploidyAt(build: Build, key: ChromosomeKey, pos: number, sex: 'female' | 'male'): 0 | 1 | 2 {
  if (key === 'X') return sex === 'female' || inside(X_PARS[build], pos) ? 2 : 1;
  // the generator never places chrY sites inside its PARs (those reads map to chrX)
  if (key === 'Y') return sex === 'female' ? 0 : 1;
  return 2;
}

/** The build's pseudo-autosomal regions of one sex chromosome. */
export function pseudoAutosomalRegions(build: Build, key: 'X' | 'Y'): readonly [number, number][] {
  return key === 'X' ? X_PARS[build] : Y_PARS[build];
}

function inside(ranges: [number, number][], pos: number): boolean {
  return ranges.some(([start, end]) => pos >= start && pos <= end);
}
