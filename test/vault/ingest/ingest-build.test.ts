// Every stored sample records its reference build: from the header (##reference / ##assembly,
// ##contig assembly=, primary contig lengths), or --build when the header does not say. A file
// whose build cannot be told is refused without --build; a --build the header contradicts is
// refused; both leave the vault byte-for-byte as it was.
import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Vault } from '../../../vault/store/vault.ts';
import { newMasterKey } from '../../../vault/crypto/master-key.ts';
import { ingestVcf } from '../../../vault/ingest/ingest-vcf.ts';
import { IngestBuildError, parseBuildOption } from '../../../vault/ingest/ingest-build.ts';
import { readVcf } from '../../../vault/ingest/vcf/read-vcf.ts';
import { buildFromContigLength, detectBuild } from '../../../vault/ingest/vcf/build-detect.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { hashTree } from '../../helpers/hash-tree.ts';

const fixture = (rel: string): string => join(import.meta.dirname, '../../fixtures', rel);
const real = (name: string): string => fixture(`vcf/real/${name}`);

describe('ingest: reference builds', () => {
  let dir: { path: string; remove: () => Promise<void> };
  let vault: Vault;
  beforeEach(async () => {
    dir = await makeTempDir();
    const kek = newMasterKey('test');
    await (await Vault.init(join(dir.path, 'v'), kek)).close();
    vault = await Vault.open(join(dir.path, 'v'), kek, { write: true });
  });
  afterEach(async () => {
    await vault.close();
    await dir.remove();
  });

  it('tells the build of every real file from what its header says, or says it cannot', async () => {
    const expected: [string, string | null][] = [
      ['vcf/real/1000g-phase1_chr22_5samples_phased.vcf.gz', null],
      ['vcf/real/beagle-imputed_1000g-grch38_chr20_14samples.vcf', null],
      ['vcf/real/1000g-nygc30x-grch38_chr22_100samples.vcf.gz', 'GRCh38'], // a reference path naming GRCh38, and contig lengths
      ['vcf/real/1000g-nygc30x-grch38_chrM_3samples_indels.vcf.gz', 'GRCh38'],
      ['vcf/real/clinvar-grch38-20250521_chr1_1000sites.vcf', 'GRCh38'], // ##reference=GRCh38
      ['vcf/real/colo829-somatic_manta_sv.vcf', 'GRCh37'], // a reference path naming GRCh37
      ['vcf/real/completegenomics-hcc1187_2samples_10k.vcf.gz', 'GRCh37'], // build37.fa
      ['vcf/real/freebayes_chr22_7samples.vcf.gz', 'GRCh37'], // ucsc.hg19.fasta
      ['vcf/real/gatk-ug_chr22_7samples.vcf.gz', 'GRCh37'], // ##contig assembly=hg19
      ['vcf/real/hapmap-exome_chr22_22samples.vcf.gz', 'GRCh37'], // ##contig assembly=b37
      ['vcf/real/gatk-gvcf_na12878_chr20-21.g.vcf.gz', 'GRCh37'], // human_g1k_v37
      ['conformance/examples/simple.vcf', 'NCBI36'],
    ];
    for (const [file, build] of expected) assert.equal((await readVcf(fixture(file), { workers: 0 })).build, build, file);
  });

  it('reads contig lengths of either build, and not a length both builds share (chrM)', () => {
    assert.equal(detectBuild({ referenceTexts: [], contigAssemblies: [], contigLengths: [{ name: 'chr1', length: 248956422 }, { name: 'chrM', length: 16569 }] }).source, '##contig lengths');
    assert.equal(buildFromContigLength('1', 249250621), 'GRCh37');
    assert.equal(buildFromContigLength('chr1', 248956422), 'GRCh38');
    assert.equal(buildFromContigLength('chr22', 50818468), 'GRCh38');
    assert.equal(buildFromContigLength('chrM', 16569), null);
    assert.equal(buildFromContigLength('chr1', 1000), null);
  });

  it('lets ##reference decide and reports contig lengths that disagree', () => {
    const found = detectBuild({ referenceTexts: ['file:///ref/1000GenomesPilot-NCBI36.fasta'], contigAssemblies: ['B36'], contigLengths: [{ name: 'X', length: 155270560 }] });
    assert.equal(found.build, 'NCBI36');
    assert.match(found.conflicts.join(), /##contig lengths point to GRCh37/);
    const torn = detectBuild({ referenceTexts: ['GRCh37', 'hg38'], contigAssemblies: [], contigLengths: [] });
    assert.equal(torn.build, null, 'two ##reference lines naming different builds tell nothing');
  });

  it('refuses a file whose build cannot be told, unless --build says it, and stores nothing', async () => {
    const before = await hashTree(vault.dataDir);
    await assert.rejects(ingestVcf(vault, real('1000g-phase1_chr22_5samples_phased.vcf.gz'), { patient: 'MRN-1', sample: 'HG00096', workers: 0 }), (err: Error) => {
      assert.ok(err instanceof IngestBuildError);
      assert.match(err.message, /does not say which reference build.*--build GRCh37 or GRCh38/);
      return true;
    });
    assert.deepEqual(await hashTree(vault.dataDir), before);
    const report = await ingestVcf(vault, real('1000g-phase1_chr22_5samples_phased.vcf.gz'), { patient: 'MRN-1', sample: 'HG00096', workers: 0, build: parseBuildOption('hg19') });
    assert.equal(report.build, 'GRCh37');
    assert.equal(vault.catalog.sample(report.samples[0]!.sampleId)?.build, 'GRCh37');
  });

  it('refuses a --build the header contradicts, and stores nothing', async () => {
    const before = await hashTree(vault.dataDir);
    await assert.rejects(
      ingestVcf(vault, real('1000g-nygc30x-grch38_chr22_100samples.vcf.gz'), { patient: 'MRN-2', sample: 'HG00096', workers: 0, build: 'GRCh37' }),
      /--build GRCh37 contradicts the header, whose ##reference\/##assembly lines say GRCh38/,
    );
    assert.deepEqual(await hashTree(vault.dataDir), before);
    assert.throws(() => parseBuildOption('hg17'), /not a reference build we know/);
    const agreeing = await ingestVcf(vault, real('1000g-nygc30x-grch38_chr22_100samples.vcf.gz'), { patient: 'MRN-2', sample: 'HG00096', workers: 0, build: 'GRCh38' });
    assert.equal(agreeing.build, 'GRCh38');
  });

  it('records how the file spells its chromosomes, and how far each partition\'s REF alleles reach', async () => {
    const file = join(dir.path, 'spelled.vcf');
    await writeFile(file, ['##fileformat=VCFv4.2', '##reference=GRCh38', '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
      '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1', '17\t100\t.\tACGTACGT\tA\t50\tPASS\t.\tGT\t0/1', '17\t120\t.\tC\tT\t50\tPASS\t.\tGT\t0/1',
      'MT\t50\t.\tA\tG\t50\tPASS\t.\tGT\t1', 'chrUn_KI270742v1\t10\t.\tA\tG\t50\tPASS\t.\tGT\t0/1', ''].join('\n'));
    const report = await ingestVcf(vault, file, { patient: 'MRN-3', workers: 0 });
    const sample = vault.catalog.sample(report.samples[0]!.sampleId)!;
    assert.deepEqual(sample.sourceContigs, { chr17: '17', chrM: 'MT' });
    const chr17 = vault.catalog.callPartitions(new Set([sample.sampleId])).find((p) => p.chrom === 'chr17')!;
    assert.equal(chr17.maxPos, 120);
    assert.ok(chr17.maxEnd! >= 107, 'the 8-base REF at 100 reaches 107');
  });
});
