// The sealed store: opens a vault directory with its master key, serves decrypted partitions
// to the query engine, and applies changes all-or-nothing (new immutable files first, then one
// manifest swap; a failed change removes what it wrote and leaves the directory as it was).
// Several processes may use one vault: each change commits under the writer lock (vault-lock.ts),
// and a reader notices a newer commit (refresh: one stat of the manifest) before each query.
import { open, readFile, mkdir, readdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { randomId } from './ids.ts';
import { newKey } from '../crypto/aead.ts';
import { sealObject, openObject } from '../crypto/sealed-object.ts';
import { MasterKeyError, type MasterKey } from '../crypto/master-key.ts';
import { writeFileAtomic } from '../fs/atomic.ts';
import { writeManifest, type Manifest } from './vault-manifest.ts';
import { VAULT_FILE, VaultError, catalogFile, keyFinder, manifestStamp, readCommitted, readVaultInfo, sameStamp, type ManifestStamp, type MasterKeyFinder } from './committed-state.ts';
import { Catalog, EMPTY_CATALOG, type CatalogData, type CatalogPartition } from './catalog.ts';
import type { PartitionRef, PartitionSource } from './partition-ref.ts';
import { DEFAULT_LOCK_WAIT_MS, VaultLockedError, withWriterLock } from './vault-lock.ts';
import { VaultChange } from './vault-change.ts';
import { removeLeftovers } from './change-files.ts';
import { decodePartitionCoded, partitionFormat, pointsIntoAlleles, type CodedPartition } from './partition-codec.ts';
import { decodeAlleleTable, type AlleleTable } from './allele-table-codec.ts';
import { emptyIndex } from './research-index/index-catalog.ts';

export { VAULT_FILE, VaultError, catalogFile, readVaultInfo, type MasterKeyFinder } from './committed-state.ts';

const CATALOG_KEY_ID = 'catalog';
/** allele tables kept decoded: a cohort query on one chromosome of one batch needs one */
const ALLELE_TABLES_KEPT = 8;

export interface VaultOpenOptions {
  /** may make changes (each under the writer lock); false refuses beginChange */
  write: boolean;
  /** where a newer master key is looked for when another process rotated it */
  findKey?: MasterKeyFinder;
  /** how long a commit waits for another process's (default 60 s) */
  lockWaitMs?: number;
}

/**
 * Called with the new catalog after this process committed, or noticed another's commit. It must
 * not wait for queries (one may be what is refreshing): it queues what it needs done, and a query
 * queued after it runs after it.
 */
export type CatalogListener = (catalog: Catalog) => void;

export class Vault implements PartitionSource {
  private constructor(
    readonly dataDir: string,
    private kek: MasterKey,
    private manifest: Manifest,
    private catalogData: CatalogData,
    private stamp: ManifestStamp,
    private readonly options: VaultOpenOptions,
  ) {}

  private catalogView: Catalog | null = null;
  private readonly listeners = new Set<CatalogListener>();
  private refreshing: Promise<boolean> | null = null;

  /** decoded allele tables, oldest first; cleared at every commit */
  private readonly alleleTables = new Map<string, AlleleTable>();

  get vaultId(): string {
    return this.manifest.vaultId;
  }
  get generation(): number {
    return this.manifest.generation;
  }
  /** The current catalog; one view per version, so its partition index is built once. */
  get catalog(): Catalog {
    if (this.catalogView?.data !== this.catalogData) this.catalogView = new Catalog(this.catalogData);
    return this.catalogView;
  }
  get masterKeyFingerprint(): string {
    return this.kek.fingerprint;
  }

  /** Creates a new, empty vault in `dataDir` (absent or empty); `indexWindowWidth` sets the research index's window (tests use small ones). */
  static async init(dataDir: string, kek: MasterKey, options: { indexWindowWidth?: number } = {}): Promise<Vault> {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const existing = (await readdir(dataDir)).filter((f) => !f.startsWith('.'));
    if (existing.length > 0) throw new VaultError(`${dataDir} is not empty; refusing to create a vault there`);
    const vaultId = randomId('v');
    const catalogKey = newKey();
    const header = { objectId: 'catalog', version: 1, keyId: CATALOG_KEY_ID };
    // a new vault keeps its research index from the first ingest on (older vaults: genovault index rebuild)
    const catalog: CatalogData = { ...EMPTY_CATALOG, index: emptyIndex(options.indexWindowWidth) };
    await writeFileAtomic(join(dataDir, catalogFile(1)), sealObject(catalogKey, vaultId, header, Buffer.from(JSON.stringify(catalog))));
    await writeFileAtomic(
      join(dataDir, VAULT_FILE),
      JSON.stringify({ format: 'genovault-vault', formatVersion: 1, vaultId, createdAt: new Date().toISOString() }, null, 2) + '\n',
    );
    await writeManifest(dataDir, kek, {
      vaultId,
      generation: 1,
      body: { keys: { [CATALOG_KEY_ID]: catalogKey.toString('base64') }, catalog: { version: 1, keyId: CATALOG_KEY_ID } },
    });
    return Vault.open(dataDir, kek, { write: false });
  }

  /**
   * Opens a vault. No lock is held while it is open: each change takes the writer lock to commit.
   * A writable open first removes files a crashed change left, if no other change is committing.
   */
  static async open(dataDir: string, kek: MasterKey, options: VaultOpenOptions): Promise<Vault> {
    const info = await readVaultInfo(dataDir);
    const state = await readCommitted(dataDir, keyFinder(kek, options.findKey));
    if (state.manifest.vaultId !== info.vaultId) throw new VaultError(`manifest belongs to vault ${state.manifest.vaultId}, not ${String(info.vaultId)}`);
    const vault = new Vault(dataDir, state.kek, state.manifest, state.catalog, state.stamp, options);
    if (options.write) await vault.removeLeftovers();
    return vault;
  }

  /**
   * Takes in a change another process committed since this one last looked, if any: one stat of
   * the manifest when there is none. Queries already running keep the partitions they chose; the
   * listeners (the query engine) drop what the new catalog no longer holds. Returns whether it changed.
   */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.reload().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async reload(): Promise<boolean> {
    const now = await manifestStamp(this.dataDir);
    if (sameStamp(now, this.stamp)) return false;
    const state = await readCommitted(this.dataDir, keyFinder(this.kek, this.options.findKey)).catch((err: unknown) => {
      if (!(err instanceof MasterKeyError)) throw err;
      throw new MasterKeyError('the master key was replaced by another process (keys rotate or erase-sample) and this process cannot find the new one: restart it with the new key');
    });
    if (state.manifest.vaultId !== this.vaultId) throw new VaultError(`manifest belongs to vault ${state.manifest.vaultId}, not ${this.vaultId}`);
    this.stamp = state.stamp;
    if (state.manifest.generation <= this.manifest.generation) return false;
    this.adopt(state.kek, state.manifest, state.catalog);
    this.notify();
    return true;
  }

  private adopt(kek: MasterKey, manifest: Manifest, catalog: CatalogData): void {
    this.kek = kek;
    this.manifest = manifest;
    this.catalogData = catalog;
    this.alleleTables.clear();
  }

  /** Runs `listener` with every newer catalog (this process's commits and others'); returns its removal. */
  onCatalogChange(listener: CatalogListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener(this.catalog);
  }

  /** Under the writer lock: a refresh begun after the lock was taken, so it sees every commit before it. */
  private async refreshUnderLock(): Promise<void> {
    while (this.refreshing) await this.refreshing.catch(() => undefined);
    await this.refresh();
  }

  keyOf(keyId: string): Buffer {
    const b64 = this.manifest.body.keys[keyId];
    if (!b64) throw new VaultError(`no data key ${keyId} (erased?)`);
    return Buffer.from(b64, 'base64');
  }

  /** A sealed file's plaintext (codec bytes), checked against the catalog entry it must be. */
  async read(ref: Pick<PartitionRef, 'partitionId'>): Promise<Uint8Array> {
    return this.openEntry(this.entryOf(ref.partitionId));
  }

  private entryOf(partitionId: string): CatalogPartition {
    const entry = this.catalog.partition(partitionId);
    if (!entry) throw new VaultError(`partition ${partitionId} is not in the catalog`);
    return entry;
  }

  private async openEntry(entry: CatalogPartition): Promise<Uint8Array> {
    const bytes = await this.sealedBytes(entry);
    return openObject(this.keyOf(entry.sampleId), this.vaultId, { objectId: entry.partitionId, version: entry.version, keyId: entry.sampleId }, bytes, entry.file);
  }

  /** A partition's sealed bytes as stored: its whole file, or its segment of a pack. */
  async sealedBytes(entry: CatalogPartition): Promise<Buffer> {
    if (entry.offset === undefined || entry.length === undefined) return readFile(join(this.dataDir, entry.file));
    const handle = await open(join(this.dataDir, entry.file), 'r');
    try {
      const bytes = Buffer.alloc(entry.length);
      const { bytesRead } = await handle.read(bytes, 0, entry.length, entry.offset);
      // a short read (a truncated pack) fails authentication in openObject, which names the file
      return bytesRead === entry.length ? bytes : bytes.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  /** A calls partition decoded, joined with its batch's allele table when it points into one. */
  async readPartition(ref: PartitionRef): Promise<CodedPartition> {
    let entry = this.entryOf(ref.partitionId);
    const bytes = await this.openEntry(entry).catch(async (err: NodeJS.ErrnoException) => {
      // another process's erasure rewrote its pack meanwhile: read it where the newest catalog says
      if (err.code !== 'ENOENT' || !(await this.refresh())) throw err;
      entry = this.entryOf(ref.partitionId);
      return this.openEntry(entry);
    });
    if (!pointsIntoAlleles(partitionFormat(bytes))) return decodePartitionCoded(bytes);
    if (!entry.alleles) throw new VaultError(`partition ${ref.partitionId} has no allele table in the catalog`);
    return decodePartitionCoded(bytes, await this.alleleTable(entry.alleles));
  }

  /** Forgets the decoded allele tables (a truly cold read decrypts them again; benchmarks use it). */
  forgetDecoded(): void {
    this.alleleTables.clear();
  }

  /** A batch's allele table for one chromosome, decoded once and kept while it is current. */
  async alleleTable(partitionId: string): Promise<AlleleTable> {
    const entry = this.catalog.partition(partitionId);
    if (!entry || entry.kind !== 'alleles') throw new VaultError(`allele table ${partitionId} is not in the catalog`);
    const cacheKey = `${entry.partitionId}.v${entry.version}`;
    const hit = this.alleleTables.get(cacheKey);
    if (hit) return hit;
    const table = decodeAlleleTable(await this.openEntry(entry));
    if (table.chrom !== entry.chrom || table.rows !== entry.rows) throw new VaultError(`${entry.file} does not match its catalog entry (chromosome or row count differs)`);
    if (this.alleleTables.size >= ALLELE_TABLES_KEPT) this.alleleTables.delete(this.alleleTables.keys().next().value ?? '');
    this.alleleTables.set(cacheKey, table);
    return table;
  }

  /** Returns the named data keys, creating (and committing) any that do not exist yet. */
  async namedKeys(keyIds: readonly string[]): Promise<Buffer[]> {
    if (keyIds.some((id) => !this.manifest.body.keys[id])) await this.refresh();
    if (keyIds.some((id) => !this.manifest.body.keys[id])) {
      const change = this.beginChange();
      for (const id of keyIds) change.ensureKey(id);
      await this.commit(change);
    }
    return keyIds.map((id) => this.keyOf(id));
  }

  /**
   * Registers a patient by MRN. When an ingest already registered that MRN (its VCF came first),
   * says so (`created: false`) and returns that id, so registration can attach the record to it.
   * Knowing the id grants nothing: the caller must already be allowed to register patients, and
   * access is decided by the policy alone.
   */
  async registerPatient(mrn: string): Promise<{ patientId: string; created: boolean }> {
    return this.exclusive(async () => {
      const known = this.catalog.patientByMrn(mrn);
      if (known) return { patientId: known.patientId, created: false };
      const change = this.beginChange();
      const patientId = change.patientIdFor(mrn);
      await this.commit(change);
      return { patientId, created: true };
    });
  }

  /**
   * A change to this vault as it is now. It may be prepared without the writer lock when it only
   * adds; one that rewrites or removes must be made inside exclusive().
   */
  beginChange(): VaultChange {
    if (!this.options.write) throw new VaultError('vault was opened read-only');
    return new VaultChange(this.dataDir, this.vaultId, this.catalogData, this.manifest.body.keys, this.manifest.generation);
  }

  /** Runs `work` holding the writer lock, on the newest committed state: for changes that read what they rewrite (erasure, rotation). */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return withWriterLock(this.dataDir, async () => {
      await this.refreshUnderLock();
      return work();
    }, { waitMs: this.options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS });
  }

  /**
   * Commit point: under the writer lock, on the newest committed state (rebasing an additive change
   * prepared before another committed, then its commit steps: the research index), seal the new catalog, then swap the manifest (optionally
   * under a new master key).
   */
  async commit(change: VaultChange, options: { newKek?: MasterKey } = {}): Promise<void> {
    try {
      await this.exclusive(async () => {
        if (change.baseGeneration !== this.manifest.generation) change.rebase(this.manifest.generation, this.catalogData, this.manifest.body.keys);
        await change.runCommitSteps();
        await this.commitLocked(change, options);
      });
    } catch (err) {
      await change.abort();
      throw err;
    }
    await change.committed();
    this.notify();
  }

  private async commitLocked(change: VaultChange, options: { newKek?: MasterKey }): Promise<void> {
    const { catalog, keys, removedFiles } = change.result();
    const version = this.manifest.body.catalog.version + 1;
    const catalogKey = Buffer.from(keys[CATALOG_KEY_ID] ?? '', 'base64');
    const header = { objectId: 'catalog', version, keyId: CATALOG_KEY_ID };
    const kek = options.newKek ?? this.kek;
    const next = { vaultId: this.vaultId, generation: this.manifest.generation + 1, body: { keys, catalog: { version, keyId: CATALOG_KEY_ID } } };
    try {
      await change.syncWrittenDirs();
      await writeFileAtomic(join(this.dataDir, catalogFile(version)), sealObject(catalogKey, this.vaultId, header, Buffer.from(JSON.stringify(catalog))));
      await writeManifest(this.dataDir, kek, next);
    } catch (err) {
      await unlink(join(this.dataDir, catalogFile(version))).catch(() => undefined);
      throw err;
    }
    this.stamp = await manifestStamp(this.dataDir);
    this.adopt(kek, { ...next, kekFingerprint: kek.fingerprint }, catalog);
    const previous = catalogFile(version - 1);
    for (const file of [...removedFiles, previous]) await rm(join(this.dataDir, file), { force: true });
    await change.removeEmptySampleDirs(removedFiles);
  }

  /** Files a crashed change left behind: named by neither the committed catalog nor a living change. */
  private async removeLeftovers(): Promise<void> {
    try {
      // a moment's wait at most: another process committing now will have cleaned up at its own open
      await withWriterLock(this.dataDir, async () => {
        await this.refreshUnderLock();
        const referenced = new Set(this.catalogData.partitions.map((p) => p.file));
        for (const segment of this.catalogData.index?.segments ?? []) referenced.add(segment.file);
        referenced.add(catalogFile(this.manifest.body.catalog.version));
        await removeLeftovers(this.dataDir, referenced);
      }, { waitMs: 0 });
    } catch (err) {
      if (!(err instanceof VaultLockedError)) throw err;
    }
  }

  /** Nothing is held between changes; kept so callers can say when they are done with the vault. */
  close(): Promise<void> {
    this.listeners.clear();
    return Promise.resolve();
  }
}

