// The command line on a vault that a service is serving (the service here, the commands in their
// own processes): an ingest is seen by queries only once committed, an erasure takes the sample out
// of the next answer and out of the service's memory, a key rotation is followed without a restart,
// read commands answer meanwhile, and the account commands refuse, naming the API to use.
import { strict as assert } from 'node:assert';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { worldForSuite, type World } from './service-world.ts';
import { runCli } from '../helpers/run-cli.ts';
import { holdWriterLock } from '../helpers/hold-writer-lock.ts';
import { readMasterKeyFile } from '../../vault/crypto/master-key.ts';

const SIMPLE_VCF = fileURLToPath(new URL('../fixtures/conformance/examples/simple.vcf', import.meta.url));

type Variants = { samplesQueried: number; variants: { sampleId: string }[] };

function cli(w: World, args: string[]) {
  return runCli([...args, '--data-dir', w.dataDir], { env: w.keyEnv });
}

async function variantsAs(w: World, token: string): Promise<Variants> {
  const r = await w.http<Variants>(`/patients/${w.patientA}/variants`, { token });
  assert.equal(r.status, 200, r.text);
  return r.body;
}

/** Markers of changes being prepared by processes other than this one. */
async function othersPreparing(w: World): Promise<string[]> {
  return (await readdir(`${w.dataDir}/.changes`).catch(() => [] as string[])).filter((m) => !m.startsWith(`${process.pid}-`));
}

describe('the command line while the service serves the same vault', function () {
  this.timeout(180_000);
  const world = worldForSuite({ https: true, masterKeyFile: true });

  it('an ingest: queries during it see none of it and after its commit all of it; read commands answer meanwhile', async () => {
    const { w } = world;
    const token = await w.login('clin_a');
    const before = await variantsAs(w, token);
    assert.equal(before.samplesQueried, 1);
    // another change committing here: the command reads and seals the whole file, then waits to commit
    const lock = await holdWriterLock(w.dataDir);
    const ingest = cli(w, ['ingest', '--patient', 'MRN-A-0001', '--sample', 'NA00002', SIMPLE_VCF]);
    for (let i = 0; i < 400 && (await othersPreparing(w)).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal((await othersPreparing(w)).length, 1, 'the command has written its sealed files');
    assert.deepEqual(await variantsAs(w, token), before, 'the service answers without any of it');
    const query = await cli(w, ['variants', '--patient', 'MRN-A-0001', '--format', 'json']);
    assert.equal(query.code, 0, query.stderr);
    assert.equal((JSON.parse(query.stdout) as Variants).samplesQueried, 1, 'and so does a command-line query');
    await lock.release();
    const done = await ingest;
    assert.equal(done.code, 0, done.stderr);
    const sampleId = /sample (s_[0-9a-f]+)/.exec(done.stdout)?.[1];
    assert.ok(sampleId);
    const after = await variantsAs(w, token);
    assert.equal(after.samplesQueried, 2);
    assert.ok(after.variants.some((v) => v.sampleId === sampleId), 'all of it after the commit');
  });

  it('erase-sample: the next query does not return the sample, and its decrypted rows have left the service\'s memory', async () => {
    const { w } = world;
    const token = await w.login('clin_a');
    const before = await variantsAs(w, token);
    const victim = before.variants.at(-1)!.sampleId;
    assert.ok(w.service.queries.engine.cachedSamples().has(victim), 'loaded by the query before');
    const erased = await cli(w, ['erase-sample', '--sample-id', victim, '--yes']);
    assert.equal(erased.code, 0, erased.stderr);
    const after = await variantsAs(w, token);
    assert.ok(!after.variants.some((v) => v.sampleId === victim));
    assert.equal(after.samplesQueried, before.samplesQueried - 1);
    assert.ok(!w.service.queries.engine.cachedSamples().has(victim), 'purged from memory');
    // the erasure rotated the master key: the service followed it through the key file
    assert.equal(w.service.vault.masterKeyFingerprint, (await readMasterKeyFile(`${w.dataDir}.master-key`)).fingerprint);
  });

  it('keys rotate: the service follows the new key without a restart, and what it commits next is sealed under it', async () => {
    const { w } = world;
    const rotated = await cli(w, ['keys', 'rotate']);
    assert.equal(rotated.code, 0, rotated.stderr);
    const token = await w.login('clin_a');
    await variantsAs(w, token);
    const key = await readMasterKeyFile(`${w.dataDir}.master-key`);
    assert.equal(w.service.vault.masterKeyFingerprint, key.fingerprint);
    const registrar = await w.login('registrar');
    const r = await w.http('/patients', { method: 'POST', token: registrar, body: { mrn: 'MRN-AFTER-ROT', givenName: 'Mary', familyName: 'Somerville', birthDate: '1970-12-26', sex: 'female', zip: '02139' } });
    assert.equal(r.status, 201, r.text);
    const listed = await cli(w, ['samples']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.ok(w.service.vault.catalog.patientByMrn('MRN-AFTER-ROT'));
  });

  it('users add, enrol, reset and list refuse while the service runs, naming the API to use, and change nothing', async () => {
    const { w } = world;
    const accounts = w.service.identity.listAccounts().length;
    for (const args of [['users', 'add', '--role', 'clinician', '--username', 'new.clinician'], ['users', 'list'], ['users', 'reset', '--username', 'clin_b']]) {
      const r = await cli(w, args);
      assert.equal(r.code, 1, args.join(' '));
      assert.match(r.stderr, /the service is running \(process \d+\) and owns the account log: .*POST \/v1\/users/, args.join(' '));
      assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
    }
    assert.equal(w.service.identity.listAccounts().length, accounts);
  });
});
