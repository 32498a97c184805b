// Which TLS handshakes the server accepts: on TLS 1.2 only ECDHE key exchange with an AEAD cipher
// (forward secrecy, no CBC, no SHA-1 MAC); TLS 1.3 as it comes; nothing older than TLS 1.2.
// Real clients offer exactly one suite each, so a refusal is the server's, not the client's.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { connect, type ConnectionOptions } from 'node:tls';
import { createCertificateAuthority } from '../../../vault/certs/certificate-authority.ts';
import { issueServerCertificate } from '../../../vault/certs/issue-certificate.ts';
import type { CertificateAuthority } from '../../../vault/certs/pem-types.ts';
import { createHttpApp } from '../../../vault/http/app.ts';
import { startServer, type RunningServer } from '../../../vault/http/start-server.ts';
import { logSink } from './http-test-kit.ts';

/** Suites a TLS 1.2 client may offer that the server must refuse, and why. */
const FORBIDDEN_TLS12: [string, string][] = [
  ['AES128-SHA', 'RSA key exchange, CBC with SHA-1'],
  ['AES256-SHA', 'RSA key exchange, CBC with SHA-1'],
  ['AES128-SHA256', 'RSA key exchange, CBC'],
  ['AES128-GCM-SHA256', 'RSA key exchange: AEAD but no forward secrecy'],
  ['AES256-GCM-SHA384', 'RSA key exchange: AEAD but no forward secrecy'],
  ['ECDHE-RSA-AES128-SHA', 'forward secret, but CBC with SHA-1'],
  ['ECDHE-RSA-AES256-SHA', 'forward secret, but CBC with SHA-1'],
  ['ECDHE-RSA-AES128-SHA256', 'forward secret, but CBC'],
  ['ECDHE-RSA-AES256-SHA384', 'forward secret, but CBC'],
  ['DHE-RSA-AES128-GCM-SHA256', 'finite-field Diffie-Hellman, not ECDHE'],
];

const ALLOWED_TLS12 = ['ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-CHACHA20-POLY1305'];

interface Handshake {
  protocol: string | null;
  cipher: string;
}

/** Completes a handshake (or fails with the TLS alert) and closes at once. */
function handshake(port: number, ca: string, options: ConnectionOptions): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca, servername: 'localhost', ...options }, () => {
      const result = { protocol: socket.getProtocol(), cipher: socket.getCipher().name };
      socket.end();
      resolve(result);
    });
    socket.on('error', reject);
  });
}

/** A client that offers one TLS 1.2 suite; SECLEVEL=0 so the client itself does not drop weak ones. */
const tls12With = (cipher: string): ConnectionOptions => ({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: `${cipher}@SECLEVEL=0` });

function opensslClient(port: number, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, output: stdout + stderr });
    });
    child.stdin?.end();
  });
}

function opensslAvailable(): Promise<boolean> {
  return new Promise((resolve) => execFile('openssl', ['version'], (err) => resolve(!err)));
}

describe('TLS suites the server accepts', function () {
  this.timeout(60_000);
  let ca: CertificateAuthority;
  let server: RunningServer;
  let port: number;

  before(async () => {
    ca = createCertificateAuthority({ commonName: 'GenoVault TLS Test CA', keyBits: 2048 });
    const cert = issueServerCertificate(ca, { hostnames: ['localhost'], ips: [] });
    const { app } = createHttpApp({ logger: logSink().logger, routeTables: [], tls: true });
    server = await startServer(app, { host: '127.0.0.1', port: 0, tls: { key: cert.privateKeyPem, cert: cert.certificatePem } });
    port = Number(new URL(server.url).port);
  });
  after(() => server?.close());

  for (const [cipher, why] of FORBIDDEN_TLS12) {
    it(`refuses a TLS 1.2 client that offers only ${cipher} (${why})`, async () => {
      await assert.rejects(handshake(port, ca.certificatePem, tls12With(cipher)), /handshake failure|no shared cipher|alert/i);
    });
  }

  for (const cipher of ALLOWED_TLS12) {
    it(`accepts a TLS 1.2 client offering ${cipher}`, async () => {
      assert.deepEqual(await handshake(port, ca.certificatePem, tls12With(cipher)), { protocol: 'TLSv1.2', cipher });
    });
  }

  it('negotiates TLS 1.3 with a default client', async () => {
    const result = await handshake(port, ca.certificatePem, {});
    assert.equal(result.protocol, 'TLSv1.3');
    assert.match(result.cipher, /^TLS_(AES_128_GCM|AES_256_GCM|CHACHA20_POLY1305)_SHA(256|384)$/);
  });

  it('refuses TLS 1.1 and 1.0, even with a suite it would take on TLS 1.2', async () => {
    for (const version of ['TLSv1.1', 'TLSv1'] as const) {
      const client = { minVersion: version, maxVersion: version, ciphers: 'ECDHE-RSA-AES128-SHA@SECLEVEL=0' };
      await assert.rejects(handshake(port, ca.certificatePem, client), /protocol version|unsupported protocol|alert|wrong version/i, version);
    }
  });

  it('refuses the same weak suites to openssl s_client, and accepts an ECDHE AEAD suite', async function () {
    if (!(await opensslAvailable())) this.skip();
    for (const cipher of ['AES128-SHA', 'AES256-GCM-SHA384', 'ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA384']) {
      const refused = await opensslClient(port, ['-tls1_2', '-cipher', `${cipher}@SECLEVEL=0`]);
      assert.notEqual(refused.code, 0, `${cipher} was accepted`);
      assert.match(refused.output, /handshake failure|alert/i, cipher);
    }
    const accepted = await opensslClient(port, ['-tls1_2', '-cipher', 'ECDHE-RSA-AES256-GCM-SHA384']);
    assert.equal(accepted.code, 0, accepted.output.slice(0, 2000));
    assert.match(accepted.output, /Cipher is ECDHE-RSA-AES256-GCM-SHA384/);
  });
});
