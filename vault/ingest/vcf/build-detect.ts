// The reference build named by the header, or shown by a contig length; null when nothing says.

const GRCH37 = /grch37|hg19|\bb37\b|hs37d5|g1k_v37|build ?37|\bb37\b/i;
const GRCH38 = /grch38|hg38|build ?38|\bb38\b/i;
const CHR1_LENGTH: Record<number, string> = { 249250621: 'GRCh37', 248956422: 'GRCh38' };

export function buildFromText(text: string): string | null {
  if (GRCH38.test(text)) return 'GRCh38';
  if (GRCH37.test(text)) return 'GRCh37';
  return null;
}

export interface BuildEvidence {
  /** values of ##reference and ##assembly lines */
  referenceTexts: string[];
  /** assembly= values of ##contig lines */
  contigAssemblies: string[];
  /** lengths of contig 1 / chr1 when declared */
  chr1Lengths: number[];
}

export function detectBuild(evidence: BuildEvidence): string | null {
  for (const text of evidence.referenceTexts) {
    const build = buildFromText(text);
    if (build) return build;
  }
  for (const text of evidence.contigAssemblies) {
    const build = buildFromText(text);
    if (build) return build;
  }
  for (const length of evidence.chr1Lengths) {
    const build = CHR1_LENGTH[length];
    if (build) return build;
  }
  return null;
}
