// Finds the master key for a vault: GENOVAULT_MASTER_KEY, else the key file (given, or the
// default beside the data directory). Finishes a rotation that a crash interrupted.
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

async function finishInterruptedRotation(dataDir: string, path: string): Promise<void> {
  const staged = await readMasterKeyFile(pendingKeyPath(path));
  const { header } = await readManifestHeader(dataDir);
  if (header.kekFingerprint === staged.fingerprint) await promoteStagedMasterKey(path);
  else await discardStagedMasterKey(path);
}
