// The vault's own certificate authority, sealed in the vault, and a server certificate issued
// from it at each start for the configured names. Only the CA certificate (public) is written
// in the clear, so clients can be told to trust it.
import { readFile, access } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { sealObject, openObject } from '../crypto/sealed-object.ts';
import { writeFileAtomic } from '../fs/atomic.ts';
import { createCertificateAuthority } from '../certs/certificate-authority.ts';
import { issueServerCertificate } from '../certs/issue-certificate.ts';
import type { CertificateAuthority, CertificateWithKey } from '../certs/pem-types.ts';
import type { Vault } from '../store/vault.ts';

const TLS_KEY_ID = 'tls';
const CA_OBJECT = { objectId: 'tls-ca', version: 1, keyId: TLS_KEY_ID };
const SERVER_OBJECT = { objectId: 'tls-server', version: 1, keyId: TLS_KEY_ID };
const RENEW_BEFORE_MS = 30 * 24 * 3_600_000;

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

export function serverFilePath(dataDir: string): string {
  return join(dataDir, 'tls', 'server.gvs');
}

interface StoredServerCertificate extends CertificateWithKey {
  hostnames: string[];
}

function stillGood(stored: StoredServerCertificate, hostnames: string[]): boolean {
  const cert = new X509Certificate(stored.certificatePem);
  const covers = hostnames.every((h) => stored.hostnames.includes(h));
  return covers && Date.parse(cert.validTo) - Date.now() > RENEW_BEFORE_MS;
}

/** The sealed server certificate, re-issued from the CA when names change or expiry nears. */
export async function loadOrIssueServerCertificate(vault: Vault, ca: CertificateAuthority, hostnames: string[]): Promise<CertificateWithKey> {
  const [key] = await vault.namedKeys([TLS_KEY_ID]);
  const file = serverFilePath(vault.dataDir);
  const exists = await access(file).then(() => true, () => false);
  if (exists) {
    const stored = JSON.parse(openObject(key!, vault.vaultId, SERVER_OBJECT, await readFile(file), 'tls/server.gvs').toString('utf8')) as StoredServerCertificate;
    if (stillGood(stored, hostnames)) return stored;
  }
  const issued: StoredServerCertificate = { ...issueServerCertificate(ca, { hostnames, ips: [] }), hostnames };
  await writeFileAtomic(file, sealObject(key!, vault.vaultId, SERVER_OBJECT, Buffer.from(JSON.stringify(issued), 'utf8')));
  return issued;
}
