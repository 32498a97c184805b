// The vault's own certificate authority, sealed in the vault, and a server certificate issued
// from it at each start for the configured names. Only the CA certificate (public) is written
// in the clear, so clients can be told to trust it.
import { readFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import { sealObject, openObject } from '../crypto/sealed-object.ts';
import { writeFileAtomic } from '../fs/atomic.ts';
import { createCertificateAuthority } from '../certs/certificate-authority.ts';
import { issueServerCertificate } from '../certs/issue-certificate.ts';
import type { CertificateAuthority, CertificateWithKey } from '../certs/pem-types.ts';
import type { Vault } from '../store/vault.ts';

const TLS_KEY_ID = 'tls';
const CA_OBJECT = { objectId: 'tls-ca', version: 1, keyId: TLS_KEY_ID };

export function caFilePath(dataDir: string): string {
  return join(dataDir, 'tls', 'ca.gvs');
}

/** Public CA certificate for clients (curl --cacert). */
export function caCertificatePath(dataDir: string): string {
  return join(dataDir, 'tls', 'ca-certificate.pem');
}

export async function loadOrCreateCa(vault: Vault): Promise<CertificateAuthority> {
  const [key] = await vault.namedKeys([TLS_KEY_ID]);
  const file = caFilePath(vault.dataDir);
  const exists = await access(file).then(() => true, () => false);
  if (exists) {
    return JSON.parse(openObject(key!, vault.vaultId, CA_OBJECT, await readFile(file), 'tls/ca.gvs').toString('utf8')) as CertificateAuthority;
  }
  const ca = createCertificateAuthority({ commonName: `GenoVault local CA ${vault.vaultId}` });
  await writeFileAtomic(file, sealObject(key!, vault.vaultId, CA_OBJECT, Buffer.from(JSON.stringify(ca), 'utf8')));
  await writeFileAtomic(caCertificatePath(vault.dataDir), ca.certificatePem, 0o644);
  return ca;
}

export function serverCertificate(ca: CertificateAuthority, hostnames: string[]): CertificateWithKey {
  return issueServerCertificate(ca, { hostnames, ips: [] });
}
