import { masterKeyFromBase64, readMasterKeyFile, type MasterKey } from '../../crypto/master-key.ts';
import { keyFilePathOf } from '../../crypto/resolve-master-key.ts';
import { prepareReplacement, rotateMasterKey, eraseSample } from '../../store/key-operations.ts';
import { configFrom, requireFlag, withVault, type CommandIo, type Flags } from '../cli-context.ts';
import { withHostAudit } from '../host-audit.ts';
import type { Config } from '../../../schemas/config.ts';

export const keysHelp = `genovault keys rotate --data-dir D [--new-master-key-file F]
  Re-seals every data key under a new master key; no data file is re-encrypted. With a key file
  and no new key given, a new key replaces the key file. With GENOVAULT_MASTER_KEY, give the new
  key in GENOVAULT_NEW_MASTER_KEY or --new-master-key-file. Recorded in the audit log as the
  operating-system user.`;

export const eraseHelp = `genovault erase-sample --data-dir D --sample-id S [--new-master-key-file F]
  Destroys sample S: its data key, files and catalog entries, and rotates the master key so that
  older copies of the data directory cannot be read once the old key is gone. Recorded in the
  audit log as the operating-system user (patient and sample ids, never the MRN).`;

async function explicitNewKey(config: Config): Promise<MasterKey | undefined> {
  if (config.newMasterKey) return masterKeyFromBase64(config.newMasterKey.reveal(), 'GENOVAULT_NEW_MASTER_KEY');
  return config.newMasterKeyFile ? readMasterKeyFile(config.newMasterKeyFile) : undefined;
}

async function replacementFor(config: Config) {
  const explicit = await explicitNewKey(config);
  return prepareReplacement({ currentKeyFile: config.masterKey ? null : keyFilePathOf(config), ...(explicit ? { explicit } : {}) });
}

export async function keysCommand(args: string[], flags: Flags, io: CommandIo): Promise<number> {
  if (args[0] !== 'rotate') {
    io.err(keysHelp);
    return 2;
  }
  const config = configFrom(flags, io.env);
  await withVault(config, true, (vault) =>
    withHostAudit(config, vault, true, async (audit) => {
      const location = await audit.attempt({ command: 'keys.rotate', action: 'update', resource: 'key' }, async () => {
        const replacement = await replacementFor(config);
        await rotateMasterKey(vault, replacement);
        return { value: replacement.location, entries: [] };
      });
      io.out(`master key rotated; the vault now opens only with the new key (${location})`);
    }),
  );
  return 0;
}

export async function eraseSampleCommand(flags: Flags, io: CommandIo): Promise<number> {
  const config = configFrom(flags, io.env);
  const sampleId = requireFlag(flags, 'sample-id');
  await withVault(config, true, (vault) =>
    withHostAudit(config, vault, true, async (audit) => {
      // only a sample id the vault knows is recorded: what was typed could be anything, an MRN say
      const sample = vault.catalog.sample(sampleId);
      const act = { command: 'erase-sample', action: 'delete', resource: 'variants', patientId: sample?.patientId ?? null, targetId: sample ? sampleId : null } as const;
      const location = await audit.attempt(act, async () => {
        const replacement = await replacementFor(config);
        await eraseSample(vault, sampleId, replacement);
        return { value: replacement.location, entries: [] };
      });
      io.out(`erased sample ${sampleId}; master key rotated (${location})`);
    }),
  );
  return 0;
}

