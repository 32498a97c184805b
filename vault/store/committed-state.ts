// What a vault directory holds as committed: its vault.json, the newest manifest (under whichever
// master key sealed it) and that manifest's catalog, read consistently while other processes commit.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { openObject } from '../crypto/sealed-object.ts';
import type { MasterKey } from '../crypto/master-key.ts';
import { MANIFEST_FILE, readManifestWithKey, type Manifest } from './vault-manifest.ts';
import type { CatalogData } from './catalog.ts';

export const VAULT_FILE = 'vault.json';

export class VaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultError';
  }
}

export function catalogFile(version: number): string {
  return join('catalog', `catalog.v${version}.gvs`);
}

/** Finds the master key with this fingerprint (after a rotation by another process), or null. */
export type MasterKeyFinder = (fingerprint: string) => Promise<MasterKey | null>;

/** Tells one manifest file from the next: an atomic replace gives it a new inode. */
export interface ManifestStamp {
  ino: number;
  mtimeMs: number;
  size: number;
}

export async function manifestStamp(dataDir: string): Promise<ManifestStamp> {
  const { ino, mtimeMs, size } = await stat(join(dataDir, MANIFEST_FILE));
  return { ino, mtimeMs, size };
}

export const sameStamp = (a: ManifestStamp, b: ManifestStamp) => a.ino === b.ino && a.mtimeMs === b.mtimeMs && a.size === b.size;

/** Says, before any key is looked for, whether `dataDir` is a vault at all. */
export async function readVaultInfo(dataDir: string): Promise<{ vaultId?: string; formatVersion?: number }> {
  let info: { vaultId?: string; formatVersion?: number };
  try {
    info = JSON.parse(await readFile(join(dataDir, VAULT_FILE), 'utf8')) as typeof info;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !(await stat(dataDir).then((s) => s.isDirectory(), () => false))) {
      throw new VaultError(`${dataDir} does not exist: create a vault there with genovault init --data-dir ${dataDir}`);
    }
    throw new VaultError(`${dataDir} is not a GenoVault vault (it holds no ${VAULT_FILE}): give the vault's folder with --data-dir, or create one with genovault init`);
  }
  if (info.formatVersion !== 1) throw new VaultError(`${VAULT_FILE}: unsupported format version ${String(info.formatVersion)}`);
  return info;
}

export function keyFinder(current: MasterKey, findKey: MasterKeyFinder | undefined): MasterKeyFinder {
  return async (fingerprint) => (fingerprint === current.fingerprint ? current : ((await findKey?.(fingerprint)) ?? null));
}

export interface CommittedState {
  kek: MasterKey;
  manifest: Manifest;
  catalog: CatalogData;
  stamp: ManifestStamp;
}

/**
 * The newest committed manifest and its catalog. The stamp is taken first, so a commit that lands
 * meanwhile is noticed at the next refresh; a catalog removed by such a commit means reading again.
 */
export async function readCommitted(dataDir: string, keyFor: MasterKeyFinder): Promise<CommittedState> {
  for (let attempt = 1; ; attempt++) {
    const stamp = await manifestStamp(dataDir).catch(() => {
      throw new VaultError(`${dataDir} holds no vault manifest (${MANIFEST_FILE}); run genovault init first`);
    });
    const { manifest, kek } = await readManifestWithKey(dataDir, keyFor);
    const { version, keyId } = manifest.body.catalog;
    const file = catalogFile(version);
    const bytes = await readFile(join(dataDir, file)).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' && attempt < 10) return null;
      throw new VaultError(`${file} is missing`);
    });
    if (!bytes) continue;
    const key = Buffer.from(manifest.body.keys[keyId] ?? '', 'base64');
    const catalog = JSON.parse(openObject(key, manifest.vaultId, { objectId: 'catalog', version, keyId }, bytes, file).toString('utf8')) as CatalogData;
    return { kek, manifest, catalog, stamp };
  }
}
