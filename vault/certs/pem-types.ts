// Certificates and keys travel as PEM strings: what node:tls reads and what the vault seals.

/** A certificate with its private key (the CA's, the server's or a client's). */
export interface CertificateWithKey {
  certificatePem: string;
  /** PKCS#8 PEM; seal it before it touches the disk */
  privateKeyPem: string;
}

export type CertificateAuthority = CertificateWithKey;
