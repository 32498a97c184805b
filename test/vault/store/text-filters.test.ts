import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { VARCHAR, LIST, listValue } from '@duckdb/node-api';
import { openSecureDuckDB, type DuckDBSession } from '../../../vault/store/duckdb-session.ts';
import { namesGene } from '../../../vault/store/loaded-partition.ts';
import { matchesSignificance, normaliseSignificanceTerms } from '../../../vault/store/significance.ts';

// The engine once applied these rules in SQL over every dictionary string; they now run in JS
// over each partition's own values. The SQL stays here as the reference the JS must agree with.
const GENE_SQL = "list_contains(list_transform(string_split_regex(upper(v), '[|,&;]'), g -> trim(split_part(g, ':', 1))), $2)";
const SIGNIFICANCE_SQL = "list_has_any(list_transform(string_split_regex(lower(v), '[/|,]'), t -> trim(replace(t, ' ', '_'), '_')), $2)";

const chars = (alphabet: string[], minLength: number, maxLength: number) => fc.array(fc.constantFrom(...alphabet), { minLength, maxLength }).map((c) => c.join(''));
// ASCII only: outside it JavaScript's case mapping and DuckDB's differ (documented beside the rules)
const annotation = chars(['A', 'b', 'C', '1', ':', '|', ',', '&', ';', ' ', '\t', '/', '_', '-'], 0, 14);
const symbol = chars(['A', 'B', 'C', '1', '-'], 1, 3);
const term = chars(['p', 'a', 't', ' ', '_', 'L'], 1, 5);

describe('text filters resolved in JS agree with the SQL rules they replace', () => {
  let session: DuckDBSession;
  before(async () => {
    session = await openSecureDuckDB({ memoryLimitBytes: 256 * 1024 * 1024 });
  });
  after(() => session.close());

  const sqlMatches = async (predicate: string, values: string[], param: unknown, paramType: typeof VARCHAR | ReturnType<typeof LIST>): Promise<boolean[]> => {
    const result = await session.connection.runAndReadAll(`SELECT ${predicate} AS m FROM (SELECT unnest($1) AS v, generate_subscripts($1, 1) AS i) ORDER BY i`, [listValue(values), param as never], [LIST(VARCHAR), paramType]);
    return result.getColumnsJS()[0]!.map((m) => m === true);
  };

  it('gene symbols in annotations (property)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(annotation, { minLength: 1, maxLength: 20 }), symbol, async (values, gene) => {
      const upper = gene.toUpperCase();
      assert.deepEqual(values.map((v) => namesGene(v, upper)), await sqlMatches(GENE_SQL, values, upper, VARCHAR));
    }), { numRuns: 100 });
  });

  it('ClinVar significance terms (property)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(annotation, { minLength: 1, maxLength: 20 }), fc.array(term, { minLength: 1, maxLength: 3 }), async (values, asked) => {
      const terms = normaliseSignificanceTerms(asked);
      fc.pre(terms.length > 0);
      assert.deepEqual(values.map((v) => matchesSignificance(v, terms)), await sqlMatches(SIGNIFICANCE_SQL, values, listValue(terms), LIST(VARCHAR)));
    }), { numRuns: 100 });
  });

  it('examples: GENEINFO ids and combined significance', () => {
    assert.equal(namesGene('BRCA1:672|NBR2:10230', 'NBR2'), true);
    assert.equal(namesGene('BRCA1P1', 'BRCA1'), false);
    assert.equal(matchesSignificance('Pathogenic/Likely_pathogenic', ['likely_pathogenic']), true);
    assert.equal(matchesSignificance('Conflicting_classifications_of_pathogenicity', ['pathogenic']), false);
    assert.equal(matchesSignificance('Benign, low penetrance', ['low_penetrance']), true);
    assert.equal(namesGene('BRCA1\t', 'BRCA1'), false, 'only spaces are trimmed, as in SQL');
  });
});
