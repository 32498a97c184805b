// `genovault certs` through the real CLI: a PKCS#12 that opens with its password and holds a
// client certificate our CA signed; refusals write no file.
import { strict as assert } from 'node:assert';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, stat, writeFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import { readPkcs12 } from '../../../vault/certs/pkcs12.ts';
import { makeCliVault, printed, type CliVault } from './cli-vault-kit.ts';

const absent = (path: string) => access(path).then(() => false, () => true);

describe('genovault certs', function () {
  this.timeout(120_000);
  let v: CliVault;
  beforeEach(async () => {
    v = await makeCliVault();
  });
  afterEach(() => v.remove());

  it('issues a client certificate from the vault CA as an owner-only PKCS#12 with a generated password', async () => {
    const out = join(v.root, 'ehr.p12');
    const r = await v.cli(['certs', 'issue-client', '--name', 'ehr-gateway', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await stat(out)).mode & 0o777, 0o600);
    const password = printed(r.stdout, /PKCS#12 password \(generated, shown once\):/);
    const contents = readPkcs12(await readFile(out), password);
    const [leafPem, caPem] = contents.certificatePems;
    const leaf = new X509Certificate(leafPem!);
    const ca = new X509Certificate(await readFile(join(v.dataDir, 'tls', 'ca-certificate.pem')));
    assert.equal(leaf.subject, 'CN=ehr-gateway');
    assert.ok(leaf.verify(ca.publicKey), 'signed by the vault CA');
    assert.ok(leaf.checkIssued(ca));
    assert.equal(new X509Certificate(caPem!).fingerprint256, ca.fingerprint256, 'the chain carries the CA');
    assert.throws(() => readPkcs12(readFileSync(out), 'wrong-password-123'), /wrong password/);

    const again = await v.cli(['certs', 'issue-client', '--name', 'ehr-gateway', '--out', out]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /ehr\.p12 exists; refusing to overwrite it/);
  });

  it('takes the bundle password from --password-file or GENOVAULT_P12_PASSWORD and does not print it', async () => {
    const file = join(v.root, 'p12-password');
    await writeFile(file, 'bundle-Password-1\n', { mode: 0o600 });
    const a = join(v.root, 'a.p12');
    const b = join(v.root, 'b.p12');
    const fromFile = await v.cli(['certs', 'issue-client', '--name', 'svc-a', '--out', a, '--password-file', file]);
    const fromEnv = await v.cli(['certs', 'issue-client', '--name', 'svc-b', '--out', b], { GENOVAULT_P12_PASSWORD: 'bundle-Password-2' });
    assert.equal(fromFile.code, 0, fromFile.stderr);
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    assert.ok(!fromFile.stdout.includes('bundle-Password-1') && !fromEnv.stdout.includes('bundle-Password-2'));
    assert.equal(new X509Certificate(readPkcs12(await readFile(a), 'bundle-Password-1').certificatePems[0]!).subject, 'CN=svc-a');
    assert.throws(() => readPkcs12(readFileSync(b), 'bundle-Password-1'), /wrong password/);
  });

  it('refuses a short bundle password, a bad name and a missing --out, writing nothing', async () => {
    const out = join(v.root, 'x.p12');
    const short = await v.cli(['certs', 'issue-client', '--name', 'svc', '--out', out], { GENOVAULT_P12_PASSWORD: 'short' });
    assert.equal(short.code, 1);
    assert.match(short.stderr, /PKCS#12 password needs at least 12 characters/);
    const badName = await v.cli(['certs', 'issue-client', '--name', 'bad name!', '--out', out]);
    assert.equal(badName.code, 1);
    assert.match(badName.stderr, /a client name has 1 to 64 letters/);
    const noOut = await v.cli(['certs', 'issue-client', '--name', 'svc']);
    assert.equal(noOut.code, 2);
    assert.match(noOut.stderr, /--out is required/);
    assert.ok(await absent(out));
  });

  it('prints where the CA certificate is, and refuses a data dir without one', async () => {
    const r = await v.cli(['certs', 'ca']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), join(v.dataDir, 'tls', 'ca-certificate.pem'));
    const none = await v.cli(['certs', 'ca'], { GENOVAULT_DATA_DIR: join(v.root, 'nothing') });
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no CA certificate/);
  });

  it('refuses a wrong master key', async () => {
    const { newMasterKey } = await import('../../../vault/crypto/master-key.ts');
    const out = join(v.root, 'y.p12');
    const r = await v.cli(['certs', 'issue-client', '--name', 'svc', '--out', out], { GENOVAULT_MASTER_KEY: newMasterKey('other').bytes.toString('base64') });
    assert.equal(r.code, 1);
    assert.ok(await absent(out));
  });
});

