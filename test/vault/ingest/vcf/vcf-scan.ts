// Test helper: an independent, deliberately simple line scan of a VCF (no validation), to compute
// expectations the reader must meet. Shares no code with the reader.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface ScannedRecord {
  line: number;
  chrom: string;
  pos: number;
  ref: string;
  alts: string[];
  info: string;
  format: string[];
  samples: string[];
}

export function scanVcf(path: string): { samples: string[]; records: ScannedRecord[] } {
  const raw = readFileSync(path);
  return scanVcfText((raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8'));
}

/** The same scan over VCF text (e.g. what bcftools printed). */
export function scanVcfText(text: string): { samples: string[]; records: ScannedRecord[] } {
  const lines = text.split('\n');
  let samples: string[] = [];
  const records: ScannedRecord[] = [];
  lines.forEach((line, index) => {
    if (line === '' || line.startsWith('##')) return;
    const cols = line.split('\t');
    if (line.startsWith('#CHROM')) {
      samples = cols.slice(9);
      return;
    }
    records.push({
      line: index + 1,
      chrom: cols[0] ?? '',
      pos: Number(cols[1]),
      ref: cols[3] ?? '',
      alts: cols[4] === '.' ? [] : (cols[4] ?? '').split(','),
      info: cols[7] ?? '',
      format: (cols[8] ?? '').split(':'),
      samples: cols.slice(9),
    });
  });
  return { samples, records };
}

const NOT_A_VARIANT = new Set(['<NON_REF>', '<*>', '*']);

export function isReferenceBlock(record: ScannedRecord): boolean {
  return record.alts.length > 0 && record.alts.every((a) => a === '<NON_REF>' || a === '<*>') && /(^|;)END=/.test(record.info);
}

/** The distinct alternate alleles (1-based) that a sample's GT carries, as the reader should store them. */
export function carriedAlleles(record: ScannedRecord, sample: number): number[] {
  // GT is the first key by the spec; Complete Genomics writes it last
  const at = record.format.indexOf('GT');
  if (at < 0 || isReferenceBlock(record)) return [];
  const gt = (record.samples[sample] ?? '').split(':')[at] ?? '';
  const alleles = gt.split(/[/|]/).filter((a) => a !== '.' && a !== '').map(Number);
  return [...new Set(alleles)].filter((a) => a > 0 && a <= 255 && !NOT_A_VARIANT.has(record.alts[a - 1] ?? '*'));
}
