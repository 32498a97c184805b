// The vault CA and the certificates it issues: the properties TLS clients and servers check.
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import forge from 'node-forge';
import { createCertificateAuthority } from '../../../vault/certs/certificate-authority.ts';
import { CertificateRequestError, issueClientCertificate, issueServerCertificate } from '../../../vault/certs/issue-certificate.ts';
import type { CertificateAuthority } from '../../../vault/certs/pem-types.ts';

const DAY_MS = 86_400_000;

function extension(pem: string, name: string): Record<string, unknown> | undefined {
  const found: unknown = forge.pki.certificateFromPem(pem).getExtension(name);
  return found as Record<string, unknown> | undefined;
}

function validDays(cert: X509Certificate): number {
  return (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / DAY_MS;
}

describe('certificate authority', () => {
  let ca: CertificateAuthority;
  before(() => {
    ca = createCertificateAuthority({ commonName: 'GenoVault Test CA', organization: 'GenoVault' });
  });

  it('is a self-signed CA with an RSA key of 3072 bits, SHA-256, valid for ten years', () => {
    const cert = new X509Certificate(ca.certificatePem);
    assert.equal(cert.ca, true);
    assert.ok(cert.checkIssued(cert) && cert.verify(cert.publicKey));
    assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 3072);
    assert.equal(forge.pki.certificateFromPem(ca.certificatePem).siginfo.algorithmOid, forge.pki.oids.sha256WithRSAEncryption);
    assert.ok(Math.abs(validDays(cert) - 3650) < 1);
    assert.match(cert.subject, /CN=GenoVault Test CA/);
  });

  it('may sign certificates but not other CAs', () => {
    const basic = extension(ca.certificatePem, 'basicConstraints');
    assert.equal(basic?.cA, true);
    assert.equal(basic?.critical, true);
    assert.equal(basic?.pathLenConstraint, 0);
    const usage = extension(ca.certificatePem, 'keyUsage');
    assert.equal(usage?.keyCertSign, true);
    assert.equal(usage?.critical, true);
  });

  it('keeps its private key in PKCS#8 PEM that matches the certificate', () => {
    assert.match(ca.privateKeyPem, /^-----BEGIN PRIVATE KEY-----/);
    const key = createPrivateKey(ca.privateKeyPem);
    assert.ok(new X509Certificate(ca.certificatePem).checkPrivateKey(key));
  });

  it('refuses RSA keys below 2048 bits', () => {
    assert.throws(() => createCertificateAuthority({ commonName: 'weak', keyBits: 1024 }), RangeError);
  });

  describe('server certificates', () => {
    it('carry SANs for localhost, 127.0.0.1, ::1 and the configured names, for server auth only', () => {
      const issued = issueServerCertificate(ca, { hostnames: ['vault.hospital.example'], ips: ['10.1.2.3'] });
      const cert = new X509Certificate(issued.certificatePem);
      const sans = cert.subjectAltName ?? '';
      for (const expected of ['DNS:localhost', 'DNS:vault.hospital.example', 'IP Address:127.0.0.1', 'IP Address:0:0:0:0:0:0:0:1', 'IP Address:10.1.2.3']) {
        assert.ok(sans.includes(expected), `${expected} in ${sans}`);
      }
      assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1']); // node names the EKU OIDs here: serverAuth only
      assert.equal(cert.ca, false);
      assert.ok(cert.checkIssued(new X509Certificate(ca.certificatePem)));
      assert.ok(cert.verify(new X509Certificate(ca.certificatePem).publicKey));
      assert.ok(cert.checkHost('vault.hospital.example'));
      assert.ok(cert.checkIP('::1'));
      assert.ok(validDays(cert) <= 397);
      assert.ok(cert.checkPrivateKey(createPrivateKey(issued.privateKeyPem)));
    });

    it('name the issuing key, so chains build without guessing', () => {
      const issued = issueServerCertificate(ca, { hostnames: [], ips: [] });
      const aki = forge.pki.certificateFromPem(issued.certificatePem).getExtension('authorityKeyIdentifier') as { value: string };
      const caKeyId = forge.pki.certificateFromPem(ca.certificatePem).generateSubjectKeyIdentifier().getBytes();
      assert.ok(aki.value.includes(caKeyId));
    });

    it('refuse bad hostnames, bad IPs and lifetimes past 397 days', () => {
      assert.throws(() => issueServerCertificate(ca, { hostnames: ['bad host'], ips: [] }), CertificateRequestError);
      assert.throws(() => issueServerCertificate(ca, { hostnames: ['a..b'], ips: [] }), CertificateRequestError);
      assert.throws(() => issueServerCertificate(ca, { hostnames: [], ips: ['300.1.1.1'] }), CertificateRequestError);
      assert.throws(() => issueServerCertificate(ca, { hostnames: [], ips: [], validDays: 398 }), CertificateRequestError);
    });

    it('have distinct random serial numbers', () => {
      const a = new X509Certificate(issueServerCertificate(ca, { hostnames: [], ips: [] }).certificatePem);
      const b = new X509Certificate(issueServerCertificate(ca, { hostnames: [], ips: [] }).certificatePem);
      assert.notEqual(a.serialNumber, b.serialNumber);
      assert.ok(a.serialNumber.length >= 30);
    });
  });

  describe('client certificates', () => {
    it('name the service account in the subject CN, for client auth only', () => {
      const issued = issueClientCertificate(ca, { name: 'ehr-integration' });
      const cert = new X509Certificate(issued.certificatePem);
      assert.match(cert.subject, /CN=ehr-integration/);
      assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.2']);
      assert.equal(cert.ca, false);
      assert.ok(cert.verify(new X509Certificate(ca.certificatePem).publicKey));
    });

    it('refuse names that could confuse a subject parser', () => {
      for (const name of ['', 'a b', 'x,CN=admin', '-leading', 'n'.repeat(65)]) {
        assert.throws(() => issueClientCertificate(ca, { name }), CertificateRequestError, JSON.stringify(name));
      }
    });
  });
});
