// RSA key pairs from OpenSSL (node:crypto): forge's pure-JS generation takes seconds per key.
// Forge then only builds and signs certificates, for which Node has no API.
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export const MIN_RSA_BITS = 2048;

export interface ForgeKeyPair {
  privateKey: forge.pki.rsa.PrivateKey;
  publicKey: forge.pki.rsa.PublicKey;
  /** PKCS#8 PEM of the private key */
  privateKeyPem: string;
}

export function generateRsaKeyPair(bits: number): ForgeKeyPair {
  if (!Number.isInteger(bits) || bits < MIN_RSA_BITS) throw new RangeError(`RSA keys must have at least ${MIN_RSA_BITS} bits, got ${bits}`);
  const { privateKey: privateKeyPem, publicKey: publicKeyPem } = generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicExponent: 0x10001,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKeyPem),
    publicKey: forge.pki.publicKeyFromPem(publicKeyPem),
    privateKeyPem,
  };
}

/** Reads a PEM private key (PKCS#8 or PKCS#1) into forge. */
export function forgePrivateKey(pem: string): forge.pki.rsa.PrivateKey {
  return forge.pki.privateKeyFromPem(pem);
}
