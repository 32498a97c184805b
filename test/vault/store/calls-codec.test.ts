import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { encodeCalls, decodeCalls, joinCalls } from '../../../vault/store/calls-codec.ts';
import { encodeAlleleTable, decodeAlleleTable, keepAlleles, isRemovedAllele, type AlleleTable } from '../../../vault/store/allele-table-codec.ts';
import { PartitionCodecError, codeText } from '../../../vault/store/arrow-columns.ts';
import type { SampleCalls } from '../../../vault/ingest/call-columns.ts';

const text = fc.option(fc.string({ maxLength: 12 }), { nil: null });

/** An allele table of 1-40 rows with arbitrary text (nulls too) and QUAL, and the batch's genotypes. */
const alleleTable: fc.Arbitrary<AlleleTable> = fc.integer({ min: 1, max: 40 }).chain((rows) => fc.record({
  pos: fc.array(fc.integer({ min: 1, max: 2 ** 31 - 1 }), { minLength: rows, maxLength: rows }),
  alt: fc.array(fc.integer({ min: 1, max: 255 }), { minLength: rows, maxLength: rows }),
  qual: fc.array(fc.oneof(fc.constant(NaN), fc.float({ noNaN: true })), { minLength: rows, maxLength: rows }),
  texts: fc.array(fc.array(text, { minLength: rows, maxLength: rows }), { minLength: 9, maxLength: 9 }),
  refs: fc.array(fc.string({ minLength: 1, maxLength: 8 }), { minLength: rows, maxLength: rows }),
  genotypes: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }),
}).map((r) => {
  const [id, , alt, filter, gene, consequence, clnsig, hgvsC, hgvsP] = r.texts;
  return {
    chrom: 'chr7', rows, pos: Int32Array.from(r.pos), altIndex: Uint8Array.from(r.alt), qual: Float32Array.from(r.qual), genotypes: r.genotypes,
    text: {
      id: codeText(id!, rows), ref: codeText(r.refs, rows), alt: codeText(alt!.map((a) => a ?? 'A'), rows), filter: codeText(filter!, rows),
      gene: codeText(gene!, rows), consequence: codeText(consequence!, rows), clnsig: codeText(clnsig!, rows),
      hgvs_c: codeText(hgvsC!, rows), hgvs_p: codeText(hgvsP!, rows),
    },
  };
}));

/** An allele depth: mostly missing or small, sometimes across the whole int range. */
const depth = fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 300 }), fc.integer({ min: -1, max: 2 ** 31 - 2 }));

/** Calls pointing at rows of `table`, with DP/GQ/AD across the whole int range (missing is -1); AD absent from some partitions. */
function callsFor(table: AlleleTable): fc.Arbitrary<SampleCalls> {
  return fc.integer({ min: 0, max: 60 }).chain((n) => fc.record({
    allele: fc.array(fc.integer({ min: 0, max: table.rows - 1 }), { minLength: n, maxLength: n }),
    zygosity: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: n, maxLength: n }),
    phased: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }),
    dp: fc.array(fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 300 }), fc.integer({ min: -1, max: 2 ** 31 - 2 })), { minLength: n, maxLength: n }),
    gq: fc.array(fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 99 })), { minLength: n, maxLength: n }),
    gt: fc.array(fc.integer({ min: 0, max: table.genotypes.length - 1 }), { minLength: n, maxLength: n }),
    ad: fc.option(fc.array(fc.tuple(depth, depth, depth), { minLength: n, maxLength: n }), { nil: null }),
  }).map((c) => ({
    chrom: table.chrom, rows: n, allele: Uint32Array.from(c.allele), zygosity: Uint8Array.from(c.zygosity), phased: Uint8Array.from(c.phased),
    dp: Int32Array.from(c.dp), gq: Int32Array.from(c.gq), gt: Int32Array.from(c.gt),
    // no AD at all: empty columns, as ingest hands them over
    adRef: Int32Array.from(c.ad?.map((d) => d[0]) ?? []),
    adAlt: Int32Array.from(c.ad?.map((d) => d[1]) ?? []),
    adOther: Int32Array.from(c.ad?.map((d) => d[2]) ?? []),
  })));
}

const value = (t: { values: string[]; codes: Int32Array }, i: number) => (t.codes[i]! < 0 ? null : t.values[t.codes[i]!]);

