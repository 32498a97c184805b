// The CLI's answers as a bioinformatician reads them, in child processes on real files: TSV as
// bcftools writes it (a `#` header in VCF column order, the file's own chromosome names, the VCF's
// own fixed columns), a header even when nothing matched, notes on stderr, one build per answer.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { runCli } from '../helpers/run-cli.ts';

const fixture = (rel: string) => fileURLToPath(new URL(`../fixtures/${rel}`, import.meta.url));
const PHASE1 = fixture('vcf/real/1000g-phase1_chr22_5samples_phased.vcf.gz');
const NYGC = fixture('vcf/real/1000g-nygc30x-grch38_chr22_100samples.vcf.gz');
const hasBcftools = spawnSync('bcftools', ['--version'], { stdio: 'ignore' }).status === 0;

describe('genovault CLI answers', function () {
  this.timeout(300_000);
  let dir: { path: string; remove: () => Promise<void> };
  let env: NodeJS.ProcessEnv;
  before(async () => {
    dir = await makeTempDir();
    env = { GENOVAULT_DATA_DIR: join(dir.path, 'vault') };
    assert.equal((await runCli(['init'], { env })).code, 0);
    const map = join(dir.path, 'map.tsv');
    await writeFile(map, 'HG00096\tMRN-1\nHG00097\tMRN-2\nHG00099\tMRN-3\nHG00100\tMRN-4\nHG00101\tMRN-5\n');
    const refused = await runCli(['ingest', '--map', map, PHASE1], { env });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /does not say which reference build.*give --build GRCh37 or GRCh38/);
    const ingest = await runCli(['ingest', '--map', map, '--build', 'GRCh37', PHASE1], { env });
    assert.equal(ingest.code, 0, ingest.stderr);
    assert.match(ingest.stdout, /build GRCh37/);
    const second = await runCli(['ingest', '--patient', 'MRN-1', '--sample', 'HG00096', NYGC], { env });
    assert.equal(second.code, 0, second.stderr);
  });
  after(() => dir?.remove());

  it('prints TSV as bcftools does: #CHROM POS ID REF ALT QUAL FILTER first, as the VCF writes them; needs --build for a patient on two builds', async () => {
    const region = '22:50300000-50400000';
    const both = await runCli(['variants', '--patient', 'MRN-1', '--region', region], { env });
    assert.equal(both.code, 1);
    assert.match(both.stderr, /more than one reference build \(GRCh37: 1 sample, GRCh38: 1 sample\)/);
    const r = await runCli(['variants', '--patient', 'MRN-1', '--region', region, '--build', 'GRCh37'], { env });
    assert.equal(r.code, 0, r.stderr);
    const [header, ...rows] = r.stdout.trim().split('\n');
    assert.equal(header, '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\taltIndex\tgenotype\tzygosity\tphased\tdp\tgq\tadRef\tadAlt\tvaf\tgene\tgeneSource\tconsequence\thgvsC\thgvsP\tclnsig\tsampleId\tbuild');
    assert.match(r.stderr, /note: 1 sample not queried: 1 on another build/);
    assert.ok(rows.length > 10);
    if (!hasBcftools) return;
    // the same sample's biallelic records in the region, as bcftools prints their first seven columns
    const vcf = execFileSync('bcftools', ['view', '-H', '-s', 'HG00096', '-m2', '-M2', '-t', region, PHASE1], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    const carried = vcf.trim().split('\n').filter((l) => /[1-9]/.test((l.split('\t')[9] ?? '').split(':')[0]!));
    const expected = carried.map((l) => l.split('\t').slice(0, 7).join('\t'));
    const got = rows.map((l) => l.split('\t').slice(0, 7).join('\t')).filter((l) => expected.includes(l));
    assert.ok(got.length === expected.length && expected.length > 10, `${got.length} of ${expected.length} bcftools records printed the same`);
  });

  it('prints the header when carriers finds nothing, and says on stderr how many samples were counted and left out', async () => {
    const none = await runCli(['carriers', '--variant', '22:50300001:A:C', '--build', 'GRCh37'], { env });
    assert.equal(none.code, 0, none.stderr);
    assert.equal(none.stdout, '#CHROM\tPOS\tREF\tALT\tsampleId\tpatientId\tzygosity\tgenotype\tbuild\n');
    assert.match(none.stderr, /samples counted: 5 \(GRCh37\); left out: 1 on another build, 0 with no recorded build, 0 not covering/);
    const counts = await runCli(['allele-counts', '--region', 'chr22:50300000-50301000', '--build', 'GRCh37', '--format', 'json'], { env });
    const answer = JSON.parse(counts.stdout) as { build: string; samplesQueried: number; notes: { code: string }[]; variants: { chrom: string }[] };
    assert.deepEqual([answer.build, answer.samplesQueried, answer.notes.map((n) => n.code)], ['GRCh37', 5, ['samples_left_out']]);
    assert.ok(answer.variants.every((v) => v.chrom === 'chr22'), 'the spelling the query used');
  });

  it('says on stderr, and in JSON, why an answer is empty; refuses a misspelt term and an unknown contig', async () => {
    const sig = await runCli(['variants', '--patient', 'MRN-2', '--significance', 'pathogenic', '--format', 'json'], { env });
    assert.equal(sig.code, 0, sig.stderr);
    assert.match(sig.stderr, /note: no sample queried carries ClinVar significance \(INFO CLNSIG\) annotation/);
    const answer = JSON.parse(sig.stdout) as { build: string; samplesQueried: number; notes: { code: string }[]; variants: unknown[] };
    assert.deepEqual([answer.build, answer.samplesQueried, answer.notes.map((n) => n.code), answer.variants], ['GRCh37', 1, ['no_significance_annotation'], []]);
    const typo = await runCli(['variants', '--patient', 'MRN-2', '--significance', 'pathogenci'], { env });
    assert.equal(typo.code, 1);
    assert.match(typo.stderr, /did you mean pathogenic\?/);
    const contig = await runCli(['variants', '--patient', 'MRN-2', '--region', 'chrZ:1-10'], { env });
    assert.equal(contig.code, 1);
    assert.match(contig.stderr, /not a contig of GRCh37.*closest: chrM, chrX, chrY/);
  });
});
