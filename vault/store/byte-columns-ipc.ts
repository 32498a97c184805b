// Writes an Arrow IPC stream (format V5) of byte columns directly: each column is one Uint8 array,
// or a Struct of Uint8 byte planes (b0, b1[, b2, b3]) as narrowColumn makes them, none nullable,
// with schema metadata. This is the shape of every calls partition; apache-arrow reads the
// stream back (decodeCalls). apache-arrow's tableToIPC builds the same stream through generic
// visitors at ~85–120 µs per partition, most of the encode cost of an ingest (4,700 partitions
// per 200-sample file); this writer takes ~11–16 µs (the bench's `load` section).
// The messages are flatbuffers, built with the flatbuffers library apache-arrow itself uses,
// following Arrow's Schema.fbs and Message.fbs.
import { Builder, type Offset } from 'flatbuffers';

/** One column: a single byte array (Uint8), or byte planes (a Struct of Uint8 children b0, b1, ...). */
export interface ByteColumn {
  name: string;
  planes: readonly Uint8Array[];
  /** true for a Struct of planes, even of one plane */
  struct: boolean;
}

const METADATA_V5 = 4;
const HEADER_SCHEMA = 1;
const HEADER_RECORD_BATCH = 3;
const TYPE_INT = 2;
const TYPE_STRUCT = 13;
const CONTINUATION = 0xffffffff;
const PLANE_NAMES = ['b0', 'b1', 'b2', 'b3'];

/** The IPC stream: schema message, one record batch of `rows` rows, end-of-stream marker. */
export function byteColumnsIpc(columns: readonly ByteColumn[], rows: number, metadata: ReadonlyMap<string, string>): Uint8Array {
  for (const c of columns) {
    if (c.planes.length === 0 || (!c.struct && c.planes.length !== 1) || c.planes.length > PLANE_NAMES.length) throw new RangeError(`column ${c.name}: ${c.planes.length} planes`);
    for (const p of c.planes) if (p.length !== rows) throw new RangeError(`column ${c.name}: ${p.length} values, expected ${rows}`);
  }
  const schema = cachedSchema(columns, metadata);
  const { message, body, bodyLength } = recordBatchMessage(columns, rows);
  const total = framedLength(schema) + framedLength(message) + bodyLength + 8;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = writeFramed(out, view, 0, schema);
  at = writeFramed(out, view, at, message);
  for (const { offset, bytes } of body) out.set(bytes, at + offset);
  at += bodyLength;
  view.setUint32(at, CONTINUATION, true);
  view.setUint32(at + 4, 0, true);
  return out;
}

/** Continuation marker, metadata length, flatbuffer padded so the message ends on 8 bytes. */
function framedLength(flatbuffer: Uint8Array): number {
  return 8 + pad8(flatbuffer.length);
}

function writeFramed(out: Uint8Array, view: DataView, at: number, flatbuffer: Uint8Array): number {
  view.setUint32(at, CONTINUATION, true);
  view.setInt32(at + 4, pad8(flatbuffer.length), true);
  out.set(flatbuffer, at + 8);
  return at + framedLength(flatbuffer);
}

function pad8(n: number): number {
  return (n + 7) & ~7;
}

/**
 * Schema messages by shape and metadata: a chromosome's partitions share their metadata and
 * mostly their column widths, so most partitions reuse one (building it was ~40% of the writer).
 */
const schemas = new Map<string, Uint8Array>();
const SCHEMA_CACHE_LIMIT = 256;

function cachedSchema(columns: readonly ByteColumn[], metadata: ReadonlyMap<string, string>): Uint8Array {
  const key = JSON.stringify([columns.map((c) => [c.name, c.struct ? c.planes.length : 0]), [...metadata]]);
  let schema = schemas.get(key);
  if (schema === undefined) {
    schema = schemaMessage(columns, metadata);
    if (schemas.size >= SCHEMA_CACHE_LIMIT) schemas.clear();
    schemas.set(key, schema);
  }
  return schema;
}

