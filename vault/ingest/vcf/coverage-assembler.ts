// Gathers, in file order, what each sample's assay covered: gVCF reference blocks and the sites
// it was called at, merged into intervals. A file without reference blocks says nothing about
// coverage, so its samples are recorded as an assumed whole genome.
import type { Coverage } from '../call-columns.ts';
import type { ChunkResult } from './chunk-result.ts';
import { normaliseChrom } from './chrom-names.ts';

export class CoverageAssembler {
  private readonly intervals: Coverage['intervals'][];
  private refBlocks = 0;

  constructor(sampleCount: number) {
    this.intervals = Array.from({ length: sampleCount }, () => []);
  }

  add(result: ChunkResult): void {
    this.refBlocks += result.refBlocks;
    for (let i = 0; i < result.covSample.length; i++) {
      const list = this.intervals[result.covSample[i] ?? 0];
      if (!list) continue;
      const chrom = normaliseChrom(result.chromNames[result.covChrom[i] ?? 0] ?? '');
      const start = result.covStart[i] ?? 0;
      const end = result.covEnd[i] ?? 0;
      const last = list[list.length - 1];
      if (last && last.chrom === chrom && start <= last.end + 1 && start >= last.start) {
        last.end = Math.max(last.end, end);
      } else {
        list.push({ chrom, start, end });
      }
    }
  }

  of(sample: number): Coverage {
    return this.refBlocks > 0 ? { source: 'gvcf', intervals: this.intervals[sample] ?? [] } : { source: 'assumed_wgs', intervals: [] };
  }
}
