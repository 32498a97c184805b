// The command's manners: --version, one clear line for a mistyped option, "not a vault" said as
// such, what to do after init, the progress line, the backup warning after a new master key.
import { strict as assert } from 'node:assert';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { runCli } from '../../helpers/run-cli.ts';
import { makeCliVault } from './cli-vault-kit.ts';
import { progressLine } from '../../../vault/cli/commands/ingest.ts';
import { BACKUP_WARNING } from '../../../vault/cli/commands/keys.ts';
import { usage } from '../../../vault/cli/commands/index.ts';

const SIMPLE_VCF = fileURLToPath(new URL('../../fixtures/conformance/examples/simple.vcf', import.meta.url));

describe('genovault: version, mistakes, next steps and warnings', function () {
  this.timeout(120_000);

  it('--version prints the version from package.json', async () => {
    const r = await runCli(['--version']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^genovault 0\.\d+\.\d+ \(Node v\d+/);
  });

  it('answers an unknown option, a missing value and a value given to a switch in one line each, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['variants', '--pateint', 'MRN1'], /^genovault: unknown option --pateint; did you mean --patient\?/],
      [['variants', '-p', 'MRN1'], /^genovault: unknown option -p /],
      [['variants', '--patient'], /^genovault: --patient needs a value$/],
      [['variants', '--patient', '--gene', 'BRCA1'], /^genovault: --patient needs a value$/],
      [['--help=yes'], /^genovault: --help takes no value$/],
    ];
    for (const [args, expected] of cases) {
      const r = await runCli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stderr.trim().split('\n').length, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr.trim(), expected);
    }
  });

  it('says a folder that is not a vault is not one (not that the master key is missing)', async () => {
    const dir = await makeTempDir();
    try {
      await mkdir(join(dir.path, 'empty'));
      const r = await runCli(['variants', '--patient', 'MRN1', '--data-dir', join(dir.path, 'empty')]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /is not a GenoVault vault \(it holds no vault\.json\)/);
      assert.doesNotMatch(r.stderr, /master key/);
      const missing = await runCli(['samples', '--data-dir', join(dir.path, 'nowhere')]);
      assert.match(missing.stderr, /nowhere does not exist: create a vault there with genovault init/);
    } finally {
      await dir.remove();
    }
  });

  it('init says what to do next; keys rotate and erase-sample warn about older backups', async () => {
    const v = await makeCliVault();
    try {
      const again = await runCli(['init', '--data-dir', join(v.root, 'second')], { env: { GENOVAULT_MASTER_KEY: v.keyBase64 } });
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /^next:\n {2}genovault users add .*--role admin/m);
      assert.match(again.stdout, /genovault serve --data-dir /);
      const ingest = await v.cli(['ingest', '--patient', 'MRN-1', '--sample', 'NA00001', SIMPLE_VCF]);
      assert.equal(ingest.code, 0, ingest.stderr);
      const sampleId = /sample (s_[0-9a-f]+)/.exec(ingest.stdout)![1]!;
      const newKey = Buffer.alloc(32, 7).toString('base64');
      const rotated = await v.cli(['keys', 'rotate'], { GENOVAULT_NEW_MASTER_KEY: newKey });
      assert.equal(rotated.code, 0, rotated.stderr);
      assert.ok(rotated.stderr.includes(BACKUP_WARNING));
      const erased = await v.cli(['erase-sample', '--sample-id', sampleId, '--yes'], { GENOVAULT_MASTER_KEY: newKey, GENOVAULT_NEW_MASTER_KEY: Buffer.alloc(32, 8).toString('base64') });
      assert.equal(erased.code, 0, erased.stderr);
      assert.ok(erased.stderr.includes(BACKUP_WARNING));
    } finally {
      await v.remove();
    }
  });

  it('the progress line shows the share done and the time left when the file size is known', () => {
    assert.equal(progressLine({ bytes: 25e6, records: 1000 }, 5, 100e6), ' 25%, 1,000 records, 25.0 MB, 5.0 MB/s, about 15 s left');
    assert.equal(progressLine({ bytes: 10e6, records: 10 }, 10, 1e9), '  1%, 10 records, 10.0 MB, 1.0 MB/s, about 16 min 30 s left');
    assert.equal(progressLine({ bytes: 10e6, records: 10 }, 10, null), '10 records, 10.0 MB, 1.0 MB/s');
  });

  it('the usage says which credentials are printed once instead of "secrets are never printed"', () => {
    assert.doesNotMatch(usage(), /Secrets are never printed/);
    assert.match(usage(), /one-time enrolment\s+code/);
  });
});
