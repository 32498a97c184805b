import { strict as assert } from 'node:assert';
import { CATEGORY_GENES, categoriesOfGene } from '../../../consent/genes/gene-categories.ts';
import { FINDINGS_CATEGORIES } from '../../../schemas/consent/result-scope.ts';

describe('findings-category gene lists', () => {
  it('holds one list per category, of unique HGNC-style symbols, with the sizes their sources give', () => {
    assert.deepEqual(Object.keys(CATEGORY_GENES).sort(), [...FINDINGS_CATEGORIES].sort());
    for (const [category, genes] of Object.entries(CATEGORY_GENES)) {
      assert.equal(new Set(genes).size, genes.length, `${category} names a gene twice`);
      for (const gene of genes) assert.match(gene, /^[A-Z0-9][A-Z0-9-]*$/, `${category}: ${gene}`);
    }
    assert.equal(CATEGORY_GENES.acmg_secondary.length, 81, 'ACMG SF v3.2');
    assert.equal(CATEGORY_GENES.pharmacogenomic.length, 21, 'CPIC level A genes');
    assert.equal(CATEGORY_GENES.carrier_status.length, 21, 'the labelled subset of the ACMG tier-3 list');
    assert.equal(CATEGORY_GENES.adult_onset.length, 12, 'the curated adult-onset list');
  });

  it('looks a gene up in every list it belongs to, by current or previous symbol, in any case', () => {
    assert.deepEqual(categoriesOfGene('BRCA1'), ['acmg_secondary']);
    assert.deepEqual(categoriesOfGene('RYR1'), ['acmg_secondary', 'pharmacogenomic']);
    assert.deepEqual(categoriesOfGene('CFTR'), ['carrier_status', 'pharmacogenomic']);
    assert.deepEqual(categoriesOfGene('htt'), ['adult_onset']);
    assert.deepEqual(categoriesOfGene('C9orf72'), ['adult_onset']);
    assert.deepEqual(categoriesOfGene('IKBKAP'), ['carrier_status']);
    assert.deepEqual(categoriesOfGene(' CYP2D6 '), ['pharmacogenomic']);
    assert.deepEqual(categoriesOfGene('NBR2'), []);
  });
});
