// The sealed store: opens a vault directory with its master key, serves decrypted partitions
// to the query engine, and applies changes all-or-nothing (new immutable files first, then one
// manifest swap; a failed change removes what it wrote and leaves the directory as it was).
import { open, readFile, mkdir, readdir, rm, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { randomId } from './ids.ts';
import { newKey } from '../crypto/aead.ts';
import { sealObject, openObject } from '../crypto/sealed-object.ts';
import type { MasterKey } from '../crypto/master-key.ts';
import { writeFileAtomic } from '../fs/atomic.ts';
import { readManifest, writeManifest, type Manifest } from './vault-manifest.ts';
import { Catalog, EMPTY_CATALOG, type CatalogData, type CatalogPartition } from './catalog.ts';
import type { PartitionRef, PartitionSource } from './partition-ref.ts';
import { acquireLock, type VaultLock } from './vault-lock.ts';
import { VaultChange } from './vault-change.ts';
import { decodePartitionCoded, partitionFormat, pointsIntoAlleles, type CodedPartition } from './partition-codec.ts';
import { decodeAlleleTable, type AlleleTable } from './allele-table-codec.ts';

export const VAULT_FILE = 'vault.json';
const CATALOG_KEY_ID = 'catalog';
/** allele tables kept decoded: a cohort query on one chromosome of one batch needs one */
const ALLELE_TABLES_KEPT = 8;

export class VaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultError';
  }
}

export function catalogFile(version: number): string {
  return join('catalog', `catalog.v${version}.gvs`);
}

export class Vault implements PartitionSource {
  private constructor(
    readonly dataDir: string,
    private kek: MasterKey,
    private manifest: Manifest,
    private catalogData: CatalogData,
    private readonly lock: VaultLock | null,
  ) {}

  private catalogView: Catalog | null = null;

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

  /** Creates a new, empty vault in `dataDir` (absent or empty). */
  static async init(dataDir: string, kek: MasterKey): Promise<Vault> {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const existing = (await readdir(dataDir)).filter((f) => !f.startsWith('.'));
    if (existing.length > 0) throw new VaultError(`${dataDir} is not empty; refusing to create a vault there`);
    const vaultId = randomId('v');
    const catalogKey = newKey();
    const header = { objectId: 'catalog', version: 1, keyId: CATALOG_KEY_ID };
    await writeFileAtomic(join(dataDir, catalogFile(1)), sealObject(catalogKey, vaultId, header, Buffer.from(JSON.stringify(EMPTY_CATALOG))));
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

  /** Opens a vault; `write: true` takes the directory's writer lock until close(). */
  static async open(dataDir: string, kek: MasterKey, options: { write: boolean }): Promise<Vault> {
    let info: { vaultId?: string; formatVersion?: number };
    try {
      info = JSON.parse(await readFile(join(dataDir, VAULT_FILE), 'utf8')) as typeof info;
    } catch {
      throw new VaultError(`${dataDir} is not a GenoVault vault (no readable ${VAULT_FILE}); run genovault init`);
    }
    if (info.formatVersion !== 1) throw new VaultError(`${VAULT_FILE}: unsupported format version ${String(info.formatVersion)}`);
    const manifest = await readManifest(dataDir, kek);
    if (manifest.vaultId !== info.vaultId) throw new VaultError(`manifest belongs to vault ${manifest.vaultId}, not ${String(info.vaultId)}`);
    const catalogData = await readCatalog(dataDir, manifest);
    const lock = options.write ? await acquireLock(dataDir) : null;
    const vault = new Vault(dataDir, kek, manifest, catalogData, lock);
    if (lock) await vault.removeOrphans();
    return vault;
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
    const entry = this.entryOf(ref.partitionId);
    const bytes = await this.openEntry(entry);
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
    const known = this.catalog.patientByMrn(mrn);
    if (known) return { patientId: known.patientId, created: false };
    const change = this.beginChange();
    const patientId = change.patientIdFor(mrn);
    await this.commit(change);
    return { patientId, created: true };
  }

  beginChange(): VaultChange {
    if (!this.lock) throw new VaultError('vault was opened read-only');
    return new VaultChange(this.dataDir, this.vaultId, this.catalogData, this.manifest.body.keys);
  }

  /** Commit point: seal the new catalog, then swap the manifest (optionally under a new master key). */
  async commit(change: VaultChange, options: { newKek?: MasterKey } = {}): Promise<void> {
    const { catalog, keys, removedFiles } = change.result();
    const version = this.manifest.body.catalog.version + 1;
    const catalogKey = Buffer.from(keys[CATALOG_KEY_ID] ?? '', 'base64');
    const header = { objectId: 'catalog', version, keyId: CATALOG_KEY_ID };
    try {
      await change.syncWrittenDirs();
      await writeFileAtomic(join(this.dataDir, catalogFile(version)), sealObject(catalogKey, this.vaultId, header, Buffer.from(JSON.stringify(catalog))));
      const kek = options.newKek ?? this.kek;
      const next = { vaultId: this.vaultId, generation: this.manifest.generation + 1, body: { keys, catalog: { version, keyId: CATALOG_KEY_ID } } };
      await writeManifest(this.dataDir, kek, next);
      this.kek = kek;
      this.manifest = { ...next, kekFingerprint: kek.fingerprint };
    } catch (err) {
      await change.abort();
      await unlink(join(this.dataDir, catalogFile(version))).catch(() => undefined);
      throw err;
    }
    const previous = catalogFile(version - 1);
    this.catalogData = catalog;
    this.alleleTables.clear();
    for (const file of [...removedFiles, previous]) await rm(join(this.dataDir, file), { force: true });
    await change.removeEmptySampleDirs(removedFiles);
  }

  /** Files a crashed change left behind: not referenced by the current catalog. */
  private async removeOrphans(): Promise<void> {
    const referenced = new Set(this.catalogData.partitions.map((p) => p.file));
    referenced.add(catalogFile(this.manifest.body.catalog.version));
    for (const dir of ['samples', 'alleles', 'packs', 'catalog']) {
      const entries = await readdir(join(this.dataDir, dir), { recursive: true, withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        if (!e.isFile()) continue;
        const rel = join(dir, ...join(e.parentPath, e.name).slice(join(this.dataDir, dir).length + 1).split('/'));
        if (!referenced.has(rel)) await unlink(join(this.dataDir, rel)).catch(() => undefined);
      }
      // folders a crashed change made and left empty (rmdir refuses any that still hold files)
      for (const e of entries.filter((x) => x.isDirectory()).reverse()) await rmdir(join(e.parentPath, e.name)).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.lock?.release();
  }
}

async function readCatalog(dataDir: string, manifest: Manifest): Promise<CatalogData> {
  const { version, keyId } = manifest.body.catalog;
  const file = catalogFile(version);
  const key = Buffer.from(manifest.body.keys[keyId] ?? '', 'base64');
  const bytes = await readFile(join(dataDir, file)).catch(() => {
    throw new VaultError(`${file} is missing`);
  });
  return JSON.parse(openObject(key, manifest.vaultId, { objectId: 'catalog', version, keyId }, bytes, file).toString('utf8')) as CatalogData;
}
