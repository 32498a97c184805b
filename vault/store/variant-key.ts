// One allele as users type it: `chr17:43045712:C:T` or `17-43045712-C-T`.
import type { VariantKey } from './query-engine.ts';
import { QueryInputError } from './query-input-error.ts';
import { normaliseChrom } from './region.ts';

export function parseVariantKey(text: string): VariantKey {
  const parts = text.trim().split(/[:-]/);
  const [chrom, pos, ref, alt] = parts;
  if (parts.length !== 4 || !chrom || !pos || !ref || !alt || !/^\d+$/.test(pos) || !/^[ACGTN]+$/i.test(ref) || !/^[ACGTN*]+$|^<[^<>]+>$/i.test(alt)) {
    throw new QueryInputError('variant: chrom:pos:ref:alt, e.g. chr17:43045712:C:T', 'variant');
  }
  return { chrom: normaliseChrom(chrom), pos: Number(pos), ref: ref.toUpperCase(), alt: alt.toUpperCase() };
}
