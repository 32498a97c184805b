// Building coverage segments: what each sample's assay covered (a targets BED shared by a batch's
// samples, or one gVCF's blocks per sample), as profiles of merged intervals cut at window
// boundaries, with each window listing the samples of every profile that covers some of it. Samples
// assumed to be whole genomes have no profile: the index counts them as covering everywhere.
import type { CoverageSegment } from './segment-codec.ts';
import { windowOf, windowSpan } from './index-catalog.ts';
import { mergedIntervals } from '../coverage-index.ts';

export interface CoverageProfile {
  /** 1-based, inclusive, in any order; merged here as SampleCoverage merges them */
  intervals: readonly { chrom: string; start: number; end: number }[];
  /** sample numbers sharing these intervals */
  samples: readonly number[];
}

interface WindowPart {
  starts: number[];
  ends: number[];
  samples: readonly number[];
}

/** One coverage segment per (chromosome, window) any profile covers, keyed `chrom\twindow`. */
export function buildCoverageSegments(build: string, width: number, profiles: readonly CoverageProfile[]): CoverageSegment[] {
  const byWindow = new Map<string, { chrom: string; window: number; parts: WindowPart[] }>();
  for (const profile of profiles) {
    if (profile.samples.length === 0) continue;
    for (const [chrom, merged] of mergedIntervals(profile.intervals)) {
      const mine = new Map<number, WindowPart>();
      for (const [start, end] of merged) {
        for (let w = windowOf(start, width); w <= windowOf(end, width); w++) {
          const span = windowSpan(w, width);
          let part = mine.get(w);
          if (!part) mine.set(w, (part = { starts: [], ends: [], samples: profile.samples }));
          part.starts.push(Math.max(start, span.start));
          part.ends.push(Math.min(end, span.end));
        }
      }
      for (const [w, part] of mine) {
        const key = `${chrom}\t${w}`;
        let entry = byWindow.get(key);
        if (!entry) byWindow.set(key, (entry = { chrom, window: w, parts: [] }));
        entry.parts.push(part);
      }
    }
  }
  return [...byWindow.values()].map(({ chrom, window, parts }) => segmentOf({ build, chrom, window }, parts));
}

/** Profiles with equal intervals become one (a batch's targets, or two batches on one capture kit). */
function segmentOf(place: { build: string; chrom: string; window: number }, parts: readonly WindowPart[]): CoverageSegment {
  const profileOf = new Map<string, number>();
  const profile: number[] = [];
  const start: number[] = [];
  const end: number[] = [];
  const members: [number, number][] = [];
  for (const part of parts) {
    const key = `${part.starts.join(',')}/${part.ends.join(',')}`;
    let p = profileOf.get(key);
    if (p === undefined) {
      p = profileOf.size;
      profileOf.set(key, p);
      part.starts.forEach((s, i) => {
        profile.push(p!);
        start.push(s);
        end.push(part.ends[i]!);
      });
    }
    for (const sample of part.samples) members.push([sample, p]);
  }
  members.sort((a, b) => a[0] - b[0]);
  return {
    ...place,
    profile: Int32Array.from(profile), start: Int32Array.from(start), end: Int32Array.from(end),
    memberSample: Int32Array.from(members, (m) => m[0]), memberProfile: Int32Array.from(members, (m) => m[1]),
  };
}

/** Several coverage segments of one window as one, without the samples in `drop`; null when no sample is left. */
export function mergeCoverageSegments(segments: readonly CoverageSegment[], drop: ReadonlySet<number> = new Set()): CoverageSegment | null {
  const first = segments[0];
  if (!first) return null;
  const parts: WindowPart[] = [];
  for (const s of segments) {
    if (s.build !== first.build || s.chrom !== first.chrom || s.window !== first.window) throw new Error('only segments of one window merge');
    const byProfile = new Map<number, WindowPart>();
    for (let i = 0; i < s.profile.length; i++) {
      let part = byProfile.get(s.profile[i]!);
      if (!part) byProfile.set(s.profile[i]!, (part = { starts: [], ends: [], samples: [] }));
      part.starts.push(s.start[i]!);
      part.ends.push(s.end[i]!);
    }
    for (let i = 0; i < s.memberSample.length; i++) {
      if (drop.has(s.memberSample[i]!)) continue;
      (byProfile.get(s.memberProfile[i]!)?.samples as number[] | undefined)?.push(s.memberSample[i]!);
    }
    parts.push(...byProfile.values());
  }
  const kept = parts.filter((p) => p.samples.length > 0);
  return kept.length === 0 ? null : segmentOf(first, kept);
}
