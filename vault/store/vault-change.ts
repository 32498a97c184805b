// One pending change to a vault: new patients, samples with their data keys and sealed
// partition files, and removals. Nothing is visible until Vault.commit swaps the manifest. A
// change that only adds (an ingest, a registration, a new key) is prepared without the writer
// lock and, when another change committed meanwhile, rebased onto it at commit; one that rewrites
// or removes what exists (erasure) is prepared under the lock (Vault.exclusive).
import { open as openFile, unlink, mkdir, rmdir } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { newKey } from '../crypto/aead.ts';
import { sealObject } from '../crypto/sealed-object.ts';
import { fsyncDir } from '../fs/atomic.ts';
import type { CatalogData, CatalogPartition, CatalogSample } from './catalog.ts';
import type { IndexCatalog } from './research-index/index-catalog.ts';
import { randomId } from './ids.ts';
import { ChangeMarker } from './change-files.ts';
import { rebaseAdditions } from './change-rebase.ts';

/** One object of a pack file: sealed now from `plaintext`, or `sealed` bytes copied as they are. */
export interface SealedPackObject {
  objectId: string;
  version: number;
  keyId: string;
  plaintext: Uint8Array;
  sealed?: Uint8Array | null;
}

/** What a writer says of a new partition; the change numbers it and says where it is stored. */
export type NewPartition = Omit<CatalogPartition, 'partitionId' | 'version' | 'file' | 'offset' | 'length'>;

export class VaultChange {
  private catalog: CatalogData;
  private readonly keys: Record<string, string>;
  private readonly written: string[] = [];
  private readonly removedFiles: string[] = [];
  private readonly dirs = new Set<string>();
  /** writes not finished yet, and whether abort() has begun */
  private readonly inFlight = new Set<Promise<void>>();
  private aborting = false;
  /** the top folders (samples/, alleles/, packs/) this change created */
  private readonly tops = new Set<string>();
  /** partitions per sample so far, so numbering needs no scan of the whole catalog per write */
  private readonly partitionCounts = new Map<string, number>();
  /** names each file before it is made, so no other process's clean-up removes it */
  private readonly marker: ChangeMarker;
  /** the committed state this change was made on (a committed catalog is never changed in place) */
  private base: { generation: number; catalog: CatalogData; keys: Readonly<Record<string, string>> };
  /** set by anything that rewrites or removes what the base holds: such a change cannot be rebased */
  private rewritesBase = false;
  /** patient ids this change made that a rebase found already registered under another id */
  private readonly samePatient = new Map<string, string>();
  /** work done at commit, under the writer lock, on the newest committed state (after any rebase) */
  private readonly commitSteps: (() => Promise<void>)[] = [];

  constructor(
    private readonly dataDir: string,
    private readonly vaultId: string,
    base: CatalogData,
    keys: Record<string, string>,
    generation = 0,
  ) {
    this.catalog = structuredClone(base);
    this.keys = { ...keys };
    this.base = { generation, catalog: base, keys };
    this.marker = new ChangeMarker(dataDir);
  }

  /** The generation of the committed state this change applies to. */
  get baseGeneration(): number {
    return this.base.generation;
  }

  /**
   * Re-applies this change's additions onto a newer committed state (another change committed
   * while this one was prepared). A patient registered meanwhile under the same MRN keeps the id
   * it was given there; a key id that exists there keeps its key.
   */
  rebase(generation: number, catalog: CatalogData, keys: Readonly<Record<string, string>>): void {
    if (this.rewritesBase) throw new Error('a change that rewrites or removes data must be prepared under the writer lock (Vault.exclusive)');
    const rebased = rebaseAdditions({ catalog: this.base.catalog, keys: this.base.keys }, { catalog: this.catalog, keys: this.keys }, { catalog, keys });
    this.catalog = rebased.catalog;
    for (const id of Object.keys(this.keys)) delete this.keys[id];
    Object.assign(this.keys, rebased.keys);
    for (const [mine, theirs] of rebased.samePatient) this.samePatient.set(mine, theirs);
    this.base = { generation, catalog, keys };
  }

