// Partitions written before allele depths and HGVS were kept (calls format 3, allele tables format 1)
// stay readable: test/fixtures/formats holds bytes the previous writer produced. They read as before,
// with AD and HGVS missing; what is written now (formats 4 and 2) carries them.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeCalls, encodeCalls, joinCalls } from '../../../vault/store/calls-codec.ts';
import { decodeAlleleTable, encodeAlleleTable } from '../../../vault/store/allele-table-codec.ts';
import { decodePartitionCoded, partitionFormat } from '../../../vault/store/partition-codec.ts';

const FORMATS = join(import.meta.dirname, '../../fixtures/formats');
const read = (name: string) => readFileSync(join(FORMATS, name));
const value = (t: { values: string[]; codes: Int32Array }, i: number) => (t.codes[i]! < 0 ? null : t.values[t.codes[i]!]);

describe('older stored formats', () => {
  it('a format-3 calls partition joined with a format-1 allele table reads as written, AD and HGVS missing', () => {
    const calls = read('calls-format3.bin');
    const alleles = decodeAlleleTable(read('alleles-format1.bin'));
    assert.equal(partitionFormat(calls), 3);
    const joined = decodePartitionCoded(calls, alleles);
    assert.deepEqual([...joined.pos], [43045712, 43057062, 43093449]);
    assert.deepEqual([...joined.dp], [31, -1, 12]);
    assert.deepEqual([0, 1, 2].map((i) => value(joined.text.gt, i)), ['0/1', '1/1', '1/2']);
    assert.deepEqual([0, 1, 2].map((i) => value(joined.text.gene, i)), ['BRCA1', null, 'BRCA1']);
    assert.deepEqual([joined.adRef.length, joined.adAlt.length, joined.adOther.length], [0, 0, 0], 'no AD: empty columns, every value missing');
    assert.deepEqual([0, 1, 2].map((i) => [value(joined.text.hgvs_c, i), value(joined.text.hgvs_p, i)]), [[null, null], [null, null], [null, null]]);
  });

  it('new partitions are format 4 and allele tables format 2, keeping AD and HGVS', () => {
    const old = decodeCalls(read('calls-format3.bin'));
    const withDepths = { ...old, adRef: Int32Array.of(20, -1, 5), adAlt: Int32Array.of(11, -1, 7), adOther: Int32Array.of(0, -1, 3) };
    const bytes = encodeCalls(withDepths, old.alleleRows);
    assert.equal(partitionFormat(bytes), 4);
    const table = decodeAlleleTable(read('alleles-format1.bin'));
    const hgvs = { ...table, text: { ...table.text, hgvs_c: { values: ['c.5266dupC'], codes: Int32Array.of(0, -1, -1) }, hgvs_p: { values: ['p.Gln1756ProfsTer74'], codes: Int32Array.of(0, -1, -1) } } };
    const rewritten = encodeAlleleTable(hgvs);
    assert.equal(Buffer.from(rewritten.subarray(0, 4)).toString(), 'GVA2');
    const joined = joinCalls(decodeCalls(bytes), decodeAlleleTable(rewritten));
    assert.deepEqual([[...joined.adRef], [...joined.adAlt], [...joined.adOther]], [[20, -1, 5], [11, -1, 7], [0, -1, 3]]);
    assert.deepEqual([value(joined.text.hgvs_c, 0), value(joined.text.hgvs_p, 0), value(joined.text.hgvs_c, 1)], ['c.5266dupC', 'p.Gln1756ProfsTer74', null]);
  });

  it('a partition without AD costs no AD columns (files without AD keep their size)', () => {
    const old = decodeCalls(read('calls-format3.bin'));
    const withDepths = { ...old, adRef: Int32Array.of(20, 8, 5), adAlt: Int32Array.of(11, 9, 7), adOther: Int32Array.of(0, 0, 3) };
    assert.ok(encodeCalls(old, old.alleleRows).length < encodeCalls(withDepths, old.alleleRows).length);
    assert.ok(Math.abs(encodeCalls(old, old.alleleRows).length - read('calls-format3.bin').length) <= 8, 'same size as format 3 give or take the format name');
  });
});
