// PKCS#12 bundles for handing a client certificate and its key to a service account.
// The key bag is encrypted with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC). node-forge fixes the
// integrity MAC at HMAC-SHA1 and leaves the certificate bag unencrypted (certificates are public);
// OpenSSL 3 and browsers read both without the legacy provider.
import forge from 'node-forge';

/** PBKDF2 iterations for the key bag and the MAC (forge encodes counts below 65536 only). */
export const PKCS12_ITERATIONS = 50_000;
export const MIN_PKCS12_PASSWORD_LENGTH = 12;

export class Pkcs12Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Pkcs12Error';
  }
}

export function exportPkcs12(certificatePem: string, privateKeyPem: string, caCertificatePem: string, password: string, friendlyName?: string): Buffer {
  if (password.length < MIN_PKCS12_PASSWORD_LENGTH) {
    throw new Pkcs12Error(`a PKCS#12 password needs at least ${MIN_PKCS12_PASSWORD_LENGTH} characters`);
  }
  // prfAlgorithm is read by forge's encryptPrivateKeyInfo but missing from its type definitions
  const options = {
    algorithm: 'aes256' as const,
    prfAlgorithm: 'sha256',
    count: PKCS12_ITERATIONS,
    saltSize: 16,
    generateLocalKeyId: true,
    ...(friendlyName ? { friendlyName } : {}),
  };
  const asn1 = forge.pkcs12.toPkcs12Asn1(
    forge.pki.privateKeyFromPem(privateKeyPem),
    [forge.pki.certificateFromPem(certificatePem), forge.pki.certificateFromPem(caCertificatePem)],
    password,
    options,
  );
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

export interface Pkcs12Contents {
  privateKeyPem: string;
  /** the end-entity certificate first, then the chain */
  certificatePems: string[];
}

/** Opens a PKCS#12 bundle; a wrong password or tampered bytes throw Pkcs12Error. */
export function readPkcs12(bundle: Uint8Array, password: string): Pkcs12Contents {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(Buffer.from(bundle).toString('binary'));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, true, password);
  } catch {
    throw new Pkcs12Error('cannot open the PKCS#12 bundle: wrong password or damaged file');
  }
  const keyBags = p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? [];
  const certBags = p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [];
  const key = keyBags[0]?.key;
  if (!key) throw new Pkcs12Error('the PKCS#12 bundle holds no private key');
  return {
    privateKeyPem: forge.pki.privateKeyToPem(key),
    certificatePems: certBags.flatMap((bag) => (bag.cert ? [forge.pki.certificateToPem(bag.cert)] : [])),
  };
}
