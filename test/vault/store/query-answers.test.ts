// What a patient query answers besides rows: one build per answer (asked for, or the patient's only
// one; several must be chosen between), gene symbols read through the gene table, and notes or
// errors wherever an empty answer would otherwise look like "nothing found".
import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Vault } from '../../../vault/store/vault.ts';
import { newMasterKey } from '../../../vault/crypto/master-key.ts';
import { ingestVcf } from '../../../vault/ingest/ingest-vcf.ts';
import { openQueries, type PatientQueries, type PatientVariantQuery } from '../../../vault/store/patient-queries.ts';
import { QueryInputError } from '../../../vault/store/query-input-error.ts';
import { eraseSample, prepareReplacement } from '../../../vault/store/key-operations.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { execFileSync } from 'node:child_process';
import { hasBcftools, realFile } from './helpers/bcftools-oracle.ts';

const HEADER = ['##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">', '##INFO=<ID=CLNSIG,Number=.,Type=String,Description="ClinVar significance">',
  '##INFO=<ID=GENEINFO,Number=1,Type=String,Description="Gene">', '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS'];

/** GRCh38, ClinVar-annotated in part: BRCA1 (annotated and not), TXNRD2/COMT (overlapping genes), a symbol the table lacks, TP53. */
const ANNOTATED = ['##fileformat=VCFv4.2', '##reference=GRCh38', ...HEADER,
  'chr17\t7674220\t.\tC\tT\t50\tPASS\tCLNSIG=Likely_pathogenic;GENEINFO=TP53:7157\tGT\t0/1',
  'chr17\t43045712\t.\tC\tT\t50\tPASS\tCLNSIG=Pathogenic;GENEINFO=BRCA1:672\tGT\t0/1',
  'chr17\t43100000\t.\tG\tA\t50\tPASS\t.\tGT\t0/1',
  'chr22\t19941371\t.\tA\tG\t50\tPASS\t.\tGT\t1/1',
  'chr22\t30000000\t.\tA\tG\t50\tPASS\tGENEINFO=GVNOTINTABLE:1\tGT\t0/1', ''].join('\n');

/** GRCh37: one call inside BRCA1's GRCh37 span, one at a GRCh38 BRCA1 position (elsewhere on GRCh37). */
const GRCH37_BRCA1 = ['##fileformat=VCFv4.2', '##reference=GRCh37', ...HEADER,
  '17\t41245000\t.\tA\tG\t50\tPASS\t.\tGT\t0/1', '17\t43045712\t.\tC\tT\t50\tPASS\t.\tGT\t0/1', ''].join('\n');

