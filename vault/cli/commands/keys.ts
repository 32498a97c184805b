import { masterKeyFromBase64, readMasterKeyFile, type MasterKey } from '../../crypto/master-key.ts';
import { keyFilePathOf } from '../../crypto/resolve-master-key.ts';
import { prepareReplacement, rotateMasterKey, eraseSample, UnknownSampleError } from '../../store/key-operations.ts';
import { configFrom, requireFlag, withVault, UsageError, type CommandIo, type Flags } from '../cli-context.ts';
import { withHostAudit } from '../host-audit.ts';
import type { Catalog, CatalogSample } from '../../store/catalog.ts';
import { describeSample } from './samples.ts';
import type { Config } from '../../../schemas/config.ts';

export const keysHelp = `genovault keys rotate --data-dir D [--new-master-key-file F]
  Re-seals every data key under a new master key; no data file is re-encrypted. With a key file
  and no new key given, a new key replaces the key file. With GENOVAULT_MASTER_KEY, give the new
  key in GENOVAULT_NEW_MASTER_KEY or --new-master-key-file. Recorded in the audit log as the
  operating-system user.`;

export const eraseHelp = `genovault erase-sample --data-dir D --sample-id S [--yes] [--new-master-key-file F]
  Destroys sample S: its data key, files and catalog entries, and rotates the master key so that
  older copies of the data directory (backups) cannot be read for it once the old key is gone.
  Shows what it will erase and asks for confirmation at a terminal; elsewhere --yes is required.
  Recorded in the audit log as the operating-system user (patient and sample ids, never the MRN),
  a declined erasure too.`;

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
  const confirmed = flags.yes === true;
  if (!confirmed && !io.ask) throw new UsageError('erase-sample destroys data for good: confirm with --yes (no terminal to ask at)');
  try {
    await withVault(config, true, (vault) =>
      withHostAudit(config, vault, true, async (audit) => {
        // only a sample id the vault knows is recorded: what was typed could be anything, an MRN say
        const sample = vault.catalog.sample(sampleId);
        const act = { command: 'erase-sample', action: 'delete', resource: 'variants', patientId: sample?.patientId ?? null, targetId: sample ? sampleId : null } as const;
        const location = await audit.attempt(act, async () => {
          if (!sample) throw new UnknownSampleError(sampleId);
          io.err(erasurePlan(vault.catalog, sample));
          if (!confirmed && !(await confirmedAtTerminal(io, sampleId))) throw new ErasureDeclinedError();
          const replacement = await replacementFor(config);
          await eraseSample(vault, sampleId, replacement);
          return { value: replacement.location, entries: [] };
        });
        io.out(`erased sample ${sampleId}; master key rotated (${location})`);
      }),
    );
  } catch (err) {
    if (!(err instanceof ErasureDeclinedError)) throw err;
    io.err('not erased: nothing was changed');
    return ERASE_DECLINED;
  }
  return 0;
}

/** Exit code when the person at the terminal does not confirm an erasure. */
export const ERASE_DECLINED = 4;

/** The person at the terminal did not type yes (audited as `erasure_declined`). */
class ErasureDeclinedError extends Error {
  readonly code = 'ERASURE_DECLINED';
  constructor() {
    super('erasure not confirmed');
    this.name = 'ErasureDeclinedError';
  }
}

async function confirmedAtTerminal(io: CommandIo, sampleId: string): Promise<boolean> {
  const answer = await io.ask?.(`Erase sample ${sampleId}? Type yes to confirm: `);
  return answer?.trim().toLowerCase() === 'yes';
}

/** What erase-sample is about to destroy, and what it means for backups. */
function erasurePlan(catalog: Catalog, sample: CatalogSample): string {
  const shown = describeSample(catalog, sample);
  const partitions = catalog.data.partitions.filter((p) => p.sampleId === sample.sampleId);
  const chroms = [...new Set(partitions.filter((p) => p.kind === 'calls').map((p) => p.chrom))];
  return [
    'This will erase, for good:',
    `  sample        ${sample.sampleId} (named ${sample.name} in its VCF)`,
    `  patient       ${sample.patientId} (internal id)`,
    `  source file   ${shown.sourceFile ?? 'not recorded'}${shown.sourceSha256 ? ` (sha256 ${String(shown.sourceSha256).slice(0, 16)}...)` : ''}`,
    `  build         ${sample.build ?? 'unknown'}`,
    `  partitions    ${partitions.length} (${shown.calls} calls on ${chroms.length} chromosome(s), plus coverage)`,
    'The master key is rotated in the same step. Backups of the data directory made before now',
    'hold this sample under the old master key: once that key is destroyed they can no longer be',
    'read for this sample (restore later backups with the new key).',
  ].join('\n');
}

