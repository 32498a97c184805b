// Genomic regions as users type them: '17:43044295-43125483', 'chr17:43,044,295-43,125,483'
// or a whole chromosome 'chr17'. Positions are 1-based and inclusive at both ends. Errors say
// which part is wrong and what is expected, never the text given (it reaches HTTP clients and logs).

export interface Region {
  /** normalised like the store's partitions: chr1..chr22, chrX, chrY, chrM, other contigs as written */
  chrom: string;
  start: number;
  end: number;
}

export class RegionError extends Error {
  readonly code = 'BAD_REGION';
  constructor(message: string) {
    super(message);
    this.name = 'RegionError';
  }
}

/** Largest position a region may name (INTEGER columns hold positions). */
export const MAX_POSITION = 2_147_483_647;

const CONTIG = /^[A-Za-z0-9_.\-*]{1,64}$/;

/** 'chr17', '17', 'CHR17' → 'chr17'; 'MT'/'M' → 'chrM'; other contigs kept as written. */
export function normaliseChrom(name: string): string {
  const bare = name.replace(/^chr/i, '');
  if (/^([1-9]|1[0-9]|2[0-2])$/.test(bare)) return `chr${bare}`;
  const upper = bare.toUpperCase();
  if (upper === 'X' || upper === 'Y') return `chr${upper}`;
  if (upper === 'M' || upper === 'MT') return 'chrM';
  return name;
}

function parsePosition(text: string, what: 'start' | 'end'): number {
  const digits = text.replace(/,/g, '');
  if (!/^[0-9]+$/.test(digits)) throw new RegionError(`region: the ${what} position is not a whole number (digits, optionally with thousands commas)`);
  const value = Number(digits);
  if (value < 1 || value > MAX_POSITION) throw new RegionError(`region: the ${what} position must be between 1 and ${MAX_POSITION}`);
  return value;
}

export function parseRegion(input: string): Region {
  const text = input.trim();
  if (text === '') throw new RegionError('region is empty; expected chrom, chrom:start-end or chrom:pos');
  const colon = text.lastIndexOf(':');
  const chromText = colon < 0 ? text : text.slice(0, colon);
  if (!CONTIG.test(chromText)) throw new RegionError('region: the chromosome is not a valid contig name (1 to 64 of A-Z, a-z, 0-9, _ . - *)');
  const chrom = normaliseChrom(chromText);
  if (colon < 0) return { chrom, start: 1, end: MAX_POSITION };
  const range = text.slice(colon + 1);
  const dash = range.indexOf('-');
  const start = parsePosition(dash < 0 ? range : range.slice(0, dash), 'start');
  const end = dash < 0 ? start : parsePosition(range.slice(dash + 1), 'end');
  if (end < start) throw new RegionError('region: the end position is before the start position');
  return { chrom, start, end };
}

export function formatRegion(region: Region): string {
  return `${region.chrom}:${region.start}-${region.end}`;
}

/** True when [aStart, aEnd] and [bStart, bEnd] (inclusive) share at least one position. */
export function overlaps(aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  return aStart <= bEnd && bStart <= aEnd;
}
