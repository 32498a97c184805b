// What each reader sees of a patient's variants, given the patient's findings preferences:
// the patient and their proxies never see a variant in a category the patient declined to learn;
// clinicians see it masked (gene and category only, marked "patient declined to learn") unless
// they unmasked it by break-the-glass; a relative, an insurer or a named recipient sees only what
// the patient shared or authorized, and never a declined finding. Pure functions over the rows a
// query answered; the decision to read them was taken (and audited) before.
import type { FindingsCategory, VariantRef } from '../../schemas/consent/result-scope.ts';
import { GENOME_BUILDS } from '../../schemas/consent/result-scope.ts';
import { declinedCategoriesOf } from '../../consent/evaluation/findings.ts';
import { scopeCoversFinding, type Finding, type ScopeLike } from '../../consent/evaluation/result-coverage.ts';
import { categoriesOfGene } from '../../consent/genes/gene-categories.ts';
import type { PatientVariant } from '../store/patient-variant.ts';

export const DECLINED_MARK = 'patient declined to learn';

/** A variant in a declined category as a clinician sees it: where and what it is, withheld. */
export interface MaskedVariant {
  masked: true;
  note: typeof DECLINED_MARK;
  declinedCategories: FindingsCategory[];
  gene: string | null;
  chrom: string;
  sampleId: string;
  build: string | null;
}

/** A declined variant a clinician unmasked by break-the-glass: the row, marked. */
export type UnmaskedVariant = PatientVariant & { declinedCategories: FindingsCategory[]; unmaskedByBreakGlass: true };

/** A row's gene symbols: the gene column holds several, separated by `|`, when spans overlap. */
export function genesOf(row: Pick<PatientVariant, 'gene'>): string[] {
  return row.gene === null ? [] : row.gene.split('|').filter(Boolean);
}

function declinedOf(row: PatientVariant, declined: readonly FindingsCategory[]): FindingsCategory[] {
  return declined.length === 0 ? [] : declinedCategoriesOf(declined, genesOf(row));
}

/** The patient's and a proxy's view: declined findings are left out. */
export function withoutDeclined(rows: readonly PatientVariant[], declined: readonly FindingsCategory[]): PatientVariant[] {
  return rows.filter((row) => declinedOf(row, declined).length === 0);
}

function mask(row: PatientVariant, categories: FindingsCategory[]): MaskedVariant {
  return { masked: true, note: DECLINED_MARK, declinedCategories: categories, gene: row.gene, chrom: row.chrom, sampleId: row.sampleId, build: row.build };
}

/** The clinician's view: declined findings masked, or (after break-the-glass) shown and marked. */
export function forClinician(rows: readonly PatientVariant[], declined: readonly FindingsCategory[], unmask: boolean): (PatientVariant | MaskedVariant | UnmaskedVariant)[] {
  return rows.map((row) => {
    const categories = declinedOf(row, declined);
    if (categories.length === 0) return row;
    return unmask ? { ...row, declinedCategories: categories, unmaskedByBreakGlass: true as const } : mask(row, categories);
  });
}

export function isMasked(row: PatientVariant | MaskedVariant | UnmaskedVariant): row is MaskedVariant {
  return 'masked' in row;
}

/** A row as the finding the consent evaluation reads (a named variant needs a known build). */
function findingOf(row: PatientVariant): Finding {
  const build = (GENOME_BUILDS as readonly string[]).includes(row.build ?? '') ? (row.build as VariantRef['build']) : null;
  const genes = genesOf(row);
  // without a known build no named variant can be this one: only its categories can cover it
  if (build === null) return { variant: { build: 'GRCh38', chrom: 'unplaced', pos: 0, ref: '', alt: '' }, genes };
  return { variant: { build, chrom: row.chrom, pos: row.pos, ref: row.ref, alt: row.alt }, genes };
}

export interface ReleasedFinding {
  build: string | null;
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
  gene: string | null;
  zygosity: string;
  clnsig: string | null;
  categories: FindingsCategory[];
}

/**
 * A relative's, insurer's or named recipient's view: exactly the findings the share or the
 * authorization covers (a named variant, or a gene whose every category it names), never a
 * declined one, and nothing of the record or of the sample.
 */
export function coveredFindings(rows: readonly PatientVariant[], scope: ScopeLike, declined: readonly FindingsCategory[]): ReleasedFinding[] {
  const out: ReleasedFinding[] = [];
  for (const row of rows) {
    if (declinedOf(row, declined).length > 0 || !scopeCoversFinding(scope, findingOf(row))) continue;
    const categories = [...new Set(genesOf(row).flatMap((gene) => categoriesOfGene(gene)))];
    out.push({ build: row.build, chrom: row.chrom, pos: row.pos, ref: row.ref, alt: row.alt, gene: row.gene, zygosity: row.zygosity, clnsig: row.clnsig, categories });
  }
  return out;
}
