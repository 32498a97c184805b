// Gene symbol, consequence and HGVS (c. and p.) for each ALT allele, from SnpEff ANN, VEP CSQ or
// ClinVar GENEINFO/MC (which carries no HGVS).
import type { InfoCapture } from './info-column.ts';

export interface AlleleAnnotation {
  gene: (string | null)[];
  consequence: (string | null)[];
  hgvsC: (string | null)[];
  hgvsP: (string | null)[];
}

function orNull(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}

/**
 * SnpEff: Allele|Annotation|Annotation_Impact|Gene_Name|Gene_ID|Feature_Type|Feature_ID|Transcript_BioType|
 * Rank|HGVS.c|HGVS.p|...; the first entry for the allele wins (SnpEff sorts the most severe first).
 */
function fromAnn(ann: string, alts: string[], out: AlleleAnnotation): void {
  const entries = ann.split(',').map((entry) => entry.split('|'));
  alts.forEach((alt, j) => {
    const entry = entries.find((fields) => fields[0] === alt) ?? (alts.length === 1 ? entries[0] : undefined);
    if (!entry) return;
    out.gene[j] = orNull(entry[3]);
    out.consequence[j] = orNull(entry[1]);
    out.hgvsC[j] = orNull(entry[9]);
    out.hgvsP[j] = orNull(entry[10]);
  });
}

/** VEP writes indel alleles without the shared first base ('-' when nothing is left). */
function vepAllele(ref: string, alt: string, alts: string[]): string {
  const first = ref[0];
  const trimmed = alts.every((a) => a[0] === first && !a.startsWith('<')) && alts.some((a) => a.length !== ref.length);
  if (!trimmed) return alt;
  return alt.slice(1) || '-';
}

function fromCsq(csq: string, fields: string[], ref: string, alts: string[], out: AlleleAnnotation): void {
  const alleleAt = fields.indexOf('Allele');
  const symbolAt = fields.indexOf('SYMBOL');
  const consequenceAt = fields.indexOf('Consequence');
  const alleleNumAt = fields.indexOf('ALLELE_NUM');
  const hgvsCAt = fields.indexOf('HGVSc');
  const hgvsPAt = fields.indexOf('HGVSp');
  const entries = csq.split(',').map((entry) => entry.split('|'));
  alts.forEach((alt, j) => {
    const wanted = vepAllele(ref, alt, alts);
    const entry =
      (alleleNumAt >= 0 ? entries.find((e) => e[alleleNumAt] === String(j + 1)) : undefined) ??
      entries.find((e) => e[alleleAt] === wanted || e[alleleAt] === alt) ??
      (alts.length === 1 ? entries[0] : undefined);
    if (!entry) return;
    out.gene[j] = symbolAt >= 0 ? orNull(entry[symbolAt]) : null;
    out.consequence[j] = consequenceAt >= 0 ? orNull(entry[consequenceAt]) : null;
    out.hgvsC[j] = hgvsCAt >= 0 ? vepHgvs(entry[hgvsCAt]) : null;
    out.hgvsP[j] = hgvsPAt >= 0 ? vepHgvs(entry[hgvsPAt]) : null;
  });
}

/** VEP writes HGVS with '%3D' for '=' (p.Leu12%3D): URI-escaped, as its INFO field cannot hold '='. */
function vepHgvs(value: string | undefined): string | null {
  const text = orNull(value);
  return text === null ? null : text.replace(/%3D/gi, '=');
}

/** ClinVar: GENEINFO=SYMBOL:id|SYMBOL2:id (first symbol); MC=SO:0001583|missense_variant,... */
function fromClinvar(info: InfoCapture, alts: string[], out: AlleleAnnotation): void {
  const gene = info.geneinfo ? orNull(info.geneinfo.split('|')[0]?.split(':')[0]) : null;
  const consequence = info.mc ? orNull(info.mc.split(',')[0]?.split('|')[1]) : null;
  alts.forEach((_, j) => {
    out.gene[j] ??= gene;
    out.consequence[j] ??= consequence;
  });
}

/**
 * One frozen all-null annotation per ALT count, shared by every unannotated site: a worker's sites
 * travel to the ingest thread by structured clone, which sends a shared array once and then only
 * references to it (four fresh arrays per site measurably slowed ingest of the bench file).
 */
const UNANNOTATED: AlleleAnnotation[] = [];

function unannotated(altCount: number): AlleleAnnotation {
  let shared = UNANNOTATED[altCount];
  if (!shared) {
    const nulls = Object.freeze(new Array<null>(altCount).fill(null)) as null[];
    shared = Object.freeze({ gene: nulls, consequence: nulls, hgvsC: nulls, hgvsP: nulls });
    UNANNOTATED[altCount] = shared;
  }
  return shared;
}

export function annotateAlleles(info: InfoCapture, ref: string, alts: string[], csqFields: string[] | null): AlleleAnnotation {
  if (!info.ann && !(info.csq && csqFields) && !info.geneinfo && !info.mc) return unannotated(alts.length);
  const none = (): null[] => alts.map(() => null);
  const out: AlleleAnnotation = { gene: none(), consequence: none(), hgvsC: none(), hgvsP: none() };
  if (info.ann) fromAnn(info.ann, alts, out);
  else if (info.csq && csqFields) fromCsq(info.csq, csqFields, ref, alts, out);
  if (info.geneinfo || info.mc) fromClinvar(info, alts, out);
  return out;
}
