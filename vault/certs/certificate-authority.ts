// The vault's own certificate authority: it signs the server certificate and the client
// certificates of service accounts. It is trusted by nothing else, which is the point.
import forge from 'node-forge';
import { buildCertificate, commonNameField } from './certificate-builder.ts';
import type { CertificateAuthority } from './pem-types.ts';
import { generateRsaKeyPair } from './rsa-key-pair.ts';

export const CA_VALID_DAYS = 3650;
export const CA_KEY_BITS = 3072;

export interface CertificateAuthorityOptions {
  commonName: string;
  organization?: string;
  keyBits?: number;
  validDays?: number;
}

export function createCertificateAuthority(options: CertificateAuthorityOptions): CertificateAuthority {
  const keys = generateRsaKeyPair(options.keyBits ?? CA_KEY_BITS);
  const name = commonNameField(options.commonName, options.organization);
  const cert = buildCertificate({
    publicKey: keys.publicKey,
    subject: name,
    issuer: name,
    validDays: options.validDays ?? CA_VALID_DAYS,
    signingKey: keys.privateKey,
    extensions: [
      // pathLen 0: this CA signs end-entity certificates only, never another CA
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ],
  });
  return { certificatePem: forge.pki.certificateToPem(cert), privateKeyPem: keys.privateKeyPem };
}
