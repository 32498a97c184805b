// End-entity certificates signed by the vault CA: the HTTPS server's, and client certificates
// for mutual-TLS service accounts (e.g. an EHR integration).
import { isIP } from 'node:net';
import forge from 'node-forge';
import { buildCertificate, commonNameField } from './certificate-builder.ts';
import type { CertificateAuthority, CertificateWithKey } from './pem-types.ts';
import { forgePrivateKey, generateRsaKeyPair } from './rsa-key-pair.ts';

/** The CA/Browser Forum ceiling for TLS server certificates. */
export const MAX_LEAF_VALID_DAYS = 397;
export const LEAF_KEY_BITS = 2048;
export const ALWAYS_SERVED_HOSTNAMES = ['localhost'];
export const ALWAYS_SERVED_IPS = ['127.0.0.1', '::1'];

const HOSTNAME = /^(?=.{1,253}$)(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const CLIENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class CertificateRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CertificateRequestError';
  }
}

interface LeafOptions {
  keyBits?: number;
  validDays?: number;
}

function checkValidDays(days: number): number {
  if (!Number.isInteger(days) || days < 1 || days > MAX_LEAF_VALID_DAYS) {
    throw new CertificateRequestError(`validDays must be a whole number from 1 to ${MAX_LEAF_VALID_DAYS}, got ${days}`);
  }
  return days;
}

function signedByCa(
  ca: CertificateAuthority,
  commonName: string,
  extendedKeyUsage: object,
  extra: object[],
  options: LeafOptions,
): CertificateWithKey {
  const caCert = forge.pki.certificateFromPem(ca.certificatePem);
  const keys = generateRsaKeyPair(options.keyBits ?? LEAF_KEY_BITS);
  const cert = buildCertificate({
    publicKey: keys.publicKey,
    subject: commonNameField(commonName),
    issuer: caCert.subject.attributes,
    validDays: checkValidDays(options.validDays ?? 365),
    signingKey: forgePrivateKey(ca.privateKeyPem),
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      extendedKeyUsage,
      { name: 'subjectKeyIdentifier' },
      { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
      ...extra,
    ],
  });
  return { certificatePem: forge.pki.certificateToPem(cert), privateKeyPem: keys.privateKeyPem };
}

export interface ServerCertificateOptions extends LeafOptions {
  hostnames: string[];
  ips: string[];
}

/** A TLS server certificate whose SANs always include localhost, 127.0.0.1 and ::1. */
export function issueServerCertificate(ca: CertificateAuthority, options: ServerCertificateOptions): CertificateWithKey {
  const hostnames = [...new Set([...ALWAYS_SERVED_HOSTNAMES, ...options.hostnames.map((h) => h.toLowerCase())])];
  const ips = [...new Set([...ALWAYS_SERVED_IPS, ...options.ips])];
  for (const host of hostnames) if (!HOSTNAME.test(host)) throw new CertificateRequestError(`not a valid hostname: ${JSON.stringify(host)}`);
  for (const ip of ips) if (isIP(ip) === 0) throw new CertificateRequestError(`not a valid IP address: ${JSON.stringify(ip)}`);
  const altNames = [...hostnames.map((value) => ({ type: 2, value })), ...ips.map((ip) => ({ type: 7, ip }))];
  const commonName = options.hostnames[0] ?? 'localhost';
  return signedByCa(ca, commonName, { name: 'extKeyUsage', serverAuth: true }, [{ name: 'subjectAltName', altNames }], options);
}

export interface ClientCertificateOptions extends LeafOptions {
  /** the service account's name, which becomes the subject CN */
  name: string;
}

/** A client certificate for mutual TLS; the subject CN names the service account. */
export function issueClientCertificate(ca: CertificateAuthority, options: ClientCertificateOptions): CertificateWithKey {
  if (!CLIENT_NAME.test(options.name)) {
    throw new CertificateRequestError('a client name has 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit');
  }
  return signedByCa(ca, options.name, { name: 'extKeyUsage', clientAuth: true }, [], options);
}
