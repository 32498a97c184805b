// How one VCF-style allele (chrom, 1-based pos, ref, alt) is written in the FHIR output:
// interbase coordinates, a readable genomic notation, and gHGVS where we can write it honestly.

const PLAIN_BASES = /^[ACGTN]+$/;

/** True for an allele spelled in bases; false for '<DEL>', '*', breakends and the like. */
export function isPlainAllele(allele: string): boolean {
  return PLAIN_BASES.test(allele);
}

/**
 * 0-based interbase interval of the reference allele as written in the VCF (anchor base included
 * for indels): start = pos - 1, end = start + ref length. This is the IG's `0-based interval
 * counting` (LOINC LA30100-4); the alleles are not left- or right-normalised.
 */
export function interbaseInterval(pos: number, ref: string): { start: number; end: number } {
  const start = pos - 1;
  return { start, end: start + ref.length };
}

interface Substitution {
  first: number;
  last: number;
  ref: string;
  alt: string;
}

/** A same-length change, trimmed of shared leading and trailing bases; null for indels. */
function substitution(pos: number, ref: string, alt: string): Substitution | null {
  if (ref.length !== alt.length || !isPlainAllele(ref) || !isPlainAllele(alt) || ref === alt) return null;
  let head = 0;
  while (ref[head] === alt[head]) head += 1;
  let tail = ref.length;
  while (ref[tail - 1] === alt[tail - 1]) tail -= 1;
  return { first: pos + head, last: pos + tail - 1, ref: ref.slice(head, tail), alt: alt.slice(head, tail) };
}

/** The HGVS g. change of a substitution: `43045712C>T` (one base) or `100_101delinsTT`. */
function hgvsChange(s: Substitution): string {
  return s.first === s.last ? `${s.first}${s.ref}>${s.alt}` : `${s.first}_${s.last}delins${s.alt}`;
}

/**
 * A readable name for the variant: `chr17:g.43045712C>T` for substitutions (HGVS-style, but on a
 * chromosome name, so not a valid HGVS string); `chr17-43045711-CA-C` (VCF style) otherwise,
 * because an indel's HGVS form needs the reference sequence to shift it 3'.
 */
export function readableVariantName(chrom: string, pos: number, ref: string, alt: string): string {
  const s = substitution(pos, ref.toUpperCase(), alt.toUpperCase());
  return s ? `${chrom}:g.${hgvsChange(s)}` : `${chrom}-${pos}-${ref}-${alt}`;
}

/** gHGVS on a RefSeq accession, `NC_000017.11:g.43045712C>T`, for substitutions only; else null. */
export function genomicHgvs(accession: string, pos: number, ref: string, alt: string): string | null {
  const s = substitution(pos, ref.toUpperCase(), alt.toUpperCase());
  return s ? `${accession}:g.${hgvsChange(s)}` : null;
}
