// The exome-like target set behind a generated VCF, as BED (0-based, half-open), so ingest can
// record what the assay covered. Same seed, build and chromosomes as the VCF: same targets.
import { writeFile } from 'node:fs/promises';
import { planSitePool } from './site-pool.ts';
import { DEFAULT_VARIANTS_PER_SAMPLE } from './write-vcf.ts';
import type { Build } from './genome-builds.ts';

export interface TargetsBedOptions {
  seed: number;
  variantsPerSample?: number;
  build?: Build;
  chromosomes?: readonly string[];
}

export interface TargetsBedReport {
  path: string;
  intervals: number;
  /** bases covered */
  bases: number;
}

export async function writeTargetsBed(path: string, options: TargetsBedOptions): Promise<TargetsBedReport> {
  const pool = planSitePool({
    seed: options.seed,
    variantsPerSample: options.variantsPerSample ?? DEFAULT_VARIANTS_PER_SAMPLE,
    build: options.build ?? 'GRCh38',
    chromosomes: options.chromosomes,
  });
  const lines: string[] = [];
  let bases = 0;
  for (const chrom of pool) {
    for (const t of chrom.targets) {
      lines.push(`${chrom.name}\t${t.start - 1}\t${t.end}`);
      bases += t.end - t.start + 1;
    }
  }
  // a few thousand lines at exome size: one write is simpler than a stream and small enough
  await writeFile(path, lines.length > 0 ? `${lines.join('\n')}\n` : '', { mode: 0o644 });
  return { path, intervals: lines.length, bases };
}
