// `genovault validate` in a child process, as a lab would run it before loading a file: no vault,
// nothing written, every finding as file:line:column, exit 0 only for a file ingest would accept.
import { strict as assert } from 'node:assert';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { runCli } from '../../helpers/run-cli.ts';

const fixture = (rel: string) => fileURLToPath(new URL(`../../fixtures/${rel}`, import.meta.url));

describe('genovault validate', function () {
  this.timeout(60_000);
  let dir: { path: string; remove: () => Promise<void> };
  beforeEach(async () => (dir = await makeTempDir()));
  afterEach(() => dir.remove());

  const validate = (args: string[]) => runCli(['validate', ...args], { cwd: dir.path });

  it('accepts a valid sample file and a sites-only file without a vault, writing nothing', async () => {
    const cases: [string, string[], RegExp][] = [
      ['vcf/real/hapmap-exome_chr22_22samples.vcf.gz', [], /build GRCh37 \(from the header's ##reference\/##assembly lines\)/],
      ['vcf/real/clinvar-grch38-20250521_chr1_1000sites.vcf', [], /build GRCh38 \(from the header's ##reference\/##assembly lines\)/],
      ['conformance/vcf/4.3/passed/passed_body_alt.vcf', ['--build', 'GRCh38'], /build GRCh38 \(from --build\)/],
    ];
    for (const [file, options, build] of cases) {
      const r = await validate([...options, fixture(file)]);
      assert.equal(r.code, 0, `${file}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /^valid: VCFv4\.\d, \d+ records, /m);
      assert.match(r.stderr, build);
    }
    assert.deepEqual(await readdir(dir.path), [], 'validate writes nothing');
  });

  it('decides the build as ingest does: none named needs --build, a contradicting --build is refused', async () => {
    const unnamed = fixture('conformance/vcf/4.3/passed/passed_body_alt.vcf');
    const refused = await validate([unnamed]);
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /^passed_body_alt\.vcf: error: the header does not say which reference build .* give --build GRCh37 or GRCh38/m);
    assert.match(refused.stderr, /refused: 1 error\(s\); ingest would not accept this file/);
    const contradicted = await validate(['--build', 'GRCh38', fixture('vcf/real/hapmap-exome_chr22_22samples.vcf.gz')]);
    assert.equal(contradicted.code, 1);
    assert.match(contradicted.stdout, /^hapmap-exome_chr22_22samples\.vcf\.gz: error: --build GRCh38 contradicts the header, whose ##reference\/##assembly lines say GRCh37/m);
    assert.match(contradicted.stderr, /ingest --build GRCh38 would not accept this file/);
    const agreeing = await validate(['--build', 'hg19', fixture('vcf/real/hapmap-exome_chr22_22samples.vcf.gz')]);
    assert.equal(agreeing.code, 0, agreeing.stderr);
    const unknown = await validate(['--build', 'GRCh99', unnamed]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /--build: not a reference build we know/);
    assert.doesNotMatch(unknown.stderr, /GRCh99/, 'the bad value is not repeated');
  });

  it('prints each tolerated deviation as file:line:column: warning, and exits 0', async () => {
    const r = await validate([fixture('vcf-tolerated/bioc_completegenomics-GT-last.vcf.gz')]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.ok(lines.length >= 2);
    for (const line of lines) assert.match(line, /^bioc_completegenomics-GT-last\.vcf\.gz:\d+:\d+: warning: /);
    assert.ok(lines.includes('bioc_completegenomics-GT-last.vcf.gz:61:149: warning: GT must be the first FORMAT key (accepted: Complete Genomics writes it last; it is read where it stands)'));
  });

  it('refuses an invalid file with file:line:column: error and exit code 1', async () => {
    const r = await validate([fixture('conformance/vcf/4.1/failed/failed_meta_assembly_001.vcf')]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^failed_meta_assembly_001\.vcf:\d+:\d+: error: assembly is not a valid URL$/m);
    assert.match(r.stderr, /refused/);
  });

  it('--strict refuses what default mode tolerates, as ingest --strict does', async () => {
    const file = fixture('vcf-tolerated/cyvcf2_gatk3-spanning-deletion-ALT.vcf');
    assert.equal((await validate([file])).code, 0);
    const strict = await validate(['--strict', file]);
    assert.equal(strict.code, 1);
    assert.match(strict.stdout, /^cyvcf2_gatk3-spanning-deletion-ALT\.vcf:2:8: error: ALT ID with ':' must start with/m);
  });

  it('names a missing file by its base name, and wants exactly one file', async () => {
    const missing = await validate([`${dir.path}/nowhere/x.vcf`]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stdout.trim(), 'x.vcf: error: no such file');
    assert.equal((await validate([])).code, 2);
  });
});
