// Genes that get a handful of annotated variants so gene, significance and carrier queries
// have hits. Coordinates are NCBI Gene's (1-based, inclusive) for each build.
import type { Build, ChromosomeKey } from './genome-builds.ts';

export interface KnownGene {
  symbol: string;
  /** NCBI Gene id, as ClinVar writes it in GENEINFO (SYMBOL:ID) */
  geneId: number;
  chromosome: ChromosomeKey;
  location: Record<Build, { start: number; end: number }>;
}

export const KNOWN_GENES: readonly KnownGene[] = [
  { symbol: 'BRCA1', geneId: 672, chromosome: '17', location: { GRCh38: { start: 43044295, end: 43125483 }, GRCh37: { start: 41196312, end: 41277500 } } },
  { symbol: 'BRCA2', geneId: 675, chromosome: '13', location: { GRCh38: { start: 32315474, end: 32400266 }, GRCh37: { start: 32889611, end: 32973805 } } },
  { symbol: 'TP53', geneId: 7157, chromosome: '17', location: { GRCh38: { start: 7661779, end: 7687550 }, GRCh37: { start: 7565097, end: 7590856 } } },
  { symbol: 'MYBPC3', geneId: 4607, chromosome: '11', location: { GRCh38: { start: 47331406, end: 47352702 }, GRCh37: { start: 47352957, end: 47374253 } } },
  { symbol: 'LDLR', geneId: 3949, chromosome: '19', location: { GRCh38: { start: 11089462, end: 11133820 }, GRCh37: { start: 11200138, end: 11244496 } } },
];

/** ClinVar significance values (CLNSIG) the generator writes. */
export const CLINICAL_SIGNIFICANCE = [
  'Pathogenic',
  'Likely_pathogenic',
  'Uncertain_significance',
  'Likely_benign',
  'Benign',
  'Conflicting_interpretations_of_pathogenicity',
] as const;
export type ClinicalSignificance = (typeof CLINICAL_SIGNIFICANCE)[number];

/** Pathogenic findings are rare: a few carriers in a cohort, as in real carrier screening. */
export function isRareFinding(significance: ClinicalSignificance): boolean {
  return significance === 'Pathogenic' || significance === 'Likely_pathogenic';
}
