// Loading the same file twice, listing samples with their provenance, and erasing one with a person's
// confirmation: the real `genovault` command in child processes, on a real vault in a temp dir.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { auditEntries, makeCliVault, type CliVault } from './cli-vault-kit.ts';
import { CLI } from '../../helpers/run-cli.ts';
import { hashTree } from '../../helpers/hash-tree.ts';
import { newMasterKey } from '../../../vault/crypto/master-key.ts';

const REAL_5 = fileURLToPath(new URL('../../fixtures/vcf/real/1000g-phase1_chr22_5samples_phased.vcf.gz', import.meta.url));
const SHA_5 = createHash('sha256').update(readFileSync(REAL_5)).digest('hex');
/** the file's header names no build: its samples are GRCh37 */
const AS_GRCH37 = ['--build', 'GRCh37'];
/** What a refused or declined command must leave as it was: everything but the audit log, which records the attempt. */
const vaultData = (dataDir: string) => hashTree(dataDir, (rel) => rel.endsWith('.lock') || rel === 'logs' || rel.startsWith('logs/'));

interface SampleRow {
  sampleId: string;
  patientId: string;
  mrn?: string;
  vcfSample: string;
  sourceFile: string | null;
  sourceSha256: string | null;
  build: string | null;
  ingestedAt: string;
  calls: number;
}

/** Runs the CLI on a real pseudo-terminal (util-linux `script`), typing `input`. */
function runOnTerminal(args: string[], input: string, env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; output: string }> {
  const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', quoted, '/dev/null'], { cwd, env: { ...process.env, GENOVAULT_DATA_DIR: '', GENOVAULT_MASTER_KEY: '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
    child.stdin.end(input);
  });
}

