// The parts every certificate we make shares: a random positive serial, a validity window that
// tolerates small clock skew, a SHA-256 signature.
import { randomBytes } from 'node:crypto';
import forge from 'node-forge';

const DAY_MS = 24 * 60 * 60 * 1000;
/** backdating notBefore absorbs clocks a few minutes apart */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** 128 random bits, high bit clear so the DER INTEGER stays positive (RFC 5280 §4.1.2.2). */
export function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f | 0x01;
  return bytes.toString('hex');
}

export function validityWindow(days: number, now = new Date()): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(now.getTime() - CLOCK_SKEW_MS), notAfter: new Date(now.getTime() + days * DAY_MS) };
}

export interface CertificateDraft {
  publicKey: forge.pki.rsa.PublicKey;
  subject: forge.pki.CertificateField[];
  issuer: forge.pki.CertificateField[];
  validDays: number;
  extensions: object[];
  signingKey: forge.pki.rsa.PrivateKey;
}

export function buildCertificate(draft: CertificateDraft): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = draft.publicKey;
  cert.serialNumber = randomSerialNumber();
  const { notBefore, notAfter } = validityWindow(draft.validDays);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject(draft.subject);
  cert.setIssuer(draft.issuer);
  cert.setExtensions(draft.extensions);
  cert.sign(draft.signingKey, forge.md.sha256.create());
  return cert;
}

export function commonNameField(commonName: string, organization?: string): forge.pki.CertificateField[] {
  if (commonName.trim().length === 0 || commonName.length > 64) throw new RangeError('a common name must have 1 to 64 characters');
  return [{ name: 'commonName', value: commonName }, ...(organization ? [{ name: 'organizationName', value: organization }] : [])];
}
