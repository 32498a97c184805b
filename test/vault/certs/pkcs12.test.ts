// PKCS#12 export: readable with the password (by forge and by OpenSSL), closed without it.
import assert from 'node:assert/strict';
import { createSecureContext } from 'node:tls';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import forge from 'node-forge';
import { createCertificateAuthority } from '../../../vault/certs/certificate-authority.ts';
import { issueClientCertificate } from '../../../vault/certs/issue-certificate.ts';
import type { CertificateAuthority, CertificateWithKey } from '../../../vault/certs/pem-types.ts';
import { exportPkcs12, Pkcs12Error, readPkcs12 } from '../../../vault/certs/pkcs12.ts';

const PASSWORD = 'correct horse battery staple';

function containsOid(bundle: Buffer, oid: string): boolean {
  return bundle.includes(Buffer.from(forge.asn1.oidToDer(oid).getBytes(), 'binary'));
}

describe('PKCS#12 export', () => {
  let ca: CertificateAuthority;
  let client: CertificateWithKey;
  let bundle: Buffer;
  before(() => {
    ca = createCertificateAuthority({ commonName: 'GenoVault Test CA', keyBits: 2048 });
    client = issueClientCertificate(ca, { name: 'ehr-integration' });
    bundle = exportPkcs12(client.certificatePem, client.privateKeyPem, ca.certificatePem, PASSWORD, 'ehr-integration');
  });

  it('round-trips the key and the chain with the right password', () => {
    const opened = readPkcs12(bundle, PASSWORD);
    assert.equal(opened.certificatePems.length, 2);
    assert.equal(new X509Certificate(opened.certificatePems[0]!).fingerprint256, new X509Certificate(client.certificatePem).fingerprint256);
    assert.equal(new X509Certificate(opened.certificatePems[1]!).fingerprint256, new X509Certificate(ca.certificatePem).fingerprint256);
    const key = createPrivateKey(opened.privateKeyPem);
    assert.ok(new X509Certificate(client.certificatePem).checkPrivateKey(key));
  });

  it('refuses the wrong password and damaged bytes', () => {
    assert.throws(() => readPkcs12(bundle, 'wrong password here'), Pkcs12Error);
    const damaged = Buffer.from(bundle);
    damaged[damaged.length - 40]! ^= 0xff;
    assert.throws(() => readPkcs12(damaged, PASSWORD), Pkcs12Error);
    assert.throws(() => readPkcs12(Buffer.from('not a pkcs12 file'), PASSWORD), Pkcs12Error);
  });

  it('encrypts the key with AES-256 under PBKDF2-HMAC-SHA256', () => {
    assert.ok(containsOid(bundle, '2.16.840.1.101.3.4.1.42'), 'aes256-CBC');
    assert.ok(containsOid(bundle, '1.2.840.113549.2.9'), 'hmacWithSHA256');
    assert.ok(!containsOid(bundle, '1.2.840.113549.1.12.1.3'), 'no legacy 3DES');
    // the private exponent is nowhere in clear (the modulus is public: it is in the certificate)
    const { d } = createPrivateKey(client.privateKeyPem).export({ format: 'jwk' });
    assert.ok(!bundle.includes(Buffer.from(d!, 'base64url').subarray(0, 32)));
  });

  it('is readable by OpenSSL (node:tls), without the legacy provider', () => {
    assert.doesNotThrow(() => createSecureContext({ pfx: bundle, passphrase: PASSWORD }));
    assert.throws(() => createSecureContext({ pfx: bundle, passphrase: 'wrong password here' }));
  });

  it('refuses a short password', () => {
    assert.throws(() => exportPkcs12(client.certificatePem, client.privateKeyPem, ca.certificatePem, 'short'), Pkcs12Error);
  });
});
