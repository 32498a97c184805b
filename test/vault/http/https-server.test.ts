// HTTPS with the vault's own CA, and mutual TLS for service accounts.
import assert from 'node:assert/strict';
import { createCertificateAuthority } from '../../../vault/certs/certificate-authority.ts';
import { issueClientCertificate, issueServerCertificate } from '../../../vault/certs/issue-certificate.ts';
import type { CertificateAuthority, CertificateWithKey } from '../../../vault/certs/pem-types.ts';
import { exportPkcs12 } from '../../../vault/certs/pkcs12.ts';
import { createHttpApp } from '../../../vault/http/app.ts';
import { HSTS_VALUE } from '../../../vault/http/security-headers.ts';
import { startServer } from '../../../vault/http/start-server.ts';
import type { RunningServer, StartServerOptions } from '../../../vault/http/start-server.ts';
import { bearerAuthenticator, discardOutcomes, logSink, send, testRoutes } from './http-test-kit.ts';
import type { LogSink } from './http-test-kit.ts';
import type { ClientCertificate } from '../../../vault/http/http-context.ts';

type WhoAmI = { clientCertificate: ClientCertificate | null };
type ProblemCode = { code: string };

describe('HTTPS server', () => {
  let ca: CertificateAuthority;
  let otherCa: CertificateAuthority;
  let serverCert: CertificateWithKey;
  let server: RunningServer;
  let sink: LogSink;

  before(async () => {
    ca = createCertificateAuthority({ commonName: 'GenoVault Test CA', keyBits: 2048 });
    otherCa = createCertificateAuthority({ commonName: 'Someone Else CA', keyBits: 2048 });
    serverCert = issueServerCertificate(ca, { hostnames: ['vault.test'], ips: [] });
    sink = logSink();
    const { app } = createHttpApp({ logger: sink.logger, routeTables: [testRoutes], tls: true, authenticate: bearerAuthenticator, auditPatientRequest: discardOutcomes });
    server = await startServer(app, {
      host: '127.0.0.1',
      port: 0,
      tls: { key: serverCert.privateKeyPem, cert: serverCert.certificatePem, ca: ca.certificatePem, requestClientCert: true },
    });
  });
  after(() => server?.close());

  it('serves https to a client that trusts only the vault CA, with HSTS', async () => {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const reply = await send(`${server.url}/v1/whoami`, { ca: ca.certificatePem });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['strict-transport-security'], HSTS_VALUE);
    assert.deepEqual(reply.json(), { clientCertificate: null });
    const byName = await send(`${server.url}/v1/whoami`, { ca: ca.certificatePem, servername: 'localhost' });
    assert.equal(byName.status, 200);
  });

  it('is refused by clients that do not trust the vault CA', async () => {
    await assert.rejects(send(`${server.url}/v1/whoami`), /unable to verify|self-signed certificate in certificate chain/);
    await assert.rejects(send(`${server.url}/v1/whoami`, { ca: otherCa.certificatePem }), /unable to verify|self-signed certificate in certificate chain/);
  });

  it('exposes the CN of a client certificate signed by the vault CA', async () => {
    const client = issueClientCertificate(ca, { name: 'ehr-integration' });
    const reply = await send(`${server.url}/v1/whoami`, { ca: ca.certificatePem, key: client.privateKeyPem, cert: client.certificatePem });
    assert.equal(reply.status, 200);
    const seen = reply.json<WhoAmI>().clientCertificate!;
    assert.equal(seen.commonName, 'ehr-integration');
    assert.match(seen.fingerprint256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const line = sink.lines().find((l) => l.requestId === reply.headers['x-request-id'] && l.msg === 'request');
    assert.equal(line?.clientCertificateSerial, seen.serialNumber);
  });

  it('accepts the same identity from its PKCS#12 export', async () => {
    const client = issueClientCertificate(ca, { name: 'lab-feed' });
    const pfx = exportPkcs12(client.certificatePem, client.privateKeyPem, ca.certificatePem, 'a long enough password');
    const reply = await send(`${server.url}/v1/whoami`, { ca: ca.certificatePem, pfx, passphrase: 'a long enough password' });
    assert.equal(reply.json<WhoAmI>().clientCertificate?.commonName, 'lab-feed');
  });

  it('refuses a client certificate from another CA, on every route', async () => {
    const stranger = issueClientCertificate(otherCa, { name: 'ehr-integration' });
    for (const path of ['/v1/whoami', '/v1/openapi.json', '/v1/nothing']) {
      const reply = await send(`${server.url}${path}`, { ca: ca.certificatePem, key: stranger.privateKeyPem, cert: stranger.certificatePem });
      assert.equal(reply.status, 401, path);
      assert.equal(reply.json<ProblemCode>().code, 'client_certificate_rejected');
      assert.doesNotMatch(reply.text, /ehr-integration/);
    }
  });

  it('refuses a server certificate offered as a client certificate', async () => {
    const reply = await send(`${server.url}/v1/whoami`, { ca: ca.certificatePem, key: serverCert.privateKeyPem, cert: serverCert.certificatePem });
    assert.equal(reply.status, 401);
    assert.equal(reply.json<ProblemCode>().code, 'client_certificate_rejected');
  });
});

describe('startServer', () => {
  it('serves plain HTTP only when asked explicitly', async () => {
    const { app } = createHttpApp({ logger: logSink().logger, routeTables: [], tls: false });
    await assert.rejects(startServer(app, { host: '127.0.0.1', port: 0 } as unknown as StartServerOptions), /plain HTTP must be asked for explicitly/);
    const plain = await startServer(app, { host: '127.0.0.1', port: 0, plainHttp: true });
    try {
      assert.match(plain.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal((await send(`${plain.url}/v1/openapi.json`)).status, 200);
    } finally {
      await plain.close();
    }
  });

  it('needs the client CA when asked to request client certificates', async () => {
    const ca = createCertificateAuthority({ commonName: 'CA', keyBits: 2048 });
    const cert = issueServerCertificate(ca, { hostnames: [], ips: [] });
    const { app } = createHttpApp({ logger: logSink().logger, routeTables: [], tls: true });
    await assert.rejects(
      startServer(app, { host: '127.0.0.1', port: 0, tls: { key: cert.privateKeyPem, cert: cert.certificatePem, requestClientCert: true } }),
      /needs the CA/,
    );
  });
});
