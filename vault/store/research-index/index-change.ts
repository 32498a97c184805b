// The research index's part of one vault change (an ingest, an erasure, a rebuild). New segments
// are sealed under one fresh key for the whole change and written as pack files under index/,
// one per call (a chromosome's windows, or a batch's coverage); each window's segments are merged
// by size tier as they come (merge-plan.ts). Nothing is visible until the vault change commits;
// an aborted change deletes every file written here.
//
// Two ways in. A change made under the writer lock on the newest index (erasure, rebuild) edits
// the change's index in place (IndexChange.of). An ingest is prepared without the lock while other
// changes commit (vault-change.ts), so it writes windows of its own only, with its samples numbered
// from the index it began on, and joins them to the index at commit, under the lock, on the newest
// committed index (IndexChange.forAddition): its numbers move past any committed meanwhile (a shift
// in the catalog, nothing rewritten) and merges read only what is committed then, so neither
// another ingest's segments are lost nor an erasure's removed rows brought back.
//
// Erasure rule (crypto-shredding): every segment written under a key records the sample numbers of
// everything written under that key, so removing a sample retires each key that ever sealed its
// rows: all live segments under it are re-written under the new key (without the sample), the old
// pack files are deleted and the old keys leave the manifest. Merged-away copies in old packs are
// then unreadable with any key the vault holds.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { randomId } from '../ids.ts';
import type { VaultChange } from '../vault-change.ts';
import { rangesHold, rangesOf, unionRanges, type IndexCatalog, type IndexSegment } from './index-catalog.ts';
import { planMerges } from './merge-plan.ts';
import { buildCallsSegments, mergeCallsSegments, type CallRows, type VariantTable } from './segment-build.ts';
import { buildCoverageSegments, mergeCoverageSegments, type CoverageProfile } from './coverage-build.ts';
import { encodeCallsSegment, encodeCoverageSegment, type CallsSegment, type CoverageSegment } from './segment-codec.ts';
import { readCallsSegment, readCoverageSegment, segmentPlaintext, type SegmentKeys } from './segment-store.ts';

type Decoded = { kind: 'calls'; segment: CallsSegment } | { kind: 'coverage'; segment: CoverageSegment };

/** A segment to write: encoded now from `decoded`, or an existing segment's plaintext re-sealed as it is. */
interface Output {
  place: Pick<IndexSegment, 'build' | 'chrom' | 'window' | 'kind' | 'rows' | 'maxStop' | 'sampleShift'>;
  plaintext: Uint8Array;
  /** at least the sample numbers it holds */
  samples: [number, number][];
}

/** A pack holding less than this share of live bytes is copied into the change's own pack and deleted. */
const MIN_LIVE_SHARE = 0.5;

export class IndexChange {
  private keyId: string | null = null;
  /** sample numbers written under this change's key */
  private written: [number, number][] = [];
  private readonly baseFiles: Set<string>;
  private readonly baseKeys: Set<string>;
  private readonly ownFiles = new Set<string>();
  /** base packs that lost a segment in this change */
  private readonly thinned = new Set<string>();
  private readonly keys: SegmentKeys;

  private constructor(
    private readonly change: VaultChange,
    private readonly index: IndexCatalog,
    private readonly vault: { dataDir: string; vaultId: string },
    /** an addition's: the number of samples the index it began on had (its own are numbered from there); null when editing in place */
    private readonly baseCount: number | null = null,
  ) {
    this.baseFiles = new Set(index.segments.map((s) => s.file));
    this.baseKeys = new Set(index.segments.map((s) => s.keyId));
    this.keys = { dataDir: vault.dataDir, vaultId: vault.vaultId, keyOf: (id) => change.keyOf(id) };
  }

  /** The index part of `change`, edited in place, or null when the vault keeps no index: for changes made under the writer lock. */
  static of(change: VaultChange, vault: { dataDir: string; vaultId: string }): IndexChange | null {
    const index = change.index;
    return index ? new IndexChange(change, index, vault) : null;
  }

