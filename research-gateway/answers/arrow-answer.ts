// Answers as an Arrow IPC stream (Accept: application/vnd.apache.arrow.stream): the answer's rows
// as one table, and everything else the JSON answer says (project, precision, notes, budget,
// release manifest) as JSON in the schema's metadata under `genovault.answer`.
import { Field, Float64, Int32, List, RecordBatch, Schema, Struct, Table, Utf8, tableToIPC, vectorFromArray, type DataType, type Vector } from 'apache-arrow';
import type { CountBody } from './count-answer.ts';
import type { AggregateRow } from './aggregate-answer.ts';
import type { DeidentifiedRecord } from './records-answer.ts';

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';
export const ANSWER_METADATA_KEY = 'genovault.answer';

const text = () => new Utf8();
const int = () => new Int32();
const listOf = (type: DataType) => new List(new Field('item', type, true));
const VARIANT = new Struct([
  new Field('chrom', text(), false), new Field('pos', int(), false), new Field('ref', text(), false), new Field('alt', text(), false), new Field('zygosity', text(), false),
]);

function column<T>(rows: readonly T[], pick: (row: T) => unknown, type: DataType): Vector {
  return vectorFromArray(rows.map(pick), type);
}

export function countTable(body: CountBody): Table {
  const shown = [body];
  return new Table({
    /** null when below the threshold */
    count: column(shown, (b) => (typeof b.count === 'number' ? b.count : null), int()),
    shown: column(shown, (b) => String(b.count), text()),
    countPrecision: column(shown, (b) => b.countPrecision, text()),
  });
}

export function aggregateTable(rows: readonly AggregateRow[]): Table {
  return new Table({
    chrom: column(rows, (r) => r.chrom, text()),
    pos: column(rows, (r) => r.pos, int()),
    ref: column(rows, (r) => r.ref, text()),
    alt: column(rows, (r) => r.alt, text()),
    alleleCount: column(rows, (r) => r.alleleCount, int()),
    alleleCountPrecision: column(rows, (r) => r.alleleCountPrecision, text()),
    alleleNumber: column(rows, (r) => r.alleleNumber, int()),
    alleleNumberPrecision: column(rows, (r) => r.alleleNumberPrecision, text()),
    alleleFrequency: column(rows, (r) => r.alleleFrequency, new Float64()),
    alleleFrequencyPrecision: column(rows, (r) => r.alleleFrequencyPrecision, text()),
    /** null when withheld (carriersPrecision says so) */
    carriers: column(rows, (r) => r.carriers, int()),
    carriersPrecision: column(rows, (r) => r.carriersPrecision, text()),
  });
}

export function recordsTable(records: readonly DeidentifiedRecord[]): Table {
  return new Table({
    pseudonym: column(records, (r) => r.pseudonym, text()),
    sex: column(records, (r) => r.sex, text()),
    /** a year, or "90+" */
    birthYear: column(records, (r) => (r.birthYear === null ? null : String(r.birthYear)), text()),
    zip3: column(records, (r) => r.zip3, text()),
    conditions: column(records, (r) => r.conditions, listOf(text())),
    variants: column(records, (r) => r.variants, listOf(VARIANT)),
  });
}

/** The table as an IPC stream, with the rest of the answer in its schema metadata. */
export function arrowStream(table: Table, answer: Record<string, unknown>): Uint8Array {
  const schema = new Schema(table.schema.fields, new Map([[ANSWER_METADATA_KEY, JSON.stringify(answer)]]));
  return tableToIPC(new Table(schema, table.batches.map((batch) => new RecordBatch(schema, batch.data))), 'stream');
}
