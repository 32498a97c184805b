import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { tableFromIPC, type Table } from 'apache-arrow';
import { byteColumnsIpc, type ByteColumn } from '../../../vault/store/byte-columns-ipc.ts';
import { arrowLibraryIpc } from '../../../bench/store/ipc-writer-bench.ts';

/** 1-6 columns of one byte array or a struct of 1-4 byte planes, all of `rows` values. */
const columns = (rows: number): fc.Arbitrary<ByteColumn[]> => fc.uniqueArray(fc.string({ minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 6 }).chain((names) =>
  fc.tuple(...names.map((name) => fc.oneof(
    fc.uint8Array({ minLength: rows, maxLength: rows }).map((p) => ({ name, planes: [p], struct: false })),
    fc.array(fc.uint8Array({ minLength: rows, maxLength: rows }), { minLength: 1, maxLength: 4 }).map((planes) => ({ name, planes, struct: true })),
  ))));

const metadata = fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 20 })), { maxLength: 4 }).map((pairs) => new Map(pairs));

/** What a reader sees: schema (names, types, metadata) and every value (the library pads buffer lengths to 8 bytes, so only `rows` count). */
function seen(table: Table): unknown {
  const batch = table.batches[0];
  const values = (v: unknown) => Array.from((v as Uint8Array).subarray(0, table.numRows));
  return {
    rows: table.numRows,
    metadata: [...table.schema.metadata],
    fields: table.schema.fields.map((f) => [f.name, String(f.type), f.nullable]),
    values: batch ? batch.data.children.map((d) => (d.children.length > 0 ? d.children.map((c) => values(c.values)) : values(d.values))) : [],
  };
}

describe('byte columns to Arrow IPC, written directly', () => {
  it('reads back in apache-arrow exactly as the library writer\'s stream of the same columns (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 300 }).chain((rows) => fc.tuple(fc.constant(rows), columns(rows), metadata)), ([rows, cols, meta]) => {
      const ours = tableFromIPC(byteColumnsIpc(cols, rows, meta));
      const library = tableFromIPC(arrowLibraryIpc(cols, rows, meta));
      assert.deepEqual(seen(ours), seen(library));
      assert.equal(ours.numRows, rows);
      assert.deepEqual(ours.schema.fields.map((f) => f.name), cols.map((c) => c.name));
    }), { numRuns: 150 });
  });

  it('pads every buffer to 8 bytes and ends with the end-of-stream marker', () => {
    const bytes = byteColumnsIpc([{ name: 'a', planes: [Uint8Array.of(1, 2, 3)], struct: false }, { name: 'b', planes: [Uint8Array.of(4, 5, 6), Uint8Array.of(7, 8, 9)], struct: true }], 3, new Map([['k', 'v']]));
    assert.equal(bytes.length % 8, 0);
    assert.deepEqual(Array.from(bytes.subarray(bytes.length - 8)), [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
    const table = tableFromIPC(bytes);
    assert.deepEqual(seen(table), { rows: 3, metadata: [['k', 'v']], fields: [['a', 'Uint8', false], ['b', 'Struct<{b0:Uint8, b1:Uint8}>', false]], values: [[1, 2, 3], [[4, 5, 6], [7, 8, 9]]] });
  });

  it('refuses a column whose length or plane count does not fit', () => {
    assert.throws(() => byteColumnsIpc([{ name: 'a', planes: [Uint8Array.of(1, 2)], struct: false }], 3, new Map()), /2 values, expected 3/);
    assert.throws(() => byteColumnsIpc([{ name: 'a', planes: [Uint8Array.of(1), Uint8Array.of(2)], struct: false }], 1, new Map()), /2 planes/);
    assert.throws(() => byteColumnsIpc([{ name: 'a', planes: [], struct: true }], 0, new Map()), /0 planes/);
  });
});
