// The genovault command end to end, in child processes, on real public VCFs.
import { strict as assert } from 'node:assert';
import { writeFile, chmod, cp } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { runCli } from '../helpers/run-cli.ts';
import { hashTree } from '../helpers/hash-tree.ts';

const fixture = (rel: string) => fileURLToPath(new URL(`../fixtures/${rel}`, import.meta.url));
const REAL_5 = fixture('vcf/real/1000g-phase1_chr22_5samples_phased.vcf.gz');
const CLINVAR_LIKE = fixture('conformance/examples/simple.vcf');

describe('genovault CLI', function () {
  this.timeout(120_000);
  let dir: { path: string; remove: () => Promise<void> };
  let data: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    dir = await makeTempDir();
    data = join(dir.path, 'vault');
    env = { GENOVAULT_DATA_DIR: data };
  });
  afterEach(() => dir.remove());

  it('prints help and refuses unknown commands', async () => {
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    for (const c of ['init', 'ingest', 'variants', 'erase-sample', 'keys']) assert.match(help.stdout, new RegExp(`\\b${c}\\b`));
    const bad = await runCli(['frobnicate']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown command/);
  });

  it('init writes an owner-only key file beside the data directory and says where', async () => {
    const r = await runCli(['init'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stderr.includes(`${data}.master-key`));
    assert.ok(!r.stdout.includes((await import('node:fs')).readFileSync(`${data}.master-key`, 'utf8').trim()), 'the key itself is never printed');
    const again = await runCli(['init'], { env });
    assert.notEqual(again.code, 0, 'refuses to init over an existing vault');
  });

  it('ingests a multi-sample file with a map, then queries one patient by region', async () => {
    assert.equal((await runCli(['init'], { env })).code, 0);
    const map = join(dir.path, 'map.tsv');
    await writeFile(map, ['HG00096\tMRN0000001', 'HG00097\tMRN0000002', 'HG00099\tMRN0000003', 'HG00100\tMRN0000004', 'HG00101\tMRN0000005'].join('\n') + '\n');
    const ingest = await runCli(['ingest', '--map', map, '--build', 'GRCh37', REAL_5], { env });
    assert.equal(ingest.code, 0, ingest.stderr);
    assert.match(ingest.stdout, /10376 records/);
    assert.match(ingest.stdout, /5 sample\(s\)/);
    const tsv = await runCli(['variants', '--patient', 'MRN0000001', '--region', '22:50300000-50400000', '--format', 'tsv'], { env });
    assert.equal(tsv.code, 0, tsv.stderr);
    const lines = tsv.stdout.trim().split('\n');
    assert.match(lines[0]!, /^#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\t/, 'bcftools-style header: VCF columns first, in VCF order');
    assert.ok(lines.length > 1);
    for (const line of lines.slice(1)) {
      const [chrom, pos] = line.split('\t');
      assert.equal(chrom, '22', 'chromosome as the source file spells it');
      assert.ok(Number(pos) >= 50300000 && Number(pos) <= 50400000);
      assert.ok(line.endsWith('\tGRCh37'), 'every row says its build');
    }
    const json = await runCli(['variants', '--patient', 'MRN0000001', '--region', 'chr22:50300000-50400000', '--format', 'json'], { env });
    const answer = JSON.parse(json.stdout) as { build: string; variants: unknown[] };
    assert.equal(answer.build, 'GRCh37');
    assert.equal(answer.variants.length, lines.length - 1, 'chr-prefixed and bare regions agree');
  });

  it('refuses a bad VCF with file, line and column, and leaves the vault byte-for-byte unchanged', async () => {
    assert.equal((await runCli(['init'], { env })).code, 0);
    assert.equal((await runCli(['ingest', '--patient', 'MRN0000009', '--sample', 'NA00001', CLINVAR_LIKE], { env })).code, 0);
    // the audit log records the refused attempt; nothing else may change
    const notAudit = (rel: string) => rel === '.lock' || rel.startsWith('logs/audit.gvl');
    const before = await hashTree(data, notAudit);
    const bad = join(dir.path, 'bad.vcf');
    await writeFile(bad, ['##fileformat=VCFv4.2', '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1', 'chr1\t100\t.\tA\tG\t50\tPASS\t.\tGT\t0/1', 'chr1\t200\t.\tA\tG\tabc\tPASS\t.\tGT\t0/1', ''].join('\n'));
    const r = await runCli(['ingest', '--patient', 'MRN0000010', '--build', 'GRCh38', bad], { env });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /bad\.vcf:4:\d+:/);
    assert.match(r.stderr, /QUAL/);
    assert.deepEqual(await hashTree(data, notAudit), before);
  });

  it('names the file when it is missing or not valid gzip, and records --targets coverage', async () => {
    assert.equal((await runCli(['init'], { env })).code, 0);
    const missing = await runCli(['ingest', '--patient', 'MRN0000011', join(dir.path, 'absent.vcf')], { env });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /absent\.vcf: no such file/);
    const broken = join(dir.path, 'cut.vcf.gz');
    const { readFile: read } = await import('node:fs/promises');
    await writeFile(broken, (await read(REAL_5)).subarray(0, 5000));
    // the header survives the cut, so the sample is chosen first and the error is the compression
    const cut = await runCli(['ingest', '--patient', 'MRN0000011', '--sample', 'HG00096', broken], { env });
    assert.equal(cut.code, 1);
    assert.match(cut.stderr, /cut\.vcf\.gz: /);
    const bed = join(dir.path, 'targets.bed');
    await writeFile(bed, 'chr20\t14000\t1300000\n');
    const withTargets = await runCli(['ingest', '--patient', 'MRN0000012', '--sample', 'NA00003', '--targets', bed, CLINVAR_LIKE], { env });
    assert.equal(withTargets.code, 0, withTargets.stderr);
    assert.match(withTargets.stdout, /coverage: targets/);
  });

  it('refuses a wrong key, and a key file others can read', async () => {
    assert.equal((await runCli(['init'], { env })).code, 0);
    const other = join(dir.path, 'other.key');
    await writeFile(other, Buffer.alloc(32, 7).toString('base64') + '\n', { mode: 0o600 });
    const before = await hashTree(data);
    const wrong = await runCli(['samples', '--master-key-file', other], { env });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /wrong master key/);
    const fromEnv = await runCli(['samples'], { env: { ...env, GENOVAULT_MASTER_KEY: Buffer.alloc(32, 9).toString('base64') } });
    assert.match(fromEnv.stderr, /wrong master key/);
    await chmod(other, 0o644);
    assert.match((await runCli(['samples', '--master-key-file', other], { env })).stderr, /chmod 600/);
    assert.deepEqual(await hashTree(data), before);
  });

  it('rotates the key and erases a sample so that an older copy cannot be read', async () => {
    assert.equal((await runCli(['init'], { env })).code, 0);
    assert.equal((await runCli(['ingest', '--patient', 'MRN0000007', '--sample', 'NA00002', CLINVAR_LIKE], { env })).code, 0);
    const rotate = await runCli(['keys', 'rotate'], { env });
    assert.equal(rotate.code, 0, rotate.stderr);
    const list = await runCli(['samples'], { env });
    const sampleId = list.stdout.trim().split('\n')[1]!.split('\t')[0]!;
    await cp(data, join(dir.path, 'backup'), { recursive: true });
    const erase = await runCli(['erase-sample', '--sample-id', sampleId, '--yes'], { env });
    assert.equal(erase.code, 0, erase.stderr);
    assert.equal((await runCli(['samples'], { env })).stdout.trim().split('\n').length, 1, 'only the header remains');
    const old = await runCli(['samples', '--data-dir', join(dir.path, 'backup'), '--master-key-file', `${data}.master-key`], { env });
    assert.equal(old.code, 1);
    assert.match(old.stderr, /wrong master key/);
    const gone = await runCli(['variants', '--patient', 'MRN0000007'], { env });
    assert.equal(gone.code, 0, gone.stderr);
    assert.deepEqual(gone.stdout.trim().split('\n'), [gone.stdout.trim().split('\n')[0]], 'only the header line: no variant survives erasure');
    assert.match(gone.stdout, /^#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\taltIndex/);
    assert.match(gone.stderr, /note: this patient has no stored samples/, 'says there is nothing to query, not "no variants"');
  });
});
