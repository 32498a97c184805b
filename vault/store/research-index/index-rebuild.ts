// Building the research index from the per-sample partitions: for vaults made before the index
// existed (their cohort answers read the per-sample partitions until then), or to choose another
// window width. Every sample with a recorded build is read chromosome by chromosome, a group of
// samples at a time so memory stays bounded, and the new index replaces the old one in one commit
// (the old index's files are deleted and its keys leave the manifest), made under the writer lock.
import { genomeBuildOf } from '../../../schemas/genome-build.ts';
import type { Vault } from '../vault.ts';
import type { CatalogSample } from '../catalog.ts';
import { decodeCoverage } from '../coverage-codec.ts';
import { emptyIndex, DEFAULT_WINDOW_WIDTH } from './index-catalog.ts';
import { IndexChange } from './index-change.ts';
import type { CallRows, VariantTable } from './segment-build.ts';
import { significanceMask } from './significance-mask.ts';

export interface RebuildReport {
  samples: number;
  /** samples left out: no recorded build (ingested before builds were required) */
  withoutBuild: number;
  calls: number;
  segments: number;
  windowWidth: number;
  seconds: number;
}

/** Calls read before a group's windows are written. */
const ROWS_PER_GROUP = 2_000_000;

/**
 * Rebuilds under the writer lock: it replaces what every other change would add to, so other
 * changes wait for it (an ingest prepared meanwhile joins the new index when it commits).
 */
export function rebuildIndex(vault: Vault, options: { windowWidth?: number } = {}): Promise<RebuildReport> {
  return vault.exclusive(() => rebuildLocked(vault, options));
}

async function rebuildLocked(vault: Vault, options: { windowWidth?: number }): Promise<RebuildReport> {
  const started = performance.now();
  const windowWidth = options.windowWidth ?? vault.catalog.data.index?.windowWidth ?? DEFAULT_WINDOW_WIDTH;
  const change = vault.beginChange();
  try {
    for (const s of vault.catalog.data.index?.segments ?? []) {
      change.removePack(s.file);
      change.dropKey(s.keyId);
    }
    change.index = emptyIndex(windowWidth);
    const index = IndexChange.of(change, vault)!;
    const samples = vault.catalog.data.samples.filter((s) => s.build !== null && genomeBuildOf(s.build) !== null);
    const numbers = new Map(index.registerSamples(samples.map((s) => s.sampleId)).map((n, i) => [samples[i]!.sampleId, n]));
    let calls = 0;
    for (const [build, ofBuild] of groupBy(samples, (s) => genomeBuildOf(s.build!)!)) {
      calls += await indexCalls(vault, index, build, ofBuild, numbers);
      await index.addCoverage(build, await coverageProfiles(vault, ofBuild, numbers));
    }
    await index.finish();
    const segments = change.index?.segments.length ?? 0;
    await vault.commit(change);
    return { samples: samples.length, withoutBuild: vault.catalog.data.samples.length - samples.length, calls, segments, windowWidth, seconds: (performance.now() - started) / 1000 };
  } catch (err) {
    await change.abort();
    throw err;
  }
}

/** Every calls partition of the build's samples, chromosome by chromosome, a group of samples at a time. */
async function indexCalls(vault: Vault, index: IndexChange, build: string, samples: readonly CatalogSample[], numbers: ReadonlyMap<string, number>): Promise<number> {
  const ids = new Set(samples.map((s) => s.sampleId));
  const partitions = vault.catalog.callPartitions(ids).sort((a, b) => (numbers.get(a.sampleId) ?? 0) - (numbers.get(b.sampleId) ?? 0));
  let total = 0;
  for (const [chrom, ofChrom] of groupBy(partitions, (p) => p.chrom)) {
    let group: typeof ofChrom = [];
    let rows = 0;
    const flush = async () => {
      if (group.length > 0) total += await indexGroup(vault, index, build, chrom, group, numbers);
      group = [];
      rows = 0;
    };
    for (const p of ofChrom) {
      if (rows + p.rows > ROWS_PER_GROUP) await flush();
      group.push(p);
      rows += p.rows;
    }
    await flush();
  }
  return total;
}

async function indexGroup(vault: Vault, index: IndexChange, build: string, chrom: string, partitions: ReturnType<Vault['catalog']['callPartitions']>, numbers: ReadonlyMap<string, number>): Promise<number> {
  const pos: number[] = [];
  const ref: string[] = [];
  const alt: string[] = [];
  const significance: number[] = [];
  const sample: number[] = [];
  const zygosity: number[] = [];
  const gt: number[] = [];
  const genotypes = new Map<string, number>();
  for (const entry of partitions) {
    const p = await vault.readPartition(entry);
    const n = numbers.get(entry.sampleId) ?? -1;
    const text = (column: { values: string[]; codes: Int32Array }, i: number): string | null => {
      const code = column.codes[i]!;
      return code < 0 ? null : column.values[code]!;
    };
    for (let i = 0; i < p.rows; i++) {
      pos.push(p.pos[i]!);
      ref.push(text(p.text.ref, i) ?? '');
      alt.push(text(p.text.alt, i) ?? '');
      significance.push(significanceMask(text(p.text.clnsig, i)));
      sample.push(n);
      zygosity.push(p.zygosity[i]!);
      const genotype = text(p.text.gt, i) ?? '';
      let code = genotypes.get(genotype);
      if (code === undefined) genotypes.set(genotype, (code = genotypes.size));
      gt.push(code);
    }
  }
  const variants: VariantTable = { pos: Int32Array.from(pos), ref, alt, significance: Int32Array.from(significance) };
  const calls: CallRows = {
    variant: Int32Array.from(pos, (_, i) => i), sample: Int32Array.from(sample), zygosity: Uint8Array.from(zygosity), gt: Int32Array.from(gt), genotypes: [...genotypes.keys()],
  };
  await index.addCalls(build, chrom, variants, calls);
  return pos.length;
}

async function coverageProfiles(vault: Vault, samples: readonly CatalogSample[], numbers: ReadonlyMap<string, number>) {
  const profiles = [];
  for (const s of samples) {
    const { source, partitionId } = s.coverage;
    if (source === 'assumed_wgs' || partitionId === null) continue;
    profiles.push({ intervals: decodeCoverage(await vault.read({ partitionId })).intervals, samples: [numbers.get(s.sampleId)!] });
  }
  return profiles;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
