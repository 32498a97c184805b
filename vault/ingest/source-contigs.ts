// How the file spells its chromosomes ('17' or 'chr17'): the store keeps one spelling (chr17) so
// both meet in one partition, and answers give rows back in the file's own spelling, as bcftools does.
import { normaliseChrom } from './vcf/chrom-names.ts';

export class SourceContigs {
  private readonly spelled = new Map<string, string>();

  /** Notes the raw CHROM names of one parsed chunk. */
  add(rawNames: readonly string[]): void {
    for (const raw of rawNames) {
      const normal = normaliseChrom(raw);
      if (normal !== raw && !this.spelled.has(normal)) this.spelled.set(normal, raw);
    }
  }

  /** The catalog field: stored name → name as written, only where they differ (nothing for a chr-named file). */
  forCatalog(): { sourceContigs?: Record<string, string> } {
    return this.spelled.size === 0 ? {} : { sourceContigs: Object.fromEntries(this.spelled) };
  }
}
