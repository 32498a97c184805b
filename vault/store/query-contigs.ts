// A region or variant must name a contig the query's build has (or one a sample queried has calls
// on: unplaced contigs, decoys) and a position inside it: an answer for `chrZ` or for a position past
// the chromosome's end would be empty for a reason nobody asked about.
import { CHROMOSOME_LENGTHS, primaryChromosomes, type GenomeBuildName } from '../../schemas/genome-build.ts';
import { closestNames } from '../genes/closest-names.ts';
import { QueryInputError, type QueryField } from './query-input-error.ts';

export function checkContig(field: QueryField, chrom: string, start: number, build: GenomeBuildName, heldContigs: Iterable<string>): void {
  const primary = primaryChromosomes(build);
  const held = new Set(heldContigs);
  if (!primary.includes(chrom) && !held.has(chrom)) {
    const others = [...held].filter((c) => !primary.includes(c)).sort();
    const listed = primary.length > 0 ? `${build} has chr1-chr22, chrX, chrY, chrM (written with or without chr)` : `no chromosome list is kept for ${build}`;
    const extra = others.length > 0 ? `; the samples queried also have ${others.slice(0, 10).join(', ')}${others.length > 10 ? ', ...' : ''}` : '';
    const closest = closestNames(chrom, [...primary, ...others], 3);
    throw new QueryInputError(`${field}: not a contig of ${build} nor of any sample queried; ${listed}${extra}${closest.length > 0 ? `; closest: ${closest.join(', ')}` : ''}`, field);
  }
  const length = CHROMOSOME_LENGTHS[build][chrom];
  if (length !== undefined && start > length) {
    throw new QueryInputError(`${field}: starts past the end of ${chrom}, which is ${length.toLocaleString('en-US')} bp long in ${build}`, field);
  }
}
