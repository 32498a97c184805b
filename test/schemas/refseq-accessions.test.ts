import assert from 'node:assert/strict';
import { CHROMOSOMES, canonicalChromosome, chromosomeOfAccession, normaliseBuild, refSeqAccession } from '../../schemas/refseq-accessions.ts';

describe('RefSeq chromosome accessions', () => {
  it('covers chr1-22, X, Y and MT in both builds with the NC number of the chromosome', () => {
    assert.equal(CHROMOSOMES.length, 25);
    CHROMOSOMES.forEach((chromosome, index) => {
      for (const build of ['GRCh37', 'GRCh38'] as const) {
        const accession = refSeqAccession(chromosome, build);
        if (chromosome === 'MT') assert.equal(accession, 'NC_012920.1');
        else assert.match(accession ?? '', new RegExp(`^NC_${String(index + 1).padStart(6, '0')}\\.\\d+$`), `${chromosome} ${build}`);
      }
    });
  });

  it('moves every nuclear chromosome to a newer version in GRCh38', () => {
    for (const chromosome of CHROMOSOMES.filter((c) => c !== 'MT')) {
      const version = (build: 'GRCh37' | 'GRCh38') => Number(refSeqAccession(chromosome, build)?.split('.')[1]);
      assert.equal(version('GRCh38'), version('GRCh37') + 1, chromosome);
    }
  });

  it('reads every accession back to its chromosome and build (the mitochondrion\'s to no build: the same in both); others to nothing', () => {
    for (const chromosome of CHROMOSOMES) {
      for (const build of ['GRCh37', 'GRCh38'] as const) {
        assert.deepEqual(chromosomeOfAccession(refSeqAccession(chromosome, build)!), { chromosome, build: chromosome === 'MT' ? null : build });
      }
    }
    assert.deepEqual(chromosomeOfAccession('nc_000017.11'), { chromosome: '17', build: 'GRCh38' });
    for (const other of ['NC_000017.12', 'NC_000017', 'NC_001807.4', 'NT_187361.1', '17']) assert.equal(chromosomeOfAccession(other), null, other);
  });

  it('matches published accessions', () => {
    assert.equal(refSeqAccession('chr17', 'GRCh38'), 'NC_000017.11');
    assert.equal(refSeqAccession('chr17', 'GRCh37'), 'NC_000017.10');
    assert.equal(refSeqAccession('chr13', 'GRCh38'), 'NC_000013.11');
    assert.equal(refSeqAccession('chr7', 'GRCh37'), 'NC_000007.13');
    assert.equal(refSeqAccession('chrX', 'GRCh38'), 'NC_000023.11');
    assert.equal(refSeqAccession('Y', 'GRCh37'), 'NC_000024.9');
  });

  it('reads chromosome names with or without chr, and M as MT; other contigs have none', () => {
    assert.equal(canonicalChromosome('chr1'), '1');
    assert.equal(canonicalChromosome('chrx'), 'X');
    assert.equal(canonicalChromosome('chrM'), 'MT');
    assert.equal(canonicalChromosome('MT'), 'MT');
    for (const contig of ['chrUn_gl000220', 'chr23', 'HLA-A*01:01', '', 'constructor', '__proto__']) {
      assert.equal(canonicalChromosome(contig), null, contig);
      assert.equal(refSeqAccession(contig, 'GRCh38'), null, contig);
    }
  });

  it('knows the build names the vault meets, and no others', () => {
    for (const name of ['GRCh37', 'hg19', 'b37', 'grch37']) assert.equal(normaliseBuild(name), 'GRCh37');
    for (const name of ['GRCh38', 'hg38', ' GRCh38 ']) assert.equal(normaliseBuild(name), 'GRCh38');
    for (const name of [null, undefined, '', 'NCBI36', 'hg18', 'T2T-CHM13']) assert.equal(normaliseBuild(name), null);
  });
});
