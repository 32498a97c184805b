import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { allGeneSpans, geneLocation, genesOverlapping, parseGeneTable, resolveBuild, GeneTableError } from '../../../vault/genes/gene-table.ts';
import { ACMG_SF_V3_2 } from '../../../consent/genes/acmg-secondary-findings.ts';

const PANEL = ['ATM', 'CHEK2', 'BARD1', 'BRIP1', 'RAD51C', 'RAD51D', 'NF1', 'CDH1', 'PALB2'];

describe('gene coordinate table', () => {
  it('parses, with no duplicate symbol per build', () => {
    const text = readFileSync(new URL('../../../vault/genes/gene-spans.tsv', import.meta.url), 'utf8');
    const spans = parseGeneTable(text);
    assert.equal(spans.length, allGeneSpans().length);
    for (const build of ['GRCh37', 'GRCh38']) {
      const symbols = spans.filter((s) => s.build === build).map((s) => s.symbol);
      assert.equal(new Set(symbols).size, symbols.length, build);
    }
  });

  it('holds the 81 ACMG SF v3.2 genes and the panel genes in both builds', () => {
    assert.equal(new Set(ACMG_SF_V3_2).size, 81);
    for (const symbol of [...ACMG_SF_V3_2, ...PANEL]) {
      assert.ok(geneLocation(symbol, 'GRCh37'), `${symbol} GRCh37`);
      assert.ok(geneLocation(symbol, 'GRCh38'), `${symbol} GRCh38`);
    }
  });

  it('has start < end everywhere, and the same chromosome in both builds', () => {
    for (const span of allGeneSpans()) {
      assert.ok(span.start < span.end, span.symbol);
      assert.match(span.chrom, /^chr([1-9]|1[0-9]|2[0-2]|X|Y)$/);
      const other = geneLocation(span.symbol, span.build === 'GRCh37' ? 'GRCh38' : 'GRCh37');
      assert.equal(other?.chrom, span.chrom, span.symbol);
    }
  });

  it('matches the published spans of well-known genes', () => {
    assert.deepEqual(geneLocation('BRCA1', 'GRCh38'), { symbol: 'BRCA1', build: 'GRCh38', chrom: 'chr17', start: 43044295, end: 43125483 });
    assert.deepEqual(geneLocation('BRCA1', 'GRCh37'), { symbol: 'BRCA1', build: 'GRCh37', chrom: 'chr17', start: 41196312, end: 41277500 });
    assert.deepEqual(geneLocation('BRCA2', 'GRCh38'), { symbol: 'BRCA2', build: 'GRCh38', chrom: 'chr13', start: 32315474, end: 32400266 });
    assert.deepEqual(geneLocation('TP53', 'GRCh38'), { symbol: 'TP53', build: 'GRCh38', chrom: 'chr17', start: 7661779, end: 7687550 });
  });

  it('looks symbols up case-insensitively; an unknown build reads as GRCh38', () => {
    assert.equal(geneLocation('brca1', 'GRCh38')?.start, 43044295);
    assert.equal(geneLocation('BRCA1', null)?.start, 43044295);
    assert.equal(geneLocation('BRCA1', 'hg19')?.start, 41196312);
    assert.equal(resolveBuild('NCBI36'), 'GRCh38');
    assert.equal(geneLocation('NOT_A_GENE', 'GRCh38'), undefined);
  });

  it('finds the genes overlapping a region, at the inclusive edges and not beyond', () => {
    assert.deepEqual(genesOverlapping({ chrom: 'chr17', start: 43125483, end: 43125483 }, 'GRCh38').map((g) => g.symbol), ['BRCA1']);
    assert.deepEqual(genesOverlapping({ chrom: 'chr17', start: 43125484, end: 43125490 }, 'GRCh38'), []);
    assert.deepEqual(genesOverlapping({ chrom: 'chr13', start: 43044295, end: 43044295 }, 'GRCh38'), []);
    assert.deepEqual(genesOverlapping({ chrom: 'chr2', start: 47_000_000, end: 48_000_000 }, 'GRCh38').map((g) => g.symbol), ['CALM2', 'EPCAM', 'MSH2', 'MSH6']);
  });

  it('refuses a malformed table, naming the line', () => {
    const header = 'symbol\tbuild\tchrom\tstart\tend\n';
    assert.throws(() => parseGeneTable('bad header\n'), /line 1/);
    assert.throws(() => parseGeneTable(`${header}A\tGRCh38\tchr1\t10\t5\n`), (e: unknown) => e instanceof GeneTableError && /line 2/.test(e.message));
    assert.throws(() => parseGeneTable(`${header}A\tGRCh38\tchr1\t1\t5\nA\tGRCh38\tchr1\t1\t5\n`), /line 3: A appears twice/);
    assert.throws(() => parseGeneTable(`${header}A\thg18\tchr1\t1\t5\n`), /build must be/);
  });
});