describe('calls partitions (format 4) and allele tables (format 2)', () => {
  it('round-trip exactly, and joining gives each call its allele (property)', () => {
    fc.assert(fc.property(alleleTable.chain((t) => fc.tuple(fc.constant(t), callsFor(t))), ([table, calls]) => {
      const t = decodeAlleleTable(encodeAlleleTable(table));
      const c = decodeCalls(encodeCalls(calls, table.rows));
      const joined = joinCalls(c, t);
      assert.equal(joined.rows, calls.rows);
      for (let i = 0; i < calls.rows; i++) {
        const row = calls.allele[i]!;
        assert.equal(joined.pos[i], table.pos[row]);
        assert.equal(joined.altIndex[i], table.altIndex[row]);
        assert.ok(Object.is(joined.qual[i], table.qual[row]));
        assert.deepEqual([joined.dp[i], joined.gq[i], joined.zygosity[i], joined.phased[i]], [calls.dp[i], calls.gq[i], calls.zygosity[i], calls.phased[i]]);
        // an empty column is every value missing
        const depths = (p: { adRef: Int32Array; adAlt: Int32Array; adOther: Int32Array }) => [p.adRef[i] ?? -1, p.adAlt[i] ?? -1, p.adOther[i] ?? -1];
        assert.deepEqual(depths(joined), depths(calls));
        assert.equal(value(joined.text.gt, i), table.genotypes[calls.gt[i]!]);
        for (const name of ['id', 'ref', 'alt', 'filter', 'gene', 'consequence', 'clnsig', 'hgvs_c', 'hgvs_p'] as const) assert.equal(value(joined.text[name], i), value(table.text[name], row));
      }
    }), { numRuns: 200 });
  });

  it('refuses calls that point past their allele table, at a removed allele, or into another chromosome', () => {
    const table = fc.sample(alleleTable.filter((t) => t.rows >= 3), { numRuns: 1, seed: 3 })[0]!;
    const calls: SampleCalls = { chrom: 'chr7', rows: 1, allele: Uint32Array.of(2), zygosity: Uint8Array.of(1), phased: Uint8Array.of(0), dp: Int32Array.of(5), gq: Int32Array.of(9), gt: Int32Array.of(0), adRef: Int32Array.of(3), adAlt: Int32Array.of(2), adOther: Int32Array.of(0) };
    const decoded = decodeCalls(encodeCalls(calls, table.rows));
    assert.throws(() => joinCalls(decoded, { ...table, rows: 2 }), /expect an allele table of/);
    const past = decodeCalls(encodeCalls({ ...calls, allele: Uint32Array.of(table.rows) }, table.rows));
    assert.throws(() => joinCalls(past, table), /point at allele row \d+, which the allele table does not hold/);
    const keep = new Uint8Array(table.rows).fill(1);
    keep[2] = 0;
    const blanked = decodeAlleleTable(encodeAlleleTable(keepAlleles(table, keep)));
    assert.ok(isRemovedAllele(blanked, 2) && !isRemovedAllele(blanked, 1));
    assert.throws(() => joinCalls(decoded, blanked), /does not hold/);
    assert.throws(() => joinCalls(decoded, { ...table, chrom: 'chr8' }), /allele table of chr8/);
  });

  it('blanking an allele leaves none of its text behind', () => {
    const table = fc.sample(alleleTable.filter((t) => t.rows >= 2), { numRuns: 1, seed: 11 })[0]!;
    const unique = { ...table, text: { ...table.text, ref: codeText(Array.from({ length: table.rows }, (_, i) => `MARKER${i}REF`), table.rows) } };
    const keep = new Uint8Array(table.rows).fill(1);
    keep[0] = 0;
    const bytes = Buffer.from(encodeAlleleTable(keepAlleles(unique, keep)));
    const decoded = decodeAlleleTable(bytes);
    assert.ok(!decoded.text.ref.values.includes('MARKER0REF'));
    assert.ok(decoded.text.ref.values.includes('MARKER1REF'));
  });

  it('refuses corrupt or foreign bytes with a typed error', () => {
    const calls: SampleCalls = { chrom: 'chr1', rows: 2, allele: Uint32Array.of(0, 1), zygosity: Uint8Array.of(1, 2), phased: Uint8Array.of(0, 1), dp: Int32Array.of(3, -1), gq: Int32Array.of(7, 99), gt: Int32Array.of(0, 0), adRef: Int32Array.of(-1, -1), adAlt: Int32Array.of(-1, -1), adOther: Int32Array.of(-1, -1) };
    const bytes = Buffer.from(encodeCalls(calls, 2));
    assert.throws(() => decodeCalls(Buffer.from('GVP3 nothing')), PartitionCodecError);
    assert.throws(() => decodeCalls(bytes.subarray(0, bytes.length - 5)), PartitionCodecError);
    assert.throws(() => decodeAlleleTable(bytes), PartitionCodecError);
  });
});
