// `genovault init` then `genovault serve`: HTTPS by default, with a certificate from the
// vault's own CA that a client trusting only that CA accepts.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { runCli, CLI } from '../helpers/run-cli.ts';
import { hashTree } from '../helpers/hash-tree.ts';

function httpsGet(url: string, ca: string, client: { pfx?: Buffer; passphrase?: string; method?: string; body?: string } = {}): Promise<{ status: number; body: string; hsts: string | undefined }> {
  return new Promise((resolve, reject) => {
    const headers = client.body ? { 'content-type': 'application/json' } : undefined;
    const req = request(url, { ca, method: client.method ?? 'GET', ...(headers ? { headers } : {}), ...(client.pfx ? { pfx: client.pfx, passphrase: client.passphrase } : {}) }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, hsts: res.headers['strict-transport-security'] }));
    });
    req.on('error', reject);
    req.end(client.body);
  });
}

describe('genovault serve (HTTPS)', function () {
  this.timeout(90_000);
  let dir: { path: string; remove: () => Promise<void> };
  let child: ChildProcess | undefined;
  before(async () => (dir = await makeTempDir()));
  after(async () => {
    child?.kill('SIGKILL');
    await dir.remove();
  });

  it('serves over TLS with the vault CA, and the sealed TLS material holds no plaintext key', async () => {
    const data = join(dir.path, 'vault');
    const init = await runCli(['init', '--data-dir', data]);
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stdout, /ca-certificate\.pem/);
    const sealed = await readFile(join(data, 'tls', 'server.gvs'));
    assert.ok(!sealed.includes(Buffer.from('PRIVATE KEY')), 'the server key is sealed');
    // a service account for the EHR integration, and its client certificate from the vault's CA
    assert.equal((await runCli(['users', 'add', '--data-dir', data, '--role', 'ehr_service', '--username', 'ehr-gateway'])).code, 0);
    const p12 = join(dir.path, 'ehr.p12');
    const issued = await runCli(['certs', 'issue-client', '--data-dir', data, '--name', 'ehr-gateway', '--out', p12], { env: { GENOVAULT_P12_PASSWORD: 'p12-Password-for-tests' } });
    assert.equal(issued.code, 0, issued.stderr);
    const before = await hashTree(join(data, 'tls'));

    child = spawn(process.execPath, [CLI, 'serve', '--data-dir', data, '--port', '0', '--log-level', 'silent'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GENOVAULT_MASTER_KEY: '' } });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (https:\/\/[^\s]+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child!.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
    });
    assert.match(url, /^https:\/\/127\.0\.0\.1:\d+\/v1$/);
    const ca = await readFile(join(data, 'tls', 'ca-certificate.pem'), 'utf8');
    const health = await httpsGet(`${url.replace('127.0.0.1', 'localhost')}/health`, ca);
    assert.equal(health.status, 200);
    assert.match(health.hsts ?? '', /max-age=/);
    await assert.rejects(httpsGet(`${url}/health`, (await import('node:tls')).rootCertificates.join('\n')), /self[- ]signed|unable to verify|certificate/i);
    assert.deepEqual(await hashTree(join(data, 'tls')), before, 'the sealed certificate is reused, not re-issued');

    // mutual TLS: the client certificate alone authenticates the EHR service account
    const pfx = await readFile(p12);
    const record = JSON.stringify({ mrn: 'MRN-TLS-1', givenName: 'Mary', familyName: 'Anning', birthDate: '1979-05-21', sex: 'female', zip: '10001', conditions: [] });
    const created = await httpsGet(`${url}/patients`.replace('127.0.0.1', 'localhost'), ca, { pfx, passphrase: 'p12-Password-for-tests', method: 'POST', body: record });
    assert.equal(created.status, 201, created.body);
    const anonymous = await httpsGet(`${url}/patients`.replace('127.0.0.1', 'localhost'), ca, { method: 'POST', body: record });
    assert.equal(anonymous.status, 401, 'without the certificate (or a token) the same request is refused');
    child.kill('SIGTERM');
    await new Promise((resolve) => child!.once('exit', resolve));
    child = undefined;
  });
});
