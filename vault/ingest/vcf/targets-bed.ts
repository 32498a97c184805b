// Reads a BED of targeted regions (0-based, half-open) into Coverage (1-based, inclusive).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Coverage } from '../call-columns.ts';
import { normaliseChrom } from './chrom-names.ts';
import { VcfFormatError } from './vcf-format-error.ts';

const SKIPPED = /^(?:#|track\b|browser\b)/;

export async function readTargetsBed(path: string): Promise<Coverage> {
  const intervals: Coverage['intervals'] = [];
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const raw of lines) {
    lineNo++;
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || SKIPPED.test(line)) continue;
    const fields = line.split('\t');
    const [chrom, startText, endText] = fields;
    if (!chrom || startText === undefined || endText === undefined) {
      throw new VcfFormatError(path, { line: lineNo, column: 1 }, 'BED line needs at least chrom, start and end separated by tabs');
    }
    const startColumn = chrom.length + 2;
    const endColumn = startColumn + startText.length + 1;
    if (!/^[0-9]+$/.test(startText)) throw new VcfFormatError(path, { line: lineNo, column: startColumn }, 'BED start is not a non-negative integer');
    if (!/^[0-9]+$/.test(endText)) throw new VcfFormatError(path, { line: lineNo, column: endColumn }, 'BED end is not a non-negative integer');
    const start = Number(startText);
    const end = Number(endText);
    if (end <= start) throw new VcfFormatError(path, { line: lineNo, column: endColumn }, 'BED end must be greater than start');
    intervals.push({ chrom: normaliseChrom(chrom), start: start + 1, end });
  }
  return { source: 'targets', intervals };
}
