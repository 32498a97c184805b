// What `genovault index status` says of a vault's research index: no sample or patient data, only counts.
import { genomeBuildOf } from '../../../schemas/genome-build.ts';
import type { CatalogData } from '../catalog.ts';

export function indexStatus(catalog: CatalogData): string[] {
  const index = catalog.index;
  if (!index) return ['no research index: cohort answers read every sample\'s partitions; run genovault index rebuild'];
  const indexed = new Set(index.samples.filter((id): id is string => id !== null));
  const builds = new Map<string, { samples: number; indexed: number }>();
  for (const s of catalog.samples) {
    const build = s.build === null ? null : genomeBuildOf(s.build);
    if (!build) continue;
    const entry = builds.get(build) ?? { samples: 0, indexed: 0 };
    entry.samples++;
    if (indexed.has(s.sampleId)) entry.indexed++;
    builds.set(build, entry);
  }
  const lines = [
    `research index: ${index.windowWidth}-base windows, ${indexed.size} samples, ${index.segments.length} segments in ${new Set(index.segments.map((s) => s.file)).size} files under ${new Set(index.segments.map((s) => s.keyId)).size} keys`,
  ];
  for (const [build, { samples, indexed: n }] of [...builds].sort()) {
    lines.push(`${build}: ${n} of ${samples} samples indexed${n === samples ? ' (cohort answers read the index)' : ' (cohort answers read the per-sample partitions until genovault index rebuild)'}`);
  }
  return lines;
}