function schemaMessage(columns: readonly ByteColumn[], metadata: ReadonlyMap<string, string>): Uint8Array {
  const b = new Builder(256 + 64 * columns.length);
  const fields = columns.map((c) => (c.struct ? structField(b, c.name, c.planes.length) : uint8Field(b, c.name)));
  const fieldVector = offsetVector(b, fields);
  const pairs = [...metadata].map(([key, value]) => {
    const k = b.createString(key);
    const v = b.createString(value);
    b.startObject(2);
    b.addFieldOffset(0, k, 0);
    b.addFieldOffset(1, v, 0);
    return b.endObject();
  });
  const metadataVector = offsetVector(b, pairs);
  b.startObject(4); // Schema: endianness (Little, the default), fields, custom_metadata, features
  b.addFieldOffset(1, fieldVector, 0);
  b.addFieldOffset(2, metadataVector, 0);
  const schema = b.endObject();
  return finishMessage(b, HEADER_SCHEMA, schema, 0);
}

function uint8Field(b: Builder, name: string): Offset {
  const nameOffset = b.createString(name);
  b.startObject(2); // Int: bitWidth, is_signed (false, the default)
  b.addFieldInt32(0, 8, 0);
  const type = b.endObject();
  const children = offsetVector(b, []);
  return field(b, nameOffset, TYPE_INT, type, children);
}

function structField(b: Builder, name: string, planes: number): Offset {
  const children = PLANE_NAMES.slice(0, planes).map((plane) => uint8Field(b, plane));
  const childVector = offsetVector(b, children);
  const nameOffset = b.createString(name);
  b.startObject(0); // Struct_ has no fields
  const type = b.endObject();
  return field(b, nameOffset, TYPE_STRUCT, type, childVector);
}

function field(b: Builder, name: Offset, typeType: number, type: Offset, children: Offset): Offset {
  b.startObject(7); // Field: name, nullable (false), type_type, type, dictionary, children, custom_metadata
  b.addFieldOffset(0, name, 0);
  b.addFieldInt8(2, typeType, 0);
  b.addFieldOffset(3, type, 0);
  b.addFieldOffset(5, children, 0);
  return b.endObject();
}

function recordBatchMessage(columns: readonly ByteColumn[], rows: number): { message: Uint8Array; body: { offset: number; bytes: Uint8Array }[]; bodyLength: number } {
  // depth-first: a struct's node and validity buffer, then each plane's node, validity and data
  const nodes: number[] = [];
  const buffers: [number, number][] = [];
  const body: { offset: number; bytes: Uint8Array }[] = [];
  let bodyLength = 0;
  const data = (bytes: Uint8Array) => {
    buffers.push([0, 0]); // no validity bitmap: nothing is null
    buffers.push([bodyLength, bytes.length]);
    body.push({ offset: bodyLength, bytes });
    bodyLength += pad8(bytes.length);
  };
  for (const c of columns) {
    if (c.struct) {
      nodes.push(rows);
      buffers.push([0, 0]);
    }
    for (const plane of c.planes) {
      nodes.push(rows);
      data(plane);
    }
  }
  const b = new Builder(128 + 16 * (nodes.length + buffers.length));
  b.startVector(16, buffers.length, 8);
  for (let i = buffers.length - 1; i >= 0; i--) {
    const [offset, length] = buffers[i]!;
    b.prep(8, 16);
    b.writeInt64(BigInt(length));
    b.writeInt64(BigInt(offset));
  }
  const bufferVector = b.endVector();
  b.startVector(16, nodes.length, 8);
  for (let i = nodes.length - 1; i >= 0; i--) {
    b.prep(8, 16);
    b.writeInt64(0n); // null_count
    b.writeInt64(BigInt(nodes[i]!));
  }
  const nodeVector = b.endVector();
  b.startObject(5); // RecordBatch: length, nodes, buffers, compression, variadicBufferCounts
  b.addFieldInt64(0, BigInt(rows), 0n);
  b.addFieldOffset(1, nodeVector, 0);
  b.addFieldOffset(2, bufferVector, 0);
  const batch = b.endObject();
  return { message: finishMessage(b, HEADER_RECORD_BATCH, batch, bodyLength), body, bodyLength };
}

function finishMessage(b: Builder, headerType: number, header: Offset, bodyLength: number): Uint8Array {
  b.startObject(5); // Message: version, header_type, header, bodyLength, custom_metadata
  b.addFieldInt16(0, METADATA_V5, 0);
  b.addFieldInt8(1, headerType, 0);
  b.addFieldOffset(2, header, 0);
  b.addFieldInt64(3, BigInt(bodyLength), 0n);
  b.finish(b.endObject());
  return b.asUint8Array();
}

function offsetVector(b: Builder, offsets: readonly Offset[]): Offset {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]!);
  return b.endVector();
}
