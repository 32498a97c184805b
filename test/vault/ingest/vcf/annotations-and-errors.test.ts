// Gene/consequence annotations (ClinVar GENEINFO/MC/CLNSIG joined onto a genotype column by the test,
// SnpEff ANN, VEP CSQ), typed errors with exact positions and no leaked content, and target BED files.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTargetsBed, readVcf, VcfFormatError } from '../../../../vault/ingest/vcf/read-vcf.ts';
import { Zygosity } from '../../../../vault/ingest/call-columns.ts';

const CLINVAR = join(import.meta.dirname, '../../../fixtures/vcf/real/clinvar-grch38-20250521_chr1_1000sites.vcf');
const HEAD = '##fileformat=VCFv4.2\n##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n';
const COLUMNS = '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tPATIENT_X\n';

describe('readVcf annotations, errors and targets', () => {
  let dir: string;
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'genovault-vcf-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('ClinVar sites with a genotype joined on: gene = first GENEINFO symbol, consequence from MC, CLNSIG as written', async () => {
    const lines = readFileSync(CLINVAR, 'utf8').split('\n').filter((l) => l !== '');
    const meta = lines.filter((l) => l.startsWith('##'));
    const body = lines.filter((l) => !l.startsWith('#')).slice(0, 200);
    const text = [...meta, '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">', COLUMNS.trimEnd(), ...body.map((l) => `${l}\tGT\t0/1`)].join('\n') + '\n';
    const parsed = await readVcf(write('clinvar-joined.vcf', text), { workers: 0 });
    const calls = parsed.samples[0]?.batches[0];
    assert.ok(calls);
    assert.equal(calls.chrom, 'chr1');
    const multiAllelic = body.filter((l) => (l.split('\t')[4] ?? '').includes(',')).length;
    assert.equal(calls.rows, body.length + multiAllelic * 0); // 0/1 carries only the first ALT
    body.forEach((line, i) => {
      const info = line.split('\t')[7] ?? '';
      const geneinfo = /(?:^|;)GENEINFO=([^;]+)/.exec(info)?.[1];
      const clnsig = /(?:^|;)CLNSIG=([^;]+)/.exec(info)?.[1];
      const mc = /(?:^|;)MC=([^;]+)/.exec(info)?.[1];
      assert.equal(calls.gene[i], geneinfo ? geneinfo.split('|')[0]?.split(':')[0] : null, `gene of row ${i}`);
      assert.equal(calls.clnsig[i], clnsig ?? null);
      assert.equal(calls.consequence[i], mc ? (mc.split(',')[0]?.split('|')[1] ?? null) : null);
    });
    assert.ok(calls.clnsig.includes('Conflicting_classifications_of_pathogenicity'));
  });

  it('SnpEff ANN: the entry for the row allele gives gene and consequence', async () => {
    const ann = 'ANN=T|missense_variant|MODERATE|BRCA2|ENSG1|transcript|T1|protein_coding,G|stop_gained|HIGH|BRCA2B|ENSG2|transcript|T2|protein_coding';
    const path = write('ann.vcf', `${HEAD}${COLUMNS}13\t100\t.\tC\tT,G\t50\tPASS\t${ann}\tGT\t1/2\n`);
    const calls = (await readVcf(path, { workers: 0 })).samples[0]?.batches[0];
    assert.deepEqual(calls?.gene, ['BRCA2', 'BRCA2B']);
    assert.deepEqual(calls?.consequence, ['missense_variant', 'stop_gained']);
    assert.deepEqual([...(calls?.altIndex ?? [])], [1, 2]);
    assert.deepEqual([...(calls?.zygosity ?? [])], [Zygosity.het, Zygosity.het]);
  });

  it("VEP CSQ: field order from the header's Format:, indel alleles written without the shared base", async () => {
    const header = `${HEAD}##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. Format: Allele|Consequence|IMPACT|SYMBOL|Gene">\n`;
    const csq = 'CSQ=-|frameshift_variant|HIGH|TP53|ENSG0001,TC|inframe_insertion|MODERATE|TP53X|ENSG0001';
    const path = write('csq.vcf', `${header}${COLUMNS}17\t200\t.\tAT\tA,ATC\t50\tPASS\t${csq}\tGT\t1|2\n`);
    const calls = (await readVcf(path, { workers: 0 })).samples[0]?.batches[0];
    assert.deepEqual(calls?.gene, ['TP53', 'TP53X']);
    assert.deepEqual(calls?.consequence, ['frameshift_variant', 'inframe_insertion']);
    assert.deepEqual([...(calls?.phased ?? [])], [1, 1]);
    assert.equal(calls?.chrom, 'chr17');
  });

  it('haploid, missing-beside-alt and reference-only calls: hemizygous, missing, nothing stored', async () => {
    const body = ['X\t10\t.\tA\tG\t.\t.\t.\tGT\t1', 'X\t20\t.\tA\tG\t.\t.\t.\tGT\t./1', 'X\t30\t.\tA\tG\t.\t.\t.\tGT\t0/0', 'MT\t40\t.\tA\tG\t.\t.\t.\tGT\t1'].join('\n');
    const parsed = await readVcf(write('ploidy.vcf', `${HEAD}${COLUMNS}${body}\n`), { workers: 0 });
    const [x, m] = parsed.samples[0]?.batches ?? [];
    assert.deepEqual([x?.chrom, [...(x?.zygosity ?? [])], [...(x?.pos ?? [])]], ['chrX', [Zygosity.hemizygous, Zygosity.missing], [10, 20]]);
    assert.equal(m?.chrom, 'chrM');
    assert.ok(Number.isNaN(x?.qual[0]));
    assert.equal(x?.filter[0], null);
    assert.equal(x?.dp[0], -1);
  });

  it('a bad field fails with file:line:column naming the token, never a directory, other columns or sample names', async () => {
    const body = '1\t100\trs1\tC\tT\tabc\tPASS\t.\tGT\t0/1\n';
    const path = write('bad.vcf', `${HEAD}${COLUMNS}${body}`);
    await assert.rejects(readVcf(path, { workers: 0 }), (err: unknown) => {
      assert.ok(err instanceof VcfFormatError);
      assert.equal(err.message, "bad.vcf:4:15: QUAL is not a number: 'abc'");
      assert.deepEqual([err.file, err.line, err.column], ['bad.vcf', 4, 15]);
      assert.ok(!err.message.includes(dir) && !err.message.includes('PATIENT_X') && !err.message.includes('rs1'));
      assert.equal(err.stack?.includes('bad.vcf:4:15'), true);
      return true;
    });
  });

  it('columns count characters, not bytes, on lines with UTF-8 text', async () => {
    const path = write('utf8.vcf', `${HEAD}${COLUMNS}1\t100\t.\tC\tT\t1\tPASS\tNOTE=é€\tGT\t0/x\n`);
    await assert.rejects(readVcf(path, { workers: 0 }), (err: unknown) => err instanceof VcfFormatError && err.line === 4 && err.column === 31);
  });

  it('refuses: GT allele out of range, PL length against ploidy, unsorted (strict), header data before #CHROM', async () => {
    const cases: [string, RegExp, boolean][] = [
      [`${HEAD}${COLUMNS}1\t1\t.\tC\tT\t.\t.\t.\tGT\t0/2\n`, /:4:\d+: GT allele 2 is out of range/, false],
      [`${HEAD}##FORMAT=<ID=PL,Number=G,Type=Integer,Description="x">\n${COLUMNS}1\t1\t.\tC\tT\t.\t.\t.\tGT:PL\t0:1,2,3\n`, /:5:\d+: sample field PL has 3 value\(s\) but ploidy 1/, false],
      [`${HEAD}${COLUMNS}1\t9\t.\tC\tT\t.\t.\t.\tGT\t0/1\n1\t8\t.\tC\tT\t.\t.\t.\tGT\t0/1\n`, /:5:3: records are not sorted/, true],
      [`${HEAD}1\t9\t.\tC\tT\t.\t.\t.\n`, /:3:1: missing the #CHROM header line/, false],
    ];
    for (const [text, pattern, strict] of cases) {
      await assert.rejects(readVcf(write('case.vcf', text), { workers: 0, strict }), (err: unknown) => err instanceof VcfFormatError && pattern.test(err.message));
    }
  });

  it('default mode accepts unsorted records with a warning, and strict mode refuses them', async () => {
    const path = write('unsorted.vcf', `${HEAD}${COLUMNS}1\t9\t.\tC\tT\t.\t.\t.\tGT\t0/1\n1\t8\t.\tC\tT\t.\t.\t.\tGT\t0/1\n`);
    const parsed = await readVcf(path, { workers: 0 });
    assert.ok(parsed.warnings.some((w) => w.includes('not sorted')));
    await assert.rejects(readVcf(path, { workers: 0, strict: true }), VcfFormatError);
  });

  it('readTargetsBed converts 0-based half-open to 1-based inclusive and names a bad line', async () => {
    const good = write('t.bed', 'track name=x\n# comment\nchr1\t0\t100\n2\t199\t200\tname\n');
    assert.deepEqual(await readTargetsBed(good), { source: 'targets', intervals: [{ chrom: 'chr1', start: 1, end: 100 }, { chrom: 'chr2', start: 200, end: 200 }] });
    const bad = write('bad.bed', 'chr1\t0\t100\nchr1\t50\tx\n');
    await assert.rejects(readTargetsBed(bad), (err: unknown) => err instanceof VcfFormatError && err.message === 'bad.bed:2:9: BED end is not a non-negative integer');
    const empty = write('empty.bed', 'chr1\t10\t10\n');
    await assert.rejects(readTargetsBed(empty), /empty\.bed:1:\d+: BED end must be greater than start/);
  });
});