  /**
   * Runs `step` at commit, under the writer lock, once this change stands on the newest committed
   * state: for derived data (the research index) that must be worked out against what is committed.
   */
  atCommit(step: () => Promise<void>): void {
    this.commitSteps.push(step);
  }

  /** Vault.commit: the steps queued by atCommit, in order. */
  async runCommitSteps(): Promise<void> {
    for (const step of this.commitSteps.splice(0)) await step();
  }

  /** The id a patient this change registered has once committed (another change may have registered the MRN first). */
  committedPatientId(patientId: string): string {
    return this.samePatient.get(patientId) ?? patientId;
  }

  private touches(keyOwner: string): void {
    if (keyOwner in this.base.keys) this.rewritesBase = true;
  }

  /** The patient with this MRN, registered if not yet known. */
  patientIdFor(mrn: string): string {
    const known = this.catalog.patients.find((p) => p.mrn === mrn);
    if (known) return known.patientId;
    const patientId = randomId('p');
    this.catalog.patients.push({ patientId, mrn });
    return patientId;
  }

  /** Adds a sample with a fresh data key; returns its id. */
  addSample(sample: Omit<CatalogSample, 'sampleId'>): string {
    const sampleId = randomId('s');
    this.keys[sampleId] = newKey().toString('base64');
    this.catalog.samples.push({ ...sample, sampleId });
    return sampleId;
  }

  updateSample(sampleId: string, fields: Partial<Omit<CatalogSample, 'sampleId' | 'patientId'>>): void {
    this.touches(sampleId);
    const sample = this.catalog.samples.find((s) => s.sampleId === sampleId);
    if (sample) Object.assign(sample, fields);
  }

  /** A new ingest batch: the key its allele tables are sealed with. */
  addBatch(): string {
    const batchId = randomId('b');
    this.keys[batchId] = newKey().toString('base64');
    return batchId;
  }

  hasPartitionsOf(keyOwner: string): boolean {
    return this.catalog.partitions.some((p) => p.sampleId === keyOwner);
  }

  /** Seals and writes one partition (fsynced); registered in the catalog at commit. */
  async writePartition(entry: NewPartition, plaintext: Uint8Array): Promise<CatalogPartition> {
    const full = this.numbered(entry);
    full.file = await this.writeSealed(full, plaintext);
    this.catalog.partitions.push(full);
    return full;
  }

  /**
   * Seals each segment under its owner's key (entry.sampleId) and writes them as one pack file:
   * creating a file costs more here than sealing a partition, so a chromosome's partitions for a
   * whole batch share one. Each segment stays separately sealed and separately readable.
   */
  async writePack(packOwner: string, segments: readonly { entry: NewPartition; plaintext: Uint8Array }[]): Promise<CatalogPartition[]> {
    const file = join('packs', packOwner, `${randomId('k')}.gvk`);
    const entries = segments.map(({ entry }) => this.numbered(entry));
    await this.writePackFile(file, entries, segments.map((s) => s.plaintext));
    this.catalog.partitions.push(...entries);
    return entries;
  }

  /** Writes `entries` (sealed from `plaintexts`, or copied sealed from `sealed`) into one new pack file, setting their file, offset and length. */
  async writePackFile(file: string, entries: CatalogPartition[], plaintexts: readonly (Uint8Array | null)[], sealed: readonly (Uint8Array | null)[] = []): Promise<void> {
    const places = await this.writeSealedPack(file, entries.map((entry, i) => ({
      objectId: entry.partitionId, version: entry.version, keyId: entry.sampleId, plaintext: plaintexts[i] ?? new Uint8Array(0), sealed: sealed[i] ?? null,
    })));
    entries.forEach((entry, i) => Object.assign(entry, { file }, places[i]));
  }

  /** Seals each object under its key (or takes it sealed) and writes them all as one new pack file; returns where each landed. */
  async writeSealedPack(file: string, objects: readonly SealedPackObject[]): Promise<{ offset: number; length: number }[]> {
    const parts: Uint8Array[] = [];
    const places: { offset: number; length: number }[] = [];
    let offset = 0;
    for (const o of objects) {
      const bytes = o.sealed ?? this.sealUnder(o.keyId, o.objectId, o.version, o.plaintext);
      places.push({ offset, length: bytes.length });
      offset += bytes.length;
      parts.push(bytes);
    }
    await this.writeNewFile(file, Buffer.concat(parts, offset));
    return places;
  }

