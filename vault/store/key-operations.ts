// Master-key rotation and sample erasure. Erasure is crypto-shredding: the sample's data key
// leaves the manifest and the manifest is re-sealed under a NEW master key, so an older copy of
// the data directory (whose manifest still holds that data key) can no longer be opened once
// the old master key is gone. Data files are never re-encrypted.
import {
  MasterKeyError,
  newMasterKey,
  stageMasterKeyFile,
  promoteStagedMasterKey,
  discardStagedMasterKey,
  type MasterKey,
} from '../crypto/master-key.ts';
import type { Vault } from './vault.ts';
import type { VaultChange } from './vault-change.ts';
import { removeFromBatches } from './batch-erasure.ts';
import { IndexChange } from './research-index/index-change.ts';

export interface KeyReplacement {
  newKek: MasterKey;
  /** where the new key lives, for the operator's message */
  location: string;
  finish(): Promise<void>;
  abandon(): Promise<void>;
}

/**
 * Chooses the next master key. An explicit new key (env or file) is the operator's to keep.
 * Otherwise, when the current key is a key file, a new key is staged beside it and replaces it
 * once the manifest is committed: the old key is overwritten.
 */
export async function prepareReplacement(options: { currentKeyFile: string | null; explicit?: MasterKey }): Promise<KeyReplacement> {
  if (options.explicit) {
    const newKek = options.explicit;
    return { newKek, location: newKek.origin, finish: () => Promise.resolve(), abandon: () => Promise.resolve() };
  }
  const path = options.currentKeyFile;
  if (!path) {
    throw new MasterKeyError(
      'the master key comes from GENOVAULT_MASTER_KEY: give its replacement in GENOVAULT_NEW_MASTER_KEY or --new-master-key-file',
    );
  }
  const newKek = newMasterKey(path);
  await stageMasterKeyFile(path, newKek);
  return { newKek, location: path, finish: () => promoteStagedMasterKey(path), abandon: () => discardStagedMasterKey(path) };
}

/**
 * One change committed under a new master key, all under the writer lock: the key is staged only
 * once no other change can commit, so another process never finds a staged key it did not expect.
 */
async function commitUnder(vault: Vault, prepare: () => Promise<KeyReplacement>, edit: (change: VaultChange) => void | Promise<void>): Promise<KeyReplacement> {
  return vault.exclusive(async () => {
    const replacement = await prepare();
    const change = vault.beginChange();
    try {
      await edit(change);
      await vault.commit(change, { newKek: replacement.newKek });
    } catch (err) {
      await change.abort();
      await replacement.abandon();
      throw err;
    }
    await replacement.finish();
    return replacement;
  });
}

/**
 * The replacement key: prepared under the writer lock when given as a function (a staged key
 * file must be; see commitUnder), or one already chosen (an explicit key, nothing staged).
 */
export type ReplacementSource = KeyReplacement | (() => Promise<KeyReplacement>);

const preparer = (source: ReplacementSource) => (typeof source === 'function' ? source : () => Promise.resolve(source));

/** Re-seals the manifest (every data key) under a new master key; data files are untouched. */
export async function rotateMasterKey(vault: Vault, replacement: ReplacementSource): Promise<KeyReplacement> {
  return commitUnder(vault, preparer(replacement), () => undefined);
}

export class UnknownSampleError extends Error {
  constructor(sampleId: string) {
    super(`no sample ${sampleId} in this vault`);
    this.name = 'UnknownSampleError';
  }
}

/**
 * Destroys a sample: its data key, its catalog entries, its segments of shared pack files, the
 * allele rows only it carried (batch-erasure.ts) and its rows in the research index (rewritten
 * under new keys, index-change.ts), all committed under a new master key.
 */
export async function eraseSample(vault: Vault, sampleId: string, replacement: ReplacementSource): Promise<KeyReplacement> {
  return commitUnder(vault, async () => {
    // checked on the newest state, under the lock: another process may have erased it meanwhile
    if (!vault.catalog.sample(sampleId)) {
      if (typeof replacement !== 'function') await replacement.abandon();
      throw new UnknownSampleError(sampleId);
    }
    return preparer(replacement)();
  }, async (change) => {
    await removeFromBatches(vault, change, sampleId);
    change.removeSample(sampleId);
    const index = IndexChange.of(change, vault);
    if (index) {
      await index.removeSample(sampleId);
      await index.finish();
    }
  });
}
