// Host commands through the real CLI: variants, carriers, allele-counts, ingest, erase-sample and
// keys rotate each leave an entry in the vault's audit log, attributed to the operating-system
// user, on a chain `genovault audit verify` accepts; entries hold internal ids and counts, never
// the MRN; a command that cannot be audited does not run.
import { strict as assert } from 'node:assert';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { auditEntries, makeCliVault, type CliVault } from './cli-vault-kit.ts';
import { newMasterKey, writeMasterKeyFile } from '../../../vault/crypto/master-key.ts';
import { logPath } from '../../../vault/log/log-files.ts';
import { frameSpans } from '../log/log-test-kit.ts';

const VCF = fileURLToPath(new URL('../../fixtures/conformance/examples/simple.vcf', import.meta.url));
const MRN = 'MRN-HOST-0042';
const OS_USER = `os:${userInfo().username}`;

describe('host commands in the audit log', function () {
  this.timeout(180_000);
  let v: CliVault;
  const run = async (args: string[]) => {
    const r = await v.cli(args);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  const rowsOf = (answer: { carriers?: unknown[]; variants?: unknown[] }) => (answer.carriers ?? answer.variants ?? []).length;
  const newEntries = async (since: number) => (await auditEntries(v)).filter((e) => e.seq > since).map((e) => e.body);

  before(async () => {
    v = await makeCliVault();
    await run(['ingest', '--patient', MRN, '--sample', 'NA00001', VCF]);
  });
  after(() => v.remove());

  it('records ingest, variants, carriers, allele-counts, keys rotate and erase-sample as the OS user, with ids and counts only', async () => {
    const ingest = (await auditEntries(v)).find((e) => e.body.command === 'ingest')?.body;
    const samples = (await run(['samples'])).stdout.trim().split('\n').slice(1).map((l) => l.split('\t'));
    const [sampleId, patientId] = samples[0]!;
    assert.deepEqual(
      [ingest!.actorId, ingest!.actorRoles, ingest!.command, ingest!.action, ingest!.resource, ingest!.patientId, ingest!.targetId, ingest!.decision, ingest!.outcome],
      [OS_USER, ['host'], 'ingest', 'create', 'variants', patientId, sampleId, 'success', 'ok'],
    );
    assert.equal(ingest!.counts?.records, 5, 'the spec example holds five records');

    let seen = (await auditEntries(v)).length;
    const variants = await run(['variants', '--patient', MRN, '--format', 'json']);
    const rows = (JSON.parse(variants.stdout) as { variants: unknown[] }).variants.length;
    assert.ok(rows > 0);
    const [read, ...more] = await newEntries(seen);
    assert.equal(more.length, 0, 'one entry per command');
    assert.deepEqual([read!.actorId, read!.command, read!.action, read!.patientId, read!.counts], [OS_USER, 'variants', 'read', patientId, { rows }]);

    for (const [args, command] of [[['carriers', '--variant', 'chr20:14370:G:A'], 'carriers'], [['allele-counts', '--region', 'chr20:1-2000000'], 'allele-counts']] as const) {
      seen = (await auditEntries(v)).length;
      const out = await run([...args, '--format', 'json']);
      const [cohort] = await newEntries(seen);
      assert.deepEqual([cohort!.actorId, cohort!.command, cohort!.patientId, cohort!.counts], [OS_USER, command, null, { rows: rowsOf(JSON.parse(out.stdout) as { carriers?: unknown[]; variants?: unknown[] }) }]);
    }

    seen = (await auditEntries(v)).length;
    await run(['keys', 'rotate', '--new-master-key-file', await newKeyFile(v, 'rotated.key')]);
    v.env.GENOVAULT_MASTER_KEY = '';
    v.env.GENOVAULT_MASTER_KEY_FILE = join(v.root, 'rotated.key');
    const [rotate] = await newEntries(seen);
    assert.deepEqual([rotate!.actorId, rotate!.command, rotate!.action, rotate!.resource, rotate!.decision], [OS_USER, 'keys.rotate', 'update', 'key', 'success']);

    seen = (await auditEntries(v)).length;
    await run(['erase-sample', '--sample-id', sampleId!, '--yes', '--new-master-key-file', await newKeyFile(v, 'after-erase.key')]);
    v.env.GENOVAULT_MASTER_KEY_FILE = join(v.root, 'after-erase.key');
    const [erase] = await newEntries(seen);
    assert.deepEqual([erase!.command, erase!.action, erase!.patientId, erase!.targetId, erase!.decision], ['erase-sample', 'delete', patientId, sampleId, 'success']);

    const verify = await run(['audit', 'verify']);
    assert.match(verify.stdout, /^logs\/audit\.gvl: OK, \d+ entries, chain and anchor verified$/m);
    const all = JSON.stringify((await auditEntries(v)).map((e) => e.body));
    assert.ok(!all.includes(MRN) && !all.includes('NA00001') && !all.includes('14370'), 'no MRN, sample name or variant in the audit log');
  });

  it('records a refused command with a reason code, never what was typed', async () => {
    const seen = (await auditEntries(v)).length;
    const r = await v.cli(['variants', '--patient', 'MRN-NOBODY-77']);
    assert.equal(r.code, 1);
    const [refused] = await newEntries(seen);
    assert.deepEqual([refused!.actorId, refused!.command, refused!.decision, refused!.outcome, refused!.patientId], [OS_USER, 'variants', 'failure', 'unknown_patient', null]);
    const erase = await v.cli(['erase-sample', '--sample-id', 'MRN-TYPED-BY-MISTAKE', '--yes', '--new-master-key-file', await newKeyFile(v, 'unused.key')]);
    assert.equal(erase.code, 1);
    const [refusedErase] = await newEntries(seen + 1);
    assert.deepEqual([refusedErase!.command, refusedErase!.decision, refusedErase!.targetId, refusedErase!.outcome], ['erase-sample', 'failure', undefined, 'unknown_sample_error']);
    assert.ok(!JSON.stringify(await newEntries(seen)).includes('MRN-'));
  });

  it('does not run a query it cannot audit: with the audit log damaged, nothing is printed', async () => {
    const path = logPath(v.dataDir, 'audit');
    const pristine = await readFile(path);
    const bytes = Buffer.from(pristine);
    bytes[frameSpans(bytes)[0]!.end - 2]! ^= 0x01;
    await writeFile(path, bytes);
    try {
      const r = await v.cli(['variants', '--patient', MRN, '--format', 'tsv']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /cannot audit this command, so it did not run/);
      assert.equal(r.stdout, '', 'no row leaves the vault unaudited');
    } finally {
      await writeFile(path, pristine);
    }
  });
});

async function newKeyFile(v: CliVault, name: string): Promise<string> {
  const path = join(v.root, name);
  await writeMasterKeyFile(path, newMasterKey(path));
  return path;
}