  /** A data key as it stands in this change (new keys included). */
  keyOf(keyId: string): Buffer {
    const key = Buffer.from(this.keys[keyId] ?? '', 'base64');
    if (key.length === 0) throw new Error(`no data key ${keyId} in this change`);
    return key;
  }

  /** The research index as it stands in this change; `research-index/index-change.ts` edits it in place. */
  get index(): IndexCatalog | undefined {
    return this.catalog.index;
  }

  set index(index: IndexCatalog | undefined) {
    if (index) this.catalog.index = index;
    else delete this.catalog.index;
  }

  /** The id the next partition of this key owner will get (so a calls partition can name its allele table before both are written). */
  nextPartitionId(owner: string): string {
    return `${owner}-p${this.countOf(owner)}`;
  }

  private countOf(owner: string): number {
    return this.partitionCounts.get(owner) ?? this.catalog.partitions.filter((p) => p.sampleId === owner).length;
  }

  private numbered(entry: NewPartition): CatalogPartition {
    const n = this.countOf(entry.sampleId);
    this.partitionCounts.set(entry.sampleId, n + 1);
    return { ...entry, partitionId: `${entry.sampleId}-p${n}`, version: 1, file: '' };
  }

  private seal(entry: CatalogPartition, plaintext: Uint8Array): Buffer {
    return this.sealUnder(entry.sampleId, entry.partitionId, entry.version, plaintext);
  }

  private sealUnder(keyId: string, objectId: string, version: number, plaintext: Uint8Array): Buffer {
    return sealObject(this.keyOf(keyId), this.vaultId, { objectId, version, keyId }, plaintext);
  }

  /**
   * Replaces a pack file by a new one holding `segments` (new plaintext sealed now, or sealed bytes
   * copied as they are); the old file goes at commit. Entries not listed leave the catalog.
   */
  async rewritePack(oldFile: string, packOwner: string, segments: readonly { entry: CatalogPartition; plaintext?: Uint8Array; sealed?: Uint8Array }[]): Promise<void> {
    const file = join('packs', packOwner, `${randomId('k')}.gvk`);
    this.rewritesBase = true;
    const entries = segments.map((s) => ({ ...s.entry }));
    await this.writePackFile(file, entries, segments.map((s) => s.plaintext ?? null), segments.map((s) => s.sealed ?? null));
    const replaced = new Map(entries.map((e) => [e.partitionId, e]));
    this.catalog.partitions = this.catalog.partitions
      .filter((p) => p.file !== oldFile || replaced.has(p.partitionId))
      .map((p) => replaced.get(p.partitionId) ?? p);
    this.removedFiles.push(oldFile);
  }

  /** Writes a new version of a single-file partition under its key as it is now in this change; the old file goes at commit. */
  async rewritePartition(existing: CatalogPartition, plaintext: Uint8Array, fields: Partial<Pick<CatalogPartition, 'minPos' | 'maxPos' | 'rows'>> = {}): Promise<CatalogPartition> {
    const at = this.catalog.partitions.findIndex((p) => p.partitionId === existing.partitionId);
    if (at < 0) throw new Error(`partition ${existing.partitionId} is not in this change's catalog`);
    this.rewritesBase = true;
    const next: CatalogPartition = { ...existing, ...fields, version: existing.version + 1, file: '' };
    next.file = await this.writeSealed(next, plaintext);
    this.removedFiles.push(existing.file);
    this.catalog.partitions[at] = next;
    return next;
  }

  /** Drops a whole file (a pack, or a single partition's file) and every partition in it; the file goes at commit. */
  removePack(file: string): void {
    // dropping a file this change wrote itself leaves it additive
    if (!this.written.includes(join(this.dataDir, file))) this.rewritesBase = true;
    this.catalog.partitions = this.catalog.partitions.filter((p) => p.file !== file);
    this.removedFiles.push(file);
  }

  /** A fresh data key for `keyId`, replacing any it had: files sealed under the old one become unreadable once it is gone. */
  replaceKey(keyId: string): void {
    this.touches(keyId);
    this.keys[keyId] = newKey().toString('base64');
  }

