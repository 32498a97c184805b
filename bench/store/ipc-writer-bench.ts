// Calls partitions to Arrow IPC: the direct byte-column writer (vault/store/byte-columns-ipc.ts)
// against apache-arrow's tableToIPC on the same columns, per partition of an exome-size sample's
// chromosome (~1,700 calls). The writer exists because of this figure: ingest encodes one such
// partition per sample and chromosome (4,700 for the bench's 200-sample file).
import { Field, RecordBatch, Schema, Struct, Table, Uint8, makeData, tableToIPC, type Data } from 'apache-arrow';
import { figure, median, type Figure } from '../figure.ts';
import { byteColumnsIpc, type ByteColumn } from '../../vault/store/byte-columns-ipc.ts';
import { narrowColumn, shiftedUp } from '../../vault/store/arrow-columns.ts';
import { zigzagDeltas } from '../../vault/store/byte-planes.ts';

/** The same stream through apache-arrow's writer: the library baseline. */
export function arrowLibraryIpc(columns: readonly ByteColumn[], rows: number, metadata: Map<string, string>): Uint8Array {
  const bytes = (values: Uint8Array): Data => makeData({ type: new Uint8(), length: rows, nullCount: 0, data: values });
  const data = columns.map((c) => {
    if (!c.struct) return bytes(c.planes[0]!);
    const fields = c.planes.map((_, i) => new Field(`b${i}`, new Uint8(), false));
    return makeData({ type: new Struct(fields), length: rows, nullCount: 0, children: c.planes.map(bytes) });
  });
  const fields = columns.map((c, i) => new Field(c.name, data[i]!.type, false));
  const struct = makeData({ type: new Struct(fields), length: rows, nullCount: 0, children: data });
  return tableToIPC(new Table([new RecordBatch(new Schema(fields, metadata), struct)]), 'stream');
}

/** Columns shaped like one sample's calls on one chromosome (deterministic). */
export function callsLikeColumns(rows: number, seed: number): ByteColumn[] {
  let state = seed >>> 0 || 1;
  const next = (limit: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state % limit;
  };
  let row = 0;
  const allele = Int32Array.from({ length: rows }, () => (row += 1 + next(9)));
  return [
    narrowColumn('allele', zigzagDeltas(allele)),
    { name: 'zygosity', planes: [Uint8Array.from({ length: rows }, () => 1 + next(2))], struct: false },
    { name: 'phased', planes: [Uint8Array.from({ length: rows }, () => next(2))], struct: false },
    narrowColumn('dp', shiftedUp(Int32Array.from({ length: rows }, () => next(400)))),
    narrowColumn('gq', shiftedUp(Int32Array.from({ length: rows }, () => next(99)))),
    narrowColumn('gt', Uint32Array.from({ length: rows }, () => next(4))),
  ];
}

export function benchCallsIpc(smoke: boolean): Figure {
  const rows = 1700;
  const partitions = smoke ? 200 : 2000;
  const inputs = Array.from({ length: 50 }, (_, i) => callsLikeColumns(rows, i + 1));
  const metadata = new Map([['format', 'genovault-calls/3'], ['chrom', 'chr17'], ['allele_rows', '9000']]);
  const perPartitionUs = (write: (c: ByteColumn[]) => Uint8Array): number => {
    const runs: number[] = [];
    for (let r = 0; r < 5; r++) {
      const start = performance.now();
      for (let i = 0; i < partitions; i++) write(inputs[i % inputs.length]!);
      runs.push(((performance.now() - start) * 1000) / partitions);
    }
    return median(runs);
  };
  const direct = (c: ByteColumn[]) => byteColumnsIpc(c, rows, metadata);
  const library = (c: ByteColumn[]) => arrowLibraryIpc(c, rows, metadata);
  direct(inputs[0]!);
  library(inputs[0]!);
  const ours = perPartitionUs(direct);
  const theirs = perPartitionUs(library);
  return figure({
    section: 'load', name: 'calls partition to Arrow IPC (1,700 rows, 6 byte columns)', value: ours, unit: 'µs', baseline: theirs,
    baselineName: 'apache-arrow tableToIPC, same columns', note: `median of 5 runs of ${partitions} partitions; both streams read back the same in apache-arrow (test/vault/store/byte-columns-ipc.test.ts)`,
  });
}
