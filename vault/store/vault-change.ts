// One pending change to a vault: new patients, samples with their data keys and sealed
// partition files, and removals. Nothing is visible until Vault.commit swaps the manifest.
import { open as openFile, unlink, mkdir, rmdir } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { newKey } from '../crypto/aead.ts';
import { sealObject } from '../crypto/sealed-object.ts';
import { fsyncDir } from '../fs/atomic.ts';
import type { CatalogData, CatalogPartition, CatalogSample } from './catalog.ts';
import { randomId } from './ids.ts';

export class VaultChange {
  private readonly catalog: CatalogData;
  private readonly keys: Record<string, string>;
  private readonly written: string[] = [];
  private readonly removedFiles: string[] = [];
  private readonly dirs = new Set<string>();
  /** partitions per sample so far, so numbering needs no scan of the whole catalog per write */
  private readonly partitionCounts = new Map<string, number>();

  constructor(
    private readonly dataDir: string,
    private readonly vaultId: string,
    base: CatalogData,
    keys: Record<string, string>,
  ) {
    this.catalog = structuredClone(base);
    this.keys = { ...keys };
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

  setSampleCoverage(sampleId: string, coverage: CatalogSample['coverage']): void {
    const sample = this.catalog.samples.find((s) => s.sampleId === sampleId);
    if (sample) sample.coverage = coverage;
  }

  /** Seals and writes one partition (fsynced); registered in the catalog at commit. */
  async writePartition(entry: Omit<CatalogPartition, 'partitionId' | 'version' | 'file'>, plaintext: Uint8Array): Promise<CatalogPartition> {
    const n = this.partitionCounts.get(entry.sampleId) ?? this.catalog.partitions.filter((p) => p.sampleId === entry.sampleId).length;
    this.partitionCounts.set(entry.sampleId, n + 1);
    const partitionId = `${entry.sampleId}-p${n}`;
    const version = 1;
    const file = join('samples', entry.sampleId, `${partitionId}.v${version}.gvp`);
    const key = Buffer.from(this.keys[entry.sampleId] ?? '', 'base64');
    const sealed = sealObject(key, this.vaultId, { objectId: partitionId, version, keyId: entry.sampleId }, plaintext);
    const path = join(this.dataDir, file);
    if (!this.dirs.has(dirname(path))) {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      this.dirs.add(dirname(path));
    }
    this.written.push(path);
    const handle = await openFile(path, 'wx', 0o600);
    try {
      await handle.writeFile(sealed);
      await handle.sync();
    } finally {
      await handle.close();
    }
    const full: CatalogPartition = { ...entry, partitionId, version, file };
    this.catalog.partitions.push(full);
    return full;
  }

  /** Adds a named data key (e.g. for an event log) unless present. */
  ensureKey(keyId: string): void {
    if (!this.keys[keyId]) this.keys[keyId] = newKey().toString('base64');
  }

  /** Forgets a sample: its key (crypto-shredding), its catalog entries and, after commit, its files. */
  removeSample(sampleId: string): void {
    delete this.keys[sampleId];
    for (const p of this.catalog.partitions.filter((x) => x.sampleId === sampleId)) this.removedFiles.push(p.file);
    this.catalog.partitions = this.catalog.partitions.filter((p) => p.sampleId !== sampleId);
    this.partitionCounts.delete(sampleId);
    this.catalog.samples = this.catalog.samples.filter((s) => s.sampleId !== sampleId);
  }

  async syncWrittenDirs(): Promise<void> {
    for (const dir of this.dirs) await fsyncDir(dir);
    if (this.dirs.size > 0) await fsyncDir(join(this.dataDir, 'samples'));
  }

  async abort(): Promise<void> {
    for (const path of this.written) await unlink(path).catch(() => undefined);
    for (const dir of this.dirs) await rmdir(dir).catch(() => undefined);
    if (this.dirs.size > 0) await rmdir(join(this.dataDir, 'samples')).catch(() => undefined);
  }

  async removeEmptySampleDirs(files: string[]): Promise<void> {
    for (const file of files) await rmdir(dirname(join(this.dataDir, file))).catch(() => undefined);
  }

  result(): { catalog: CatalogData; keys: Record<string, string>; removedFiles: string[] } {
    return { catalog: this.catalog, keys: this.keys, removedFiles: [...this.removedFiles] };
  }
}
