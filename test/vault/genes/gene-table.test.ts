import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { GeneTable, geneLocation, geneTable, geneTableBuild, type GeneSpan } from '../../../vault/genes/gene-table.ts';
import { deriveGeneIndex, GENE_TABLE_BUILDS, indexFile, INDEX_HEADER, readGzipText, sourceFile } from '../../../vault/genes/gene-index-file.ts';
import { closestNames, editDistance } from '../../../vault/genes/closest-names.ts';
import { ACMG_SF_V3_2 } from '../../../consent/genes/acmg-secondary-findings.ts';

const manifest = new Map(
  readFileSync(new URL('../../../vault/genes/data/MANIFEST.tsv', import.meta.url), 'utf8').trim().split('\n').map((line) => line.split('\t') as [string, string]),
);

const span = (g: GeneSpan | undefined) => g && `${g.chrom}:${g.start}-${g.end}`;

describe('gene table: the shipped data', () => {
  for (const build of GENE_TABLE_BUILDS) {
    it(`${build}: the source table is the file PROVENANCE.md describes (sha256), and the index is derived from it`, () => {
      const source = readGzipText(sourceFile(build));
      assert.equal(createHash('sha256').update(source).digest('hex'), manifest.get(`genes_${build}.tsv`));
      assert.equal(readGzipText(indexFile(build)), deriveGeneIndex(source), 'run npm run genes:index');
    });
  }

  it('holds every protein-coding gene of both builds (one row per primary symbol)', () => {
    assert.equal(geneTable('GRCh37').size, 20615);
    assert.equal(geneTable('GRCh38').size, 20015);
  });

  it('gives the spans PROVENANCE.md checked for its seven test genes, Ensembl spans (BRCA1 GRCh38 ends at 43,170,245)', () => {
    const expected: [string, string, string][] = [
      ['BRCA1', 'chr17:41196312-41277500', 'chr17:43044295-43170245'],
      ['BRCA2', 'chr13:32889611-32973805', 'chr13:32315086-32400268'],
      ['TP53', 'chr17:7565097-7590856', 'chr17:7661779-7687538'],
      ['CFTR', 'chr7:117105838-117356025', 'chr7:117287120-117715971'],
      ['COMT', 'chr22:19929130-19957498', 'chr22:19941371-19969975'],
      ['MAPK1', 'chr22:22108789-22221970', 'chr22:21759657-21867680'],
      ['SMARCB1', 'chr22:24129150-24176703', 'chr22:23786931-23838009'],
    ];
    for (const [symbol, grch37, grch38] of expected) {
      assert.equal(span(geneLocation(symbol, 'GRCh37')), grch37, `${symbol} GRCh37`);
      assert.equal(span(geneLocation(symbol, 'GRCh38')), grch38, `${symbol} GRCh38`);
    }
    assert.equal(geneLocation('brca1', 'GRCh38')?.hgncId, 'HGNC:1100');
  });

  it('holds the 81 ACMG SF v3.2 genes in both builds', () => {
    assert.equal(new Set(ACMG_SF_V3_2).size, 81);
    for (const symbol of ACMG_SF_V3_2) {
      for (const build of GENE_TABLE_BUILDS) assert.ok(geneLocation(symbol, build), `${symbol} ${build}`);
    }
  });

  it('names only the builds it covers', () => {
    assert.equal(geneTableBuild('GRCh37'), 'GRCh37');
    assert.equal(geneTableBuild('NCBI36'), null);
    assert.equal(geneTableBuild(null), null);
  });
});

describe('gene table: symbols', () => {
  const grch38 = geneTable('GRCh38');

  it('reads previous and alias symbols, approved symbols first', () => {
    assert.deepEqual(pick(grch38.resolve('MLL2')), ['previous', 'KMT2D']);
    assert.deepEqual(pick(grch38.resolve('fancs')), ['alias', 'BRCA1']);
    assert.deepEqual(pick(grch38.resolve('INI1')), ['alias', 'SMARCB1']);
    assert.deepEqual(pick(grch38.resolve('APC')), ['approved', 'APC']);
  });

  it('says which genes an ambiguous alias names', () => {
    const r = grch38.resolve('BRCC1');
    assert.equal(r.kind, 'ambiguous');
    assert.deepEqual(r.kind === 'ambiguous' && r.genes.map((g) => g.symbol), ['BRCA1', 'ICE2']);
  });

  it('suggests the nearest symbols for an unknown one', () => {
    const r = grch38.resolve('BRAC1');
    assert.equal(r.kind, 'unknown');
    assert.ok(r.kind === 'unknown' && r.suggestions.includes('BRCA1'), JSON.stringify(r));
    assert.deepEqual(closestNames('pathogenci', ['pathogenic', 'benign', 'likely_pathogenic']), ['pathogenic']);
    assert.equal(editDistance('ab', 'ba'), 1);
  });
});

describe('gene table: overlap', () => {
  const text = [INDEX_HEADER, 'A\t\tchr1\t100\t200\t\t', 'LONG\t\tchr1\t150\t5000\t\t', 'B\t\tchr1\t300\t400\t\t', 'C\t\tchr2\t100\t200\t\t'].join('\n') + '\n';
  const table = new GeneTable('GRCh38', text);

  it('finds every gene sharing a position with the range, inclusive at both ends', () => {
    assert.deepEqual(table.overlapping('chr1', 200, 200).map((g) => g.symbol), ['A', 'LONG']);
    assert.deepEqual(table.overlapping('chr1', 201, 299).map((g) => g.symbol), ['LONG']);
    assert.deepEqual(table.overlapping('chr1', 4000, 4000).map((g) => g.symbol), ['LONG']);
    assert.deepEqual(table.overlapping('chr1', 5001, 9000), []);
    assert.deepEqual(table.overlapping('chr3', 1, 1000), []);
  });

  it('agrees with a scan of every gene (GRCh38 chr22, random ranges)', () => {
    const genes = geneTable('GRCh38');
    const all = genes.overlapping('chr22', 1, 60_000_000);
    fc.assert(fc.property(fc.integer({ min: 1, max: 51_000_000 }), fc.integer({ min: 0, max: 3_000_000 }), (start, length) => {
      const end = start + length;
      const scan = all.filter((g) => g.start <= end && g.end >= start).map((g) => g.symbol);
      assert.deepEqual(genes.overlapping('chr22', start, end).map((g) => g.symbol), scan);
    }), { numRuns: 300 });
  });
});

function pick(r: ReturnType<GeneTable['resolve']>): [string, string | undefined] {
  return [r.kind, 'gene' in r ? r.gene.symbol : undefined];
}