  /** The index part of an additive change (an ingest), joined to the newest committed index at commit; null when the vault keeps no index. */
  static forAddition(change: VaultChange, vault: { dataDir: string; vaultId: string }): IndexChange | null {
    const base = change.index;
    if (!base) return null;
    const own: IndexCatalog = { format: base.format, windowWidth: base.windowWidth, samples: [...base.samples], segments: [] };
    return new IndexChange(change, own, vault, base.samples.length);
  }

  get windowWidth(): number {
    return this.index.windowWidth;
  }

  /** Gives each new sample the next number (recorded under this change's key, which keeps its ranges whole). */
  registerSamples(sampleIds: readonly string[]): number[] {
    const numbers = sampleIds.map((id) => this.index.samples.push(id) - 1);
    this.written = unionRanges([this.written, rangesOf(numbers)]);
    return numbers;
  }

  /** One chromosome's calls (sample numbers, -1 for calls not stored), into their windows. */
  async addCalls(build: string, chrom: string, variants: VariantTable, calls: CallRows): Promise<void> {
    const segments = buildCallsSegments({ build, chrom }, this.windowWidth, variants, calls);
    await this.place(segments.map((segment) => ({ kind: 'calls', segment })));
  }

  /** What the samples' assays covered (whole-genome samples need nothing), into every window it reaches. */
  async addCoverage(build: string, profiles: readonly CoverageProfile[]): Promise<void> {
    const segments = buildCoverageSegments(build, this.windowWidth, profiles);
    await this.place(segments.map((segment) => ({ kind: 'coverage', segment })));
  }

  /** Adds each new segment to its window, merging where its size tier fills; one pack for all. */
  private async place(news: readonly Decoded[]): Promise<void> {
    const outputs: Output[] = [];
    for (const item of news) {
      const s = item.segment;
      const existing = this.index.segments.filter((x) => x.kind === item.kind && x.build === s.build && x.chrom === s.chrom && x.window === s.window);
      const newRows = rowsOf(item);
      const group = planMerges([...existing.map((x) => x.rows), newRows]).find((g) => g.includes(existing.length));
      if (!group) {
        outputs.push(outputOf(item));
        continue;
      }
      const members = group.filter((i) => i < existing.length).map((i) => existing[i]!);
      const merged = await this.merged(item, members);
      this.forget(members);
      if (merged) outputs.push(outputOf(merged, members));
    }
    await this.write(outputs);
  }

  private merged(item: Decoded, members: readonly IndexSegment[], drop?: ReadonlySet<number>): Promise<Decoded | null> {
    return item.kind === 'calls' ? this.mergedOf('calls', members, drop, [item.segment]) : this.mergedOf('coverage', members, drop, [item.segment]);
  }

  /** `members` read back and merged (after `first`, segments not stored yet), without the samples in `drop`. */
  private async mergedOf(kind: 'calls', members: readonly IndexSegment[], drop?: ReadonlySet<number>, first?: CallsSegment[]): Promise<Decoded | null>;
  private async mergedOf(kind: 'coverage', members: readonly IndexSegment[], drop?: ReadonlySet<number>, first?: CoverageSegment[]): Promise<Decoded | null>;
  private async mergedOf(kind: Decoded['kind'], members: readonly IndexSegment[], drop?: ReadonlySet<number>, first: (CallsSegment | CoverageSegment)[] = []): Promise<Decoded | null> {
    if (kind === 'calls') {
      const parts = [...(first as CallsSegment[]), ...(await Promise.all(members.map((m) => readCallsSegment(this.keys, m))))];
      const segment = mergeCallsSegments(parts, drop);
      return segment ? { kind: 'calls', segment } : null;
    }
    const parts = [...(first as CoverageSegment[]), ...(await Promise.all(members.map((m) => readCoverageSegment(this.keys, m))))];
    const segment = mergeCoverageSegments(parts, drop);
    return segment ? { kind: 'coverage', segment } : null;
  }

