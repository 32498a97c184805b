// Finds the master key for a vault: GENOVAULT_MASTER_KEY, else the key file (given, or the
// default beside the data directory). Finishes a rotation that a crash interrupted, and finds the
// new key of a rotation another process made while this one had the vault open.
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Config } from '../../schemas/config.ts';
import {
  MasterKeyError,
  masterKeyFromBase64,
  readMasterKeyFile,
  pendingKeyPath,
  promoteStagedMasterKey,
  discardStagedMasterKey,
  type MasterKey,
} from './master-key.ts';
import { readManifestHeader } from '../store/vault-manifest.ts';
import { VaultLockedError, withWriterLock } from '../store/vault-lock.ts';

/** Default key file: beside the data directory, never inside it, so a copy of the data holds no key. */
export function defaultKeyFilePath(dataDir: string): string {
  return `${resolve(dataDir)}.master-key`;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export function keyFilePathOf(config: Pick<Config, 'dataDir' | 'masterKeyFile'>): string {
  return config.masterKeyFile ?? defaultKeyFilePath(config.dataDir);
}

export async function resolveMasterKey(config: Pick<Config, 'dataDir' | 'masterKey' | 'masterKeyFile'>): Promise<MasterKey> {
  if (config.masterKey) return masterKeyFromBase64(config.masterKey.reveal(), 'GENOVAULT_MASTER_KEY');
  const path = keyFilePathOf(config);
  if (!(await exists(path))) {
    throw new MasterKeyError(`no master key: set GENOVAULT_MASTER_KEY or --master-key-file (looked for ${path})`);
  }
  if (await exists(pendingKeyPath(path))) await finishInterruptedRotation(config.dataDir, path);
  return readMasterKeyFile(path);
}

/**
 * A staged key left beside the key file: promoted if the manifest is sealed under it, else
 * discarded. Only under the writer lock, never waiting for it: a rotation holds the lock from
 * staging to promotion, so a staged key seen while another process holds it may be in use.
 */
async function finishInterruptedRotation(dataDir: string, path: string): Promise<void> {
  try {
    await withWriterLock(dataDir, async () => {
      if (!(await exists(pendingKeyPath(path)))) return;
      const staged = await readMasterKeyFile(pendingKeyPath(path));
      const { header } = await readManifestHeader(dataDir);
      if (header.kekFingerprint === staged.fingerprint) await promoteStagedMasterKey(path);
      else await discardStagedMasterKey(path);
    }, { waitMs: 0 });
  } catch (err) {
    if (!(err instanceof VaultLockedError)) throw err;
  }
}

/**
 * Where a process that has the vault open looks for the master key after another process rotated
 * it: the key file, or the key staged beside it (between the rotation's commit and its last step).
 * A key given in GENOVAULT_MASTER_KEY cannot change under a running process: none is found.
 */
export function masterKeyFinder(config: Pick<Config, 'dataDir' | 'masterKey' | 'masterKeyFile'>): (fingerprint: string) => Promise<MasterKey | null> {
  return async (fingerprint) => {
    if (config.masterKey) return null;
    const path = keyFilePathOf(config);
    // the staged key first: a rotation finishing meanwhile moves it onto the key file, read next
    for (const candidate of [pendingKeyPath(path), path]) {
      const key = await readMasterKeyFile(candidate).catch(() => null);
      if (key?.fingerprint === fingerprint) return key;
    }
    return null;
  };
}