  dropKey(keyId: string): void {
    this.touches(keyId);
    delete this.keys[keyId];
  }

  /** Seals under the entry's key (its sampleId names it), writes and fsyncs; returns the relative path. */
  private async writeSealed(entry: CatalogPartition, plaintext: Uint8Array): Promise<string> {
    const file = join(entry.kind === 'alleles' ? 'alleles' : 'samples', entry.sampleId, `${entry.partitionId}.v${entry.version}.gvp`);
    await this.writeNewFile(file, this.seal(entry, plaintext));
    return file;
  }

  /** Creates `file` (relative), writes and fsyncs it; its folder is made (and fsynced at commit) as needed. */
  private writeNewFile(file: string, sealed: Uint8Array): Promise<void> {
    if (this.aborting) return Promise.reject(new Error('this change was aborted'));
    // abort() waits for every write still running, so none can create a file after it cleaned up
    const write = this.createFile(file, sealed);
    this.inFlight.add(write);
    void write.finally(() => this.inFlight.delete(write)).catch(() => undefined);
    return write;
  }

  private async createFile(file: string, sealed: Uint8Array): Promise<void> {
    const path = join(this.dataDir, file);
    await this.marker.note(file);
    if (!this.dirs.has(dirname(path))) await this.makeFolders(file);
    this.written.push(path);
    const handle = await openFile(path, 'wx', 0o600).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
      // a folder this change made, still empty, may have been removed by another process's clean-up
      await this.makeFolders(file);
      return openFile(path, 'wx', 0o600);
    });
    try {
      await handle.writeFile(sealed);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  private async makeFolders(file: string): Promise<void> {
    const path = join(this.dataDir, file);
    const topDir = join(this.dataDir, file.split('/')[0] ?? '');
    const madeTop = await mkdir(topDir, { mode: 0o700 }).then(() => true, (err: NodeJS.ErrnoException) => {
      if (err.code === 'EEXIST') return false;
      throw err;
    });
    if (madeTop) this.tops.add(topDir);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    this.dirs.add(dirname(path));
  }

  /** Adds a named data key (e.g. for an event log) unless present. */
  ensureKey(keyId: string): void {
    if (!this.keys[keyId]) this.keys[keyId] = newKey().toString('base64');
  }

  /** Forgets a sample: its key (crypto-shredding), its catalog entries and, after commit, its files. */
  removeSample(sampleId: string): void {
    this.rewritesBase = true;
    delete this.keys[sampleId];
    // a pack file is shared with other samples: erasure rewrites it without this sample's segments
    for (const p of this.catalog.partitions.filter((x) => x.sampleId === sampleId && x.offset === undefined)) this.removedFiles.push(p.file);
    this.catalog.partitions = this.catalog.partitions.filter((p) => p.sampleId !== sampleId);
    this.partitionCounts.delete(sampleId);
    this.catalog.samples = this.catalog.samples.filter((s) => s.sampleId !== sampleId);
  }

  async syncWrittenDirs(): Promise<void> {
    for (const dir of this.dirs) await fsyncDir(dir);
    const parents = new Set([...this.dirs].map((d) => dirname(d)));
    for (const parent of parents) await fsyncDir(parent);
    if (this.tops.size > 0) await fsyncDir(this.dataDir);
  }

  async abort(): Promise<void> {
    this.aborting = true;
    await Promise.allSettled([...this.inFlight]);
    for (const path of this.written) await unlink(path).catch(() => undefined);
    for (const dir of this.dirs) await rmdir(dir).catch(() => undefined);
    for (const top of this.tops) await rmdir(top).catch(() => undefined);
    await this.marker.remove();
  }

  /** After a commit: the files are the catalog's now. */
  async committed(): Promise<void> {
    await this.marker.remove();
  }

  async removeEmptySampleDirs(files: string[]): Promise<void> {
    for (const file of files) await rmdir(dirname(join(this.dataDir, file))).catch(() => undefined);
  }

  result(): { catalog: CatalogData; keys: Record<string, string>; removedFiles: string[] } {
    return { catalog: this.catalog, keys: this.keys, removedFiles: [...this.removedFiles] };
  }
}
