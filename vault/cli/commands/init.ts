import { access } from 'node:fs/promises';
import { Vault } from '../../store/vault.ts';
import { masterKeyFromBase64, newMasterKey, readMasterKeyFile, writeMasterKeyFile, type MasterKey } from '../../crypto/master-key.ts';
import { keyFilePathOf } from '../../crypto/resolve-master-key.ts';
import { configFrom, type CommandIo, type Flags } from '../cli-context.ts';

export const initHelp = `genovault init --data-dir D [--master-key-file F]
  Creates a new, empty vault in D. The master key comes from GENOVAULT_MASTER_KEY, or the key
  file F; when neither exists a new key is written to F (default: D.master-key, beside D).`;

export async function initCommand(flags: Flags, io: CommandIo): Promise<number> {
  const config = configFrom(flags, io.env);
  let kek: MasterKey;
  if (config.masterKey) {
    kek = masterKeyFromBase64(config.masterKey.reveal(), 'GENOVAULT_MASTER_KEY');
  } else {
    const path = keyFilePathOf(config);
    const present = await access(path).then(() => true, () => false);
    if (present) {
      kek = await readMasterKeyFile(path);
    } else {
      kek = newMasterKey(path);
      await writeMasterKeyFile(path, kek);
      io.err(`wrote a new master key to ${path} (mode 0600). Keep it safe and apart from backups of the data: without it the vault cannot be opened.`);
    }
  }
  await (await Vault.init(config.dataDir, kek)).close();
  // The vault's own CA and server certificate (sealed), so `serve` has HTTPS from the start.
  const vault = await Vault.open(config.dataDir, kek, { write: true });
  try {
    const { loadOrCreateCa, loadOrIssueServerCertificate, caCertificatePath } = await import('../../service/tls-material.ts');
    await loadOrIssueServerCertificate(vault, await loadOrCreateCa(vault), config.tlsHostnames);
    io.out(`created vault ${vault.vaultId} in ${config.dataDir}`);
    io.out(`HTTPS: local CA certificate at ${caCertificatePath(config.dataDir)} (server certificate sealed in the vault)`);
    io.out(nextSteps(config.dataDir));
  } finally {
    await vault.close();
  }
  return 0;
}

/** What a new vault needs next, in order. */
function nextSteps(dataDir: string): string {
  const d = /^[\w./-]+$/.test(dataDir) ? dataDir : `'${dataDir.replace(/'/g, "'\\''")}'`;
  return [
    'next:',
    `  genovault users add --data-dir ${d} --role admin --username NAME     # the first admin: prints a one-time enrolment code`,
    `  genovault users enrol --data-dir ${d} --username NAME                # the admin redeems it: a password and a TOTP secret`,
    `  genovault ingest --data-dir ${d} --patient MRN sample.vcf.gz         # load a VCF (also while serving)`,
    `  genovault serve --data-dir ${d}                                      # the HTTPS API; uploads: POST /v1/ingests`,
  ].join('\n');
}
