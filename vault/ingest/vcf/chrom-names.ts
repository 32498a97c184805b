// Chromosome names are normalised so that '1', 'chr1' and 'CHR1'-free spellings meet in one partition.

const NUMBERED = /^(?:chr)?([1-9]|1[0-9]|2[0-2]|X|Y)$/;
const MITO = /^(?:chr)?(?:M|MT)$/;

export function normaliseChrom(raw: string): string {
  const numbered = NUMBERED.exec(raw);
  if (numbered) return `chr${numbered[1] ?? ''}`;
  if (MITO.test(raw)) return 'chrM';
  return raw;
}
