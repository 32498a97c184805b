// What each sample's assay covered, recorded at ingest: a whole genome (no evidence otherwise), the
// targets BED of an exome or panel, or a gVCF's reference blocks and sites. Cohort answers count only
// samples covering the position, and a patient answer says when the region was not covered (not
// tested is not the same as no variant). Coverage is sealed with the sample's key, so it is read
// (decrypted) only for samples that have intervals, once, and kept while the vault stays open.
import { createHash } from 'node:crypto';
import type { CatalogSample } from './catalog.ts';
import { decodeCoverage } from './coverage-codec.ts';

/** One chromosome's covered intervals, sorted and merged. */
interface ChromIntervals {
  starts: Int32Array;
  ends: Int32Array;
}

export class SampleCoverage {
  readonly wholeGenome: boolean;
  /** built per chromosome on first use: a one-gene query needs one of ~25 (an exome BED has ~40k intervals) */
  private readonly byChrom = new Map<string, ChromIntervals>();

  /** `null` intervals: the whole genome. */
  constructor(private readonly intervals: readonly { chrom: string; start: number; end: number }[] | null) {
    this.wholeGenome = intervals === null;
  }

  /** One chromosome's intervals sorted and merged, in typed arrays (tuples per interval cost ~100 ms per exome, cold). */
  private chromosome(chrom: string): ChromIntervals {
    const known = this.byChrom.get(chrom);
    if (known) return known;
    const mine = (this.intervals ?? []).filter((i) => i.chrom === chrom);
    // a BED is usually sorted already: check before paying for a sort
    if (mine.some((x, i) => i > 0 && x.start < mine[i - 1]!.start)) mine.sort((a, b) => a.start - b.start);
    const starts = new Int32Array(mine.length);
    const ends = new Int32Array(mine.length);
    let n = 0;
    for (const { start, end } of mine) {
      if (n > 0 && start <= ends[n - 1]! + 1) ends[n - 1] = Math.max(ends[n - 1]!, end);
      else {
        starts[n] = start;
        ends[n] = end;
        n++;
      }
    }
    const found = { starts: starts.subarray(0, n), ends: ends.subarray(0, n) };
    this.byChrom.set(chrom, found);
    return found;
  }

  /** Bases of [start, end] on `chrom` the assay covered. */
  coveredBases(chrom: string, start: number, end: number): number {
    if (this.wholeGenome) return end - start + 1;
    const found = this.chromosome(chrom);
    let covered = 0;
    // first interval ending at or after start
    let lo = 0;
    let hi = found.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (found.ends[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < found.starts.length && found.starts[i]! <= end; i++) {
      covered += Math.min(end, found.ends[i]!) - Math.max(start, found.starts[i]!) + 1;
    }
    return covered;
  }

  covers(chrom: string, pos: number): boolean {
    return this.coveredBases(chrom, pos, pos) === 1;
  }
}

/** Intervals per chromosome, sorted, with overlapping and touching ones merged as SampleCoverage merges them (the research index cuts these into windows). */
export function mergedIntervals(intervals: readonly { chrom: string; start: number; end: number }[]): Map<string, [number, number][]> {
  const grouped = new Map<string, [number, number][]>();
  for (const i of intervals) {
    let list = grouped.get(i.chrom);
    if (!list) grouped.set(i.chrom, (list = []));
    list.push([i.start, i.end]);
  }
  for (const [chrom, list] of grouped) {
    list.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [start, end] of list) {
      const last = merged[merged.length - 1];
      if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
      else merged.push([start, end]);
    }
    grouped.set(chrom, merged);
  }
  return grouped;
}

const WHOLE_GENOME = new SampleCoverage(null);
/** coverages kept decoded; a cohort of targeted samples needs one each */
const KEPT = 4096;

export class CoverageIndex {
  private readonly kept = new Map<string, SampleCoverage>();
  /**
   * By the plaintext's digest: samples sequenced on the same targets BED hold the same coverage,
   * decoded and kept once (decoding a 1,000-exome cohort's coverage took ~1.3 s of its cold
   * query), and cohort answers then test each distinct coverage once per position.
   */
  private readonly byContent = new Map<string, SampleCoverage>();

  /** `read` returns a sealed partition's plaintext (Vault.read). */
  constructor(private readonly read: (partitionId: string) => Promise<Uint8Array>) {}

  /** Forgets the coverage of samples the catalog no longer holds (erased). */
  retainOnly(partitionIds: ReadonlySet<string>): void {
    for (const id of [...this.kept.keys()]) if (!partitionIds.has(id)) this.kept.delete(id);
    // a coverage no kept sample holds goes too (an erased gVCF sample's blocks are its own)
    const held = new Set(this.kept.values());
    for (const [digest, coverage] of [...this.byContent]) if (!held.has(coverage)) this.byContent.delete(digest);
  }

  async of(sample: CatalogSample): Promise<SampleCoverage> {
    const { source, partitionId } = sample.coverage;
    if (source === 'assumed_wgs' || partitionId === null) return WHOLE_GENOME;
    const hit = this.kept.get(partitionId);
    if (hit) return hit;
    const plaintext = await this.read(partitionId);
    const digest = createHash('sha256').update(plaintext).digest('base64');
    let coverage = this.byContent.get(digest);
    if (!coverage) {
      coverage = new SampleCoverage(decodeCoverage(plaintext).intervals);
      if (this.byContent.size >= KEPT) this.byContent.delete(this.byContent.keys().next().value ?? '');
      this.byContent.set(digest, coverage);
    }
    if (this.kept.size >= KEPT) this.kept.delete(this.kept.keys().next().value ?? '');
    this.kept.set(partitionId, coverage);
    return coverage;
  }
}
