// `genovault certs`: client certificates for mutual-TLS service accounts, signed by the vault's
// own CA, handed over as PKCS#12; and where the CA certificate (public) lies for clients.
import { access, open } from 'node:fs/promises';
import { basename } from 'node:path';
import { configFrom, requireFlag, stringFlag, withVault, UsageError, type CommandIo, type Flags } from '../cli-context.ts';
import { readSecretInput } from './secret-input.ts';

export const certsHelp = `genovault certs issue-client --data-dir D --name NAME --out FILE.p12 [--password-file F]
genovault certs ca --data-dir D
  issue-client: a client certificate (CN=NAME, one year) from the vault's CA, with its key, written
  as PKCS#12 to FILE.p12 (mode 0600; an existing file is never overwritten). The service accepts
  it as the service account whose username is NAME. The bundle's password is the first line of
  --password-file, else GENOVAULT_P12_PASSWORD, else a random one printed once.
  ca: prints the path of the CA certificate that clients trust (curl --cacert).`;

const exists = (path: string) => access(path).then(() => true, () => false);

/** Creates the file exclusively with owner-only mode: no window in which others could read the key. */
async function writeNewPrivateFile(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, 'wx', 0o600).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EEXIST') throw new Error(`--out: ${basename(path)} exists; refusing to overwrite it`);
    throw new Error(`--out: cannot create ${basename(path)}: ${err.code ?? 'error'}`);
  });
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function issueClient(flags: Flags, io: CommandIo): Promise<number> {
  const config = configFrom(flags, io.env);
  const name = requireFlag(flags, 'name');
  const out = requireFlag(flags, 'out');
  if (await exists(out)) throw new Error(`--out: ${basename(out)} exists; refusing to overwrite it`);
  const password = await readSecretInput({ file: stringFlag(flags, 'password-file'), envName: 'GENOVAULT_P12_PASSWORD', env: io.env });
  const { loadOrCreateCa, caFilePath, caCertificatePath } = await import('../../service/tls-material.ts');
  const { issueClientCertificate } = await import('../../certs/issue-certificate.ts');
  const { exportPkcs12 } = await import('../../certs/pkcs12.ts');
  // Read-only when the CA exists, so a running service (which holds the writer lock) is no obstacle.
  const write = !(await exists(caFilePath(config.dataDir)));
  const bundle = await withVault(config, write, async (vault) => {
    const ca = await loadOrCreateCa(vault);
    const client = issueClientCertificate(ca, { name });
    return exportPkcs12(client.certificatePem, client.privateKeyPem, ca.certificatePem, password.value, name);
  });
  await writeNewPrivateFile(out, bundle);
  io.out(`wrote ${out} (mode 0600): client certificate CN=${name}, valid 365 days, signed by the vault CA`);
  io.out(`  it authenticates as the service account named ${name}; the server's CA certificate is ${caCertificatePath(config.dataDir)}`);
  if (password.generated) io.out(`PKCS#12 password (generated, shown once): ${password.value}`);
  return 0;
}

async function showCa(flags: Flags, io: CommandIo): Promise<number> {
  const config = configFrom(flags, io.env);
  const { caCertificatePath } = await import('../../service/tls-material.ts');
  const path = caCertificatePath(config.dataDir);
  if (!(await exists(path))) throw new Error(`no CA certificate in ${config.dataDir}; run genovault init (or serve) first`);
  io.out(path);
  return 0;
}

export async function certsCommand(args: string[], flags: Flags, io: CommandIo): Promise<number> {
  const [sub, ...extra] = args;
  if (extra.length > 0) throw new UsageError(`certs ${sub ?? ''} takes no positional arguments`);
  if (sub === 'issue-client') return issueClient(flags, io);
  if (sub === 'ca') return showCa(flags, io);
  throw new UsageError(sub ? `unknown certs command: ${sub}` : 'certs needs a subcommand: issue-client or ca');
}