describe('patient answers: builds, genes and notes', function () {
  this.timeout(120_000);
  let dir: { path: string; remove: () => Promise<void> };
  let vault: Vault;
  let queries: PatientQueries;
  const id: Record<string, string> = {};
  const ask = (who: string, query: PatientVariantQuery) => queries.variantsOfPatient(id[who]!, query);
  const refused = async (who: string, query: PatientVariantQuery, field: string, message: RegExp) => {
    await assert.rejects(ask(who, query), (err: Error) => {
      assert.ok(err instanceof QueryInputError, err.message);
      assert.equal(err.field, field);
      assert.match(err.message, message);
      return true;
    });
  };

  before(async () => {
    dir = await makeTempDir();
    const kek = newMasterKey('test');
    const data = join(dir.path, 'vault');
    await (await Vault.init(data, kek)).close();
    const writer = await Vault.open(data, kek, { write: true });
    const annotated = join(dir.path, 'annotated.vcf');
    const grch37 = join(dir.path, 'grch37.vcf');
    await writeFile(annotated, ANNOTATED);
    await writeFile(grch37, GRCH37_BRCA1);
    const targets = join(dir.path, 'exome.bed');
    await writeFile(targets, '22\t50400000\t50450000\n');
    const phase1 = realFile('1000g-phase1_chr22_5samples_phased.vcf.gz');
    await ingestVcf(writer, phase1, { map: new Map([['HG00096', 'MIX'], ['HG00097', 'PLAIN'], ['HG00099', 'OLD'], ['HG00100', 'GONE'], ['HG00101', 'OTHER']]), build: 'GRCh37', workers: 0 });
    await ingestVcf(writer, realFile('1000g-nygc30x-grch38_chr22_100samples.vcf.gz'), { patient: 'MIX', sample: 'HG00096', workers: 0 });
    await ingestVcf(writer, annotated, { patient: 'ANN', workers: 0 });
    await ingestVcf(writer, grch37, { patient: 'B37', workers: 0 });
    await ingestVcf(writer, realFile('hapmap-exome_chr22_22samples.vcf.gz'), { patient: 'EXO', sample: 'NA07034@1099927558', targets, workers: 0 });
    for (const mrn of ['MIX', 'PLAIN', 'OLD', 'GONE', 'ANN', 'B37', 'EXO']) id[mrn] = writer.catalog.patientByMrn(mrn)!.patientId;
    // a sample as vaults written before builds were required hold it
    const change = writer.beginChange();
    change.updateSample(writer.catalog.samplesOf(id.OLD!)[0]!.sampleId, { build: null });
    await writer.commit(change);
    // erasure rotates the master key: the vault reopens under the new one
    const next = newMasterKey('next');
    await eraseSample(writer, writer.catalog.samplesOf(id.GONE!)[0]!.sampleId, await prepareReplacement({ currentKeyFile: null, explicit: next }));
    await writer.close();
    vault = await Vault.open(data, next, { write: false });
    queries = await openQueries(vault, { cacheBudgetMb: 128 });
  });

  after(async () => {
    await queries?.close();
    await vault?.close();
    await dir.remove();
  });

  it('refuses a patient on two builds without a build, naming the builds it holds', async () => {
    await refused('MIX', { region: '22:50300000-50400000' }, 'build', /more than one reference build \(GRCh37: 1 sample, GRCh38: 1 sample\).*--build/);
    await refused('MIX', { build: 'hg17' }, 'build', /not a reference build the vault knows; use GRCh37 \(hg19, b37\), GRCh38/);
  });

  it('answers for the build asked for only, saying which and what was left out, in each file\'s chromosome spelling', async () => {
    const grch37 = await ask('MIX', { build: 'GRCh37', region: 'chr22:50300000-50400000' });
    assert.equal(grch37.build, 'GRCh37');
    assert.equal(grch37.samplesQueried, 1);
    assert.ok(grch37.variants.length > 0);
    assert.ok(grch37.variants.every((v) => v.build === 'GRCh37' && v.chrom === '22'));
    assert.deepEqual(grch37.notes.map((n) => n.code), ['samples_left_out']);
    assert.match(grch37.notes[0]!.message, /1 sample not queried: 1 on another build \(the query is for GRCh37\)/);
    const grch38 = await ask('MIX', { build: 'hg38' });
    assert.equal(grch38.build, 'GRCh38');
    assert.ok(grch38.variants.length > 0 && grch38.variants.every((v) => v.build === 'GRCh38' && v.chrom === 'chr22'));
  });

  it('uses the patient\'s only build, and that build\'s gene coordinates', async () => {
    const brca1 = await ask('B37', { gene: 'BRCA1' });
    assert.equal(brca1.build, 'GRCh37');
    assert.deepEqual(brca1.variants.map((v) => `${v.chrom}:${v.pos}`), ['17:41245000'], 'the GRCh38 BRCA1 position is not BRCA1 on GRCh37');
    assert.equal(brca1.variants[0]?.gene, 'BRCA1');
    const asked38 = await ask('B37', { build: 'GRCh38', region: '17:43044295-43125483' });
    assert.equal(asked38.samplesQueried, 0, 'a GRCh38 region is never read against GRCh37 positions');
    assert.deepEqual(asked38.variants, []);
    assert.deepEqual(asked38.notes.map((n) => n.code), ['samples_left_out']);
  });

  it('reads a sample with no recorded build (older vaults) only when the query names the build, and says so', async () => {
    await refused('OLD', {}, 'build', /recorded without a reference build/);
    const answer = await ask('OLD', { build: 'GRCh37', region: '22:50300000-50400000' });
    assert.ok(answer.variants.length > 0);
    assert.deepEqual(answer.notes.map((n) => n.code), ['build_unverified']);
  });

  it('says "no samples" for a patient whose only sample was erased, unlike an answer that found no variant', async () => {
    const gone = await ask('GONE', { region: '22:50300000-50400000' });
    assert.deepEqual(gone.variants, []);
    assert.equal(gone.samplesQueried, 0);
    assert.deepEqual(gone.notes.map((n) => n.code), ['no_samples']);
    const none = await ask('PLAIN', { region: '22:17000000-17000100' });
    assert.deepEqual([none.variants, none.notes, none.samplesQueried], [[], [], 1], 'nothing found, and nothing to say about it');
  });

  it('says when the samples queried carry no ClinVar annotation, so an empty significance answer is not read as "none pathogenic"', async function () {
    if (hasBcftools) {
      // bcftools agrees there is nothing to filter on: the file declares no CLNSIG and no record carries one
      const header = execFileSync('bcftools', ['view', '-h', realFile('1000g-phase1_chr22_5samples_phased.vcf.gz')], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
      assert.doesNotMatch(header, /ID=CLNSIG/);
    }
    const plain = await ask('PLAIN', { significance: ['pathogenic'] });
    assert.deepEqual(plain.variants, []);
    assert.deepEqual(plain.notes.map((n) => n.code), ['no_significance_annotation']);
    const annotated = await ask('ANN', { significance: ['pathogenic', 'likely_pathogenic'] });
    assert.deepEqual(annotated.variants.map((v) => v.pos), [7674220, 43045712]);
    assert.deepEqual(annotated.notes, []);
  });

  it('refuses an unknown significance term, naming its place and the nearest ClinVar terms, never the term', async () => {
    await refused('ANN', { significance: ['likely_pathogenic', 'pathogenci'] }, 'significance', /term 2 is not a ClinVar significance term; did you mean pathogenic\?/);
    await assert.rejects(ask('ANN', { significance: ['pathogenci'] }), (err: Error) => !err.message.includes('pathogenci'));
  });

  it('refuses an unknown contig with the valid ones and the nearest, and a position past the chromosome\'s end', async () => {
    await refused('PLAIN', { region: 'chrZ:1-100' }, 'region', /not a contig of GRCh37 nor of any sample queried; GRCh37 has chr1-chr22, chrX, chrY, chrM.*closest: chrM, chrX, chrY/);
    await refused('PLAIN', { region: '22:60000000-60000100' }, 'region', /past the end of chr22, which is 51,304,566 bp long in GRCh37/);
    assert.deepEqual((await ask('PLAIN', { region: 'chr21' })).variants, [], 'a chromosome of the build without calls is a plain empty answer');
  });

  it('reads previous and alias symbols, refuses an ambiguous alias with its genes and an unknown symbol with the nearest', async () => {
    const alias = await ask('ANN', { gene: 'fancs' });
    assert.deepEqual(alias.variants.map((v) => v.pos), [43045712, 43100000]);
    assert.deepEqual(alias.notes.map((n) => n.code), ['gene_symbol_resolved']);
    assert.match(alias.notes[0]!.message, /an alias of BRCA1/);
    await refused('ANN', { gene: 'BRCC1' }, 'gene', /an alias of several genes \(BRCA1, ICE2\)/);
    await refused('ANN', { gene: 'BRAC1' }, 'gene', /closest symbols: .*BRCA1/);
    const annotationOnly = await ask('ANN', { gene: 'GVNOTINTABLE' });
    assert.deepEqual(annotationOnly.variants.map((v) => v.pos), [30000000]);
    assert.deepEqual(annotationOnly.notes.map((n) => n.code), ['gene_not_in_table']);
  });

  it('fills the gene column from the gene table where the VCF has no annotation, every gene a REF overlaps', async () => {
    const rows = (await ask('ANN', {})).variants;
    const gene = (pos: number) => rows.find((v) => v.pos === pos);
    assert.deepEqual([gene(43045712)?.gene, gene(43045712)?.geneSource], ['BRCA1', 'annotation']);
    assert.deepEqual([gene(43100000)?.gene, gene(43100000)?.geneSource], ['BRCA1', 'gene_table']);
    assert.deepEqual([gene(19941371)?.gene, gene(19941371)?.geneSource], ['TXNRD2|COMT', 'gene_table']);
  });

  it('says when the assay of an exome did not cover the region asked for (not tested is not absent)', async () => {
    const outside = await ask('EXO', { region: '22:16000000-16100000' });
    assert.deepEqual(outside.notes.map((n) => n.code), ['region_not_covered']);
    assert.match(outside.notes[0]!.message, /\(targets\) did not cover any base/);
    assert.deepEqual((await ask('EXO', { region: '22:50400000-50400100' })).notes, []);
  });
});
