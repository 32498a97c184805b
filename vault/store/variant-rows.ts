// Turning matched rows (partition, rowid) into the rows callers see, from the decoded arrays.
import { MISSING_INT, ZYGOSITY_NAMES, type ZygosityCode } from '../ingest/call-columns.ts';
import type { CodedText } from './partition-codec.ts';
import type { LoadedPartition } from './loaded-partition.ts';

export interface VariantRow {
  sampleId: string;
  chrom: string;
  pos: number;
  id: string | null;
  ref: string;
  alt: string;
  altIndex: number;
  zygosity: string;
  phased: boolean;
  genotype: string;
  dp: number | null;
  gq: number | null;
  qual: number | null;
  filter: string | null;
  gene: string | null;
  consequence: string | null;
  clnsig: string | null;
  /** FORMAT AD: reads of the reference and of this allele */
  adRef: number | null;
  adAlt: number | null;
  /** variant allele fraction: this allele's reads over all of AD; null when AD is absent or sums to 0 */
  vaf: number | null;
  hgvsC: string | null;
  hgvsP: string | null;
}

function textAt(column: CodedText, row: number): string | null {
  const code = column.codes[row] ?? -1;
  return code < 0 ? null : (column.values[code] ?? null);
}

export function zygosityName(code: number): string {
  return ZYGOSITY_NAMES[code as ZygosityCode] ?? `unknown(${code})`;
}

/**
 * This allele's reads over all reads of AD (reference plus every ALT allele), to 4 decimals; null
 * when AD is absent, a needed value is missing, or the sum is 0.
 */
export function alleleFraction(adRef: number, adAlt: number, adOther: number): number | null {
  if (adRef === MISSING_INT || adAlt === MISSING_INT) return null;
  const total = adRef + adAlt + (adOther === MISSING_INT ? 0 : adOther);
  return total > 0 ? Math.round((adAlt / total) * 10_000) / 10_000 : null;
}

const orNull = (value: number): number | null => (value === MISSING_INT ? null : value);

export function variantRow(loaded: LoadedPartition, row: number): VariantRow {
  const d = loaded.data;
  // a partition without AD keeps empty AD columns
  const adRef = d.adRef[row] ?? MISSING_INT;
  const adAlt = d.adAlt[row] ?? MISSING_INT;
  const dp = d.dp[row]!;
  const gq = d.gq[row]!;
  const qual = d.qual[row]!;
  return {
    sampleId: loaded.ref.sampleId,
    chrom: d.chrom,
    pos: d.pos[row]!,
    id: textAt(d.text.id, row),
    ref: textAt(d.text.ref, row) ?? '',
    alt: textAt(d.text.alt, row) ?? '',
    altIndex: d.altIndex[row]!,
    zygosity: zygosityName(d.zygosity[row]!),
    phased: d.phased[row] === 1,
    genotype: textAt(d.text.gt, row) ?? '',
    dp: dp === MISSING_INT ? null : dp,
    gq: gq === MISSING_INT ? null : gq,
    qual: Number.isNaN(qual) ? null : qual,
    filter: textAt(d.text.filter, row),
    gene: textAt(d.text.gene, row),
    consequence: textAt(d.text.consequence, row),
    clnsig: textAt(d.text.clnsig, row),
    adRef: orNull(adRef),
    adAlt: orNull(adAlt),
    vaf: alleleFraction(adRef, adAlt, d.adOther[row] ?? MISSING_INT),
    hgvsC: textAt(d.text.hgvs_c, row),
    hgvsP: textAt(d.text.hgvs_p, row),
  };
}

/** chr1..chr22, chrX, chrY, chrM, then other contigs by name. */
export function chromRank(chrom: string): number {
  const bare = chrom.replace(/^chr/, '');
  if (/^\d+$/.test(bare)) return Number(bare);
  return { X: 23, Y: 24, M: 25 }[bare] ?? 100;
}

export function compareVariantRows(a: VariantRow, b: VariantRow): number {
  return chromRank(a.chrom) - chromRank(b.chrom) || a.chrom.localeCompare(b.chrom) || a.pos - b.pos || a.altIndex - b.altIndex || a.sampleId.localeCompare(b.sampleId);
}
