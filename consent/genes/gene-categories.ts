// Gene → findings categories. A gene may sit in several lists (RYR1 is both an ACMG secondary
// finding and a CPIC pharmacogene); callers get every category it belongs to and decide with
// the stricter answer (see consent/evaluation/).
import type { FindingsCategory } from '../../schemas/consent/result-scope.ts';
import { ACMG_SF_V3_2 } from './acmg-secondary-findings.ts';
import { ADULT_ONSET_CURATED } from './adult-onset.ts';
import { CARRIER_SCREENING_SUBSET } from './carrier-screening.ts';
import { CPIC_LEVEL_A_GENES } from './pharmacogenomic-cpic-a.ts';

export const CATEGORY_GENES: Readonly<Record<FindingsCategory, readonly string[]>> = {
  acmg_secondary: ACMG_SF_V3_2,
  carrier_status: CARRIER_SCREENING_SUBSET,
  pharmacogenomic: CPIC_LEVEL_A_GENES,
  adult_onset: ADULT_ONSET_CURATED,
};

// Older names still found in annotations (ClinVar VCFs before HGNC's renaming).
const PREVIOUS_SYMBOLS: Readonly<Record<string, string>> = { GBA: 'GBA1', IKBKAP: 'ELP1', G6PC: 'G6PC1', IL28B: 'IFNL3' };

function normalise(symbol: string): string {
  const upper = symbol.trim().toUpperCase();
  return PREVIOUS_SYMBOLS[upper] ?? upper;
}

const BY_GENE: ReadonlyMap<string, readonly FindingsCategory[]> = (() => {
  const map = new Map<string, FindingsCategory[]>();
  for (const [category, genes] of Object.entries(CATEGORY_GENES) as [FindingsCategory, readonly string[]][]) {
    for (const gene of genes) map.set(normalise(gene), [...(map.get(normalise(gene)) ?? []), category]);
  }
  return map;
})();

/** The categories a gene symbol belongs to (case-insensitive; previous HGNC symbols accepted); empty if none. */
export function categoriesOfGene(symbol: string): readonly FindingsCategory[] {
  return BY_GENE.get(normalise(symbol)) ?? [];
}