  /**
   * Erasure: the sample leaves every segment, and every key that sealed any of its rows is retired
   * (the segments under it are re-sealed under this change's key, their packs deleted at commit).
   */
  async removeSample(sampleId: string): Promise<void> {
    const n = this.index.samples.indexOf(sampleId);
    if (n < 0) return;
    this.index.samples[n] = null;
    const retired = new Set(this.index.segments.filter((s) => rangesHold(s.samples, n)).map((s) => s.keyId));
    const moving = this.index.segments.filter((s) => retired.has(s.keyId));
    // one pack per chromosome, so memory holds one chromosome's segments at a time
    const byChrom = new Map<string, IndexSegment[]>();
    for (const s of moving) byChrom.set(`${s.build}\t${s.chrom}`, [...(byChrom.get(`${s.build}\t${s.chrom}`) ?? []), s]);
    const drop = new Set([n]);
    for (const segments of byChrom.values()) {
      const outputs: Output[] = [];
      for (const s of segments) {
        if (!rangesHold(s.samples, n)) {
          outputs.push(await this.resealed(s));
          continue;
        }
        const item: Decoded = s.kind === 'calls' ? { kind: 'calls', segment: await readCallsSegment(this.keys, s) } : { kind: 'coverage', segment: await readCoverageSegment(this.keys, s) };
        const left = await this.merged(item, [], drop);
        if (left) outputs.push(outputOf(left));
      }
      this.forget(segments);
      await this.write(outputs);
    }
  }

  /** An existing segment as it is, to be sealed again under this change's key. */
  private async resealed(s: IndexSegment): Promise<Output> {
    return { place: s, plaintext: await segmentPlaintext(this.keys, s), samples: s.samples };
  }

  private forget(segments: readonly IndexSegment[]): void {
    for (const s of segments) if (this.baseFiles.has(s.file)) this.thinned.add(s.file);
    const gone = new Set(segments.map((s) => s.id));
    this.index.segments = this.index.segments.filter((s) => !gone.has(s.id));
  }

  /** Seals the outputs under the change's key into one new pack file and lists them. */
  private async write(outputs: readonly Output[]): Promise<void> {
    if (outputs.length === 0) return;
    if (!this.keyId) {
      this.keyId = randomId('x');
      this.change.ensureKey(this.keyId);
    }
    const keyId = this.keyId;
    const file = join('index', keyId, `${randomId('k')}.gvk`);
    const ids = outputs.map(() => randomId('w'));
    const places = await this.change.writeSealedPack(file, outputs.map((o, i) => ({ objectId: ids[i]!, version: 1, keyId, plaintext: o.plaintext })));
    this.ownFiles.add(file);
    this.written = unionRanges([this.written, ...outputs.map((o) => o.samples)]);
    outputs.forEach((o, i) => {
      const { build, chrom, window, kind, rows, maxStop, sampleShift } = o.place;
      this.index.segments.push({ id: ids[i]!, keyId, file, ...places[i]!, build, chrom, window, kind, rows, maxStop, samples: [], ...(sampleShift ? { sampleShift } : {}) });
    });
  }

  /** Records what this change's key sealed, copies sparse packs, and drops the files and keys nothing uses any more. */
  async finish(): Promise<void> {
    await this.compactSparsePacks();
    for (const s of this.index.segments) if (s.keyId === this.keyId) s.samples = this.written;
    const liveFiles = new Set(this.index.segments.map((s) => s.file));
    const liveKeys = new Set(this.index.segments.map((s) => s.keyId));
    for (const file of [...this.baseFiles, ...this.ownFiles]) if (!liveFiles.has(file)) this.change.removePack(file);
    for (const key of this.baseKeys) if (!liveKeys.has(key)) this.change.dropKey(key);
    if (this.keyId && !liveKeys.has(this.keyId)) this.change.dropKey(this.keyId);
    if (this.baseCount !== null) this.change.atCommit(() => this.join(this.baseCount!));
  }