describe('genovault: a file ingested twice, samples, erase-sample', function () {
  this.timeout(120_000);
  let v: CliVault;
  let map: string;
  beforeEach(async () => {
    v = await makeCliVault();
    map = join(v.root, 'map.tsv');
    await writeFile(map, 'HG00097\tMRN0000002\nHG00101\tMRN0000005\n');
  });
  afterEach(() => v.remove());

  const samples = async (env: NodeJS.ProcessEnv = {}, more: string[] = []): Promise<SampleRow[]> => {
    const r = await v.cli(['samples', '--format', 'json', ...more], env);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as SampleRow[];
  };

  it('a map naming a subset stores those samples and says which others were skipped (text and JSON)', async () => {
    const text = await v.cli(['ingest', ...AS_GRCH37, '--map', map, REAL_5]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /2 sample\(s\):/);
    assert.match(text.stdout, /^skipped 3 sample\(s\): HG00096, HG00099, HG00100$/m);
    assert.match(text.stderr, /skipped 3 sample\(s\) of the file not named by the map: HG00096, HG00099, HG00100/);
    const other = join(v.root, 'other.tsv');
    await writeFile(other, 'HG00096\tMRN0000001\n');
    const json = await v.cli(['ingest', ...AS_GRCH37, '--map', other, '--format', 'json', REAL_5]);
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout) as { samples: { name: string }[]; skipped: string[] };
    assert.deepEqual(report.samples.map((s) => s.name), ['HG00096']);
    assert.deepEqual(report.skipped, ['HG00097', 'HG00099', 'HG00100', 'HG00101']);
  });

  it('a map naming a sample the file lacks is an error, and nothing is stored', async () => {
    await writeFile(map, 'HG00097\tMRN0000002\nNA12878\tMRN0000009\n');
    await samples(); // the first audited command creates the audit log's key; this test is about the refused ingest
    const before = await vaultData(v.dataDir);
    const r = await v.cli(['ingest', ...AS_GRCH37, '--map', map, REAL_5]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /the map names 1 sample\(s\) the file does not have: NA12878/);
    assert.deepEqual(await vaultData(v.dataDir), before);
  });

  it('the same file again is refused (exit 3) by its SHA-256, changing nothing; counts do not double', async () => {
    assert.equal((await v.cli(['ingest', ...AS_GRCH37, '--map', map, REAL_5])).code, 0);
    const listed = await samples();
    const variants = await v.cli(['variants', '--patient', 'MRN0000002', '--format', 'json']);
    const before = await vaultData(v.dataDir);
    const again = await v.cli(['ingest', ...AS_GRCH37, '--map', map, REAL_5]);
    assert.equal(again.code, 3, again.stderr);
    const refused = (await auditEntries(v)).at(-1)?.body;
    assert.deepEqual([refused?.command, refused?.decision, refused?.outcome], ['ingest', 'failure', 'duplicate_ingest'], 'the refused ingest is audited');
    assert.match(again.stderr, new RegExp(`1000g-phase1_chr22_5samples_phased\\.vcf\\.gz \\(sha256 ${SHA_5.slice(0, 16)}\\.\\.\\.\\) was already ingested: HG00097 as s_\\S+ \\(patient p_\\S+\\), HG00101 as .*; nothing was stored`));
    assert.deepEqual(await vaultData(v.dataDir), before);
    assert.deepEqual(await samples(), listed);
    assert.equal((await v.cli(['variants', '--patient', 'MRN0000002', '--format', 'json'])).stdout, variants.stdout);
    // the same bytes under another name are the same file; one sample already stored is enough to refuse
    const copy = join(v.root, 'renamed.vcf.gz');
    await writeFile(copy, readFileSync(REAL_5));
    await writeFile(map, 'HG00096\tMRN0000001\nHG00101\tMRN0000005\n');
    const renamed = await v.cli(['ingest', ...AS_GRCH37, '--map', map, copy]);
    assert.equal(renamed.code, 3);
    assert.match(renamed.stderr, /renamed\.vcf\.gz .* was already ingested: HG00101 as /);
  });

  it('samples lists each sample with its VCF name, source file (base name), SHA-256, build and ingest time, and no MRN', async () => {
    assert.equal((await v.cli(['ingest', ...AS_GRCH37, '--map', map, REAL_5])).code, 0);
    const rows = await samples();
    assert.deepEqual(rows.map((r) => [r.vcfSample, r.sourceFile, r.sourceSha256]), [
      ['HG00097', '1000g-phase1_chr22_5samples_phased.vcf.gz', SHA_5],
      ['HG00101', '1000g-phase1_chr22_5samples_phased.vcf.gz', SHA_5],
    ]);
    for (const r of rows) {
      assert.equal(r.build, 'GRCh37');
      assert.ok(Math.abs(Date.parse(r.ingestedAt) - Date.now()) < 120_000, r.ingestedAt);
      assert.ok(r.calls > 0);
      assert.ok(!('mrn' in r), 'no MRN unless asked for');
    }
    const tsv = await v.cli(['samples']);
    const [header, ...lines] = tsv.stdout.trim().split('\n');
    assert.equal(header, '#sampleId\tpatientId\tvcfSample\tsourceFile\tsourceSha256\tbuild\tingestedAt\tcalls\tcoverage');
    assert.equal(lines.length, 2);
    assert.ok(!tsv.stdout.includes('MRN0000'), 'no MRN unless asked for');
    assert.ok(!tsv.stdout.includes(v.root), 'no directory is shown');
    // each run is audited as the OS user, with a count; none is flagged
    const listed = (await auditEntries(v)).filter((e) => e.body.command === 'samples').map((e) => e.body);
    assert.deepEqual(listed.map((e) => [e.action, e.resource, e.decision, e.counts, e.flagged]), [
      ['read', 'samples', 'success', { samples: 2 }, undefined],
      ['read', 'samples', 'success', { samples: 2 }, undefined],
    ]);
  });

  it('samples --with-mrn adds each MRN after the internal id, and the run is flagged in the audit log (which holds no MRN)', async () => {
    assert.equal((await v.cli(['ingest', ...AS_GRCH37, '--map', map, REAL_5])).code, 0);
    const rows = await samples({}, ['--with-mrn']);
    assert.deepEqual(rows.map((r) => [r.vcfSample, r.mrn]), [['HG00097', 'MRN0000002'], ['HG00101', 'MRN0000005']]);
    assert.deepEqual(Object.keys(rows[0]!).slice(0, 4), ['sampleId', 'patientId', 'mrn', 'vcfSample']);
    const tsv = await v.cli(['samples', '--with-mrn']);
    assert.equal(tsv.stdout.split('\n')[0], '#sampleId\tpatientId\tmrn\tvcfSample\tsourceFile\tsourceSha256\tbuild\tingestedAt\tcalls\tcoverage');
    assert.match(tsv.stdout, /\tMRN0000002\tHG00097\t/);
    const listed = (await auditEntries(v)).filter((e) => e.body.command === 'samples').map((e) => e.body);
    assert.deepEqual(listed.map((e) => [e.decision, e.counts, e.flagged]), [['success', { samples: 2, mrns: 2 }, true], ['success', { samples: 2, mrns: 2 }, true]]);
    assert.ok(!JSON.stringify(listed).includes('MRN0000'), 'no MRN in the audit log');
  });

  describe('erase-sample', () => {
    let sampleId: string;
    let patientId: string;
    const newKey = () => ({ GENOVAULT_NEW_MASTER_KEY: newMasterKey('test').bytes.toString('base64') });
    beforeEach(async () => {
      assert.equal((await v.cli(['ingest', ...AS_GRCH37, '--map', map, REAL_5])).code, 0);
      const first = (await samples())[0]!;
      sampleId = first.sampleId;
      patientId = first.patientId;
    });

    it('refuses without --yes when there is no terminal to ask at, changing nothing', async () => {
      const before = await vaultData(v.dataDir);
      const r = await v.cli(['erase-sample', '--sample-id', sampleId], newKey());
      assert.equal(r.code, 2);
      assert.match(r.stderr, /confirm with --yes/);
      assert.deepEqual(await vaultData(v.dataDir), before);
    });

    it('with --yes shows what it erases and warns about backups, then erases', async () => {
      const key = newKey();
      const r = await v.cli(['erase-sample', '--sample-id', sampleId, '--yes'], key);
      assert.equal(r.code, 0, r.stderr);
      for (const shown of [sampleId, `${patientId} (internal id)`, '1000g-phase1_chr22_5samples_phased.vcf.gz', 'build ', 'partitions    2 (', 'calls on 1 chromosome(s)', 'master key is rotated', 'Backups of the data directory made before now']) {
        assert.ok(r.stderr.includes(shown), `the plan shows ${shown}: ${r.stderr}`);
      }
      const left = await samples({ GENOVAULT_MASTER_KEY: key.GENOVAULT_NEW_MASTER_KEY });
      assert.deepEqual(left.map((s) => s.vcfSample), ['HG00101']);
    });

    it('at a terminal asks first: anything but yes erases nothing (exit 4); yes erases', async () => {
      const before = await vaultData(v.dataDir);
      const declined = await runOnTerminal(['erase-sample', '--sample-id', sampleId], 'no\n', { ...v.env, ...newKey() }, v.root);
      assert.equal(declined.code, 4, declined.output);
      assert.ok(declined.output.includes('This will erase, for good:'), declined.output);
      assert.ok(declined.output.includes('Type yes to confirm'), declined.output);
      assert.ok(declined.output.includes('not erased: nothing was changed'), declined.output);
      assert.deepEqual(await vaultData(v.dataDir), before);
      const audited = (await auditEntries(v)).at(-1)?.body;
      assert.deepEqual([audited?.command, audited?.targetId, audited?.decision, audited?.outcome], ['erase-sample', sampleId, 'failure', 'erasure_declined'], 'a declined erasure is audited');
      const accepted = await runOnTerminal(['erase-sample', '--sample-id', sampleId], 'yes\n', { ...v.env, ...newKey() }, v.root);
      assert.equal(accepted.code, 0, accepted.output);
      assert.ok(accepted.output.includes(`erased sample ${sampleId}`), accepted.output);
    });

    it('an unknown sample id is an error before anything is asked', async () => {
      const r = await v.cli(['erase-sample', '--sample-id', 's_0000000000000000', '--yes'], newKey());
      assert.equal(r.code, 1);
      assert.match(r.stderr, /no sample s_0000000000000000 in this vault/);
    });
  });
});