  /**
   * At commit, under the writer lock: this addition's samples and segments join the index as
   * committed now (the change's, rebased), numbered past the samples committed since it began,
   * and each window they reach is merged where a size tier fills.
   */
  private async join(baseCount: number): Promise<void> {
    const target = this.change.index;
    if (!target) return;
    if (target.windowWidth !== this.index.windowWidth) throw new Error('the research index was rebuilt with another window width while this change was prepared: run it again');
    const shift = target.samples.length - baseCount;
    target.samples.push(...this.index.samples.slice(baseCount));
    const mine = this.index.segments.map((s): IndexSegment => shift === 0 ? s : {
      ...s, sampleShift: (s.sampleShift ?? 0) + shift, samples: s.samples.map(([a, b]): [number, number] => [a + shift, b + shift]),
    });
    target.segments.push(...mine);
    const settle = new IndexChange(this.change, target, this.vault);
    await settle.mergeWindowsOf(mine);
    await settle.finish();
  }

  /** Merges the windows `added` reached where their segments fill a size tier. */
  private async mergeWindowsOf(added: readonly IndexSegment[]): Promise<void> {
    const windows = new Map<string, IndexSegment>();
    for (const s of added) windows.set(`${s.kind}\t${s.build}\t${s.chrom}\t${s.window}`, s);
    const outputs: Output[] = [];
    for (const w of windows.values()) {
      const existing = this.index.segments.filter((x) => x.kind === w.kind && x.build === w.build && x.chrom === w.chrom && x.window === w.window);
      for (const group of planMerges(existing.map((x) => x.rows))) {
        const members = group.map((i) => existing[i]!);
        const merged = w.kind === 'calls' ? await this.mergedOf('calls', members) : await this.mergedOf('coverage', members);
        this.forget(members);
        if (merged) outputs.push(outputOf(merged, members));
      }
    }
    await this.write(outputs);
  }

  /** Base packs that lost segments in this change and now hold mostly dead bytes: their live segments move into a new pack. */
  private async compactSparsePacks(): Promise<void> {
    const live = new Map<string, IndexSegment[]>();
    for (const s of this.index.segments) if (this.thinned.has(s.file)) live.set(s.file, [...(live.get(s.file) ?? []), s]);
    for (const [file, segments] of live) {
      const liveBytes = segments.reduce((n, s) => n + s.length, 0);
      const size = (await stat(join(this.keys.dataDir, file))).size;
      if (liveBytes >= size * MIN_LIVE_SHARE) continue;
      const outputs: Output[] = [];
      for (const s of segments) outputs.push(await this.resealed(s));
      this.forget(segments);
      await this.write(outputs);
    }
  }
}

function rowsOf(item: Decoded): number {
  return item.kind === 'calls' ? item.segment.rows : item.segment.memberSample.length;
}

/** A decoded segment to write; `merged` are the segments it replaces (their samples stay under the new key's record). */
function outputOf(item: Decoded, merged: readonly IndexSegment[] = []): Output {
  const s = item.segment;
  const place = { build: s.build, chrom: s.chrom, window: s.window };
  if (item.kind === 'calls') {
    const c = item.segment;
    const lengths = Int32Array.from(c.alleles, (a) => Math.max(a.length, 1));
    let maxStop = 0;
    for (let i = 0; i < c.rows; i++) maxStop = Math.max(maxStop, c.pos[i]! + lengths[c.ref[i]!]! - 1);
    return { place: { ...place, kind: 'calls', rows: c.rows, maxStop }, plaintext: encodeCallsSegment(c), samples: unionRanges([rangesOf(c.sample), ...merged.map((m) => m.samples)]) };
  }
  const v = item.segment;
  return { place: { ...place, kind: 'coverage', rows: v.memberSample.length, maxStop: 0 }, plaintext: encodeCoverageSegment(v), samples: unionRanges([rangesOf(v.memberSample), ...merged.map((m) => m.samples)]) };
}
