// BGZF (the SAM/BAM specification's block gzip): a series of gzip members of at most 64 KiB,
// each with a 'BC' extra field giving its size, ending in a fixed 28-byte empty block. Any gzip
// reader can read it, and tabix/bcftools can index and seek in it. Blocks are compressed on
// libuv's thread pool, several at a time, and written in order.
import { Transform, type TransformCallback } from 'node:stream';
import { crc32, deflateRaw, constants } from 'node:zlib';
import { promisify } from 'node:util';

const deflateRawAsync = promisify(deflateRaw);

/** bgzip's uncompressed block size: leaves room for headers when data does not compress. */
export const BGZF_BLOCK_DATA = 0xff00;
const MAX_BLOCK = 0x10000;
const HEADER_BYTES = 18;
const FOOTER_BYTES = 8;

/** The end-of-file marker block, byte for byte as the specification gives it. */
export const BGZF_EOF = Buffer.from('1f8b08040000000000ff0600424302001b0003000000000000000000', 'hex');

/** One BGZF block holding `data` (at most BGZF_BLOCK_DATA bytes). */
export function bgzfBlock(data: Uint8Array, compressed: Uint8Array): Buffer {
  const size = HEADER_BYTES + compressed.length + FOOTER_BYTES;
  if (size > MAX_BLOCK) throw new RangeError(`BGZF block of ${size} bytes exceeds 64 KiB`);
  const block = Buffer.allocUnsafe(size);
  // gzip header: magic, deflate, FEXTRA, mtime 0, xfl 0, OS unknown, XLEN 6
  block.set([0x1f, 0x8b, 0x08, 0x04, 0, 0, 0, 0, 0, 0xff, 6, 0], 0);
  // extra subfield 'BC', length 2, total block size minus 1
  block.set([0x42, 0x43, 2, 0], 12);
  block.writeUInt16LE(size - 1, 16);
  block.set(compressed, HEADER_BYTES);
  block.writeUInt32LE(crc32(data), size - FOOTER_BYTES);
  block.writeUInt32LE(data.length, size - 4);
  return block;
}

async function compressBlock(data: Buffer, level: number): Promise<Buffer> {
  let compressed = await deflateRawAsync(data, { level });
  // incompressible data: store it, which always fits in one block
  if (HEADER_BYTES + compressed.length + FOOTER_BYTES > MAX_BLOCK) compressed = await deflateRawAsync(data, { level: 0 });
  return bgzfBlock(data, compressed);
}

export interface BgzfOptions {
  /** zlib level 0-9; 6 (bgzip's default) unless given */
  level?: number;
  /** blocks being compressed at once */
  concurrency?: number;
}

/** A stream that turns bytes into BGZF blocks and ends them with the EOF block. */
export function createBgzfStream(options: BgzfOptions = {}): Transform {
  const level = options.level ?? constants.Z_DEFAULT_COMPRESSION;
  const concurrency = options.concurrency ?? 4;
  const pending: Promise<Buffer>[] = [];
  let buffered: Buffer[] = [];
  let bufferedBytes = 0;

  const cut = (all: boolean): void => {
    let data = Buffer.concat(buffered, bufferedBytes);
    while (data.length >= BGZF_BLOCK_DATA || (all && data.length > 0)) {
      const block = compressBlock(data.subarray(0, BGZF_BLOCK_DATA), level);
      // awaited in order by drain; this only keeps a failure from being reported as unhandled first
      block.catch(() => undefined);
      pending.push(block);
      data = data.subarray(Math.min(BGZF_BLOCK_DATA, data.length));
    }
    buffered = data.length > 0 ? [data] : [];
    bufferedBytes = data.length;
  };

  const drain = async (stream: Transform, keep: number): Promise<void> => {
    while (pending.length > keep) stream.push(await (pending.shift() as Promise<Buffer>));
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      buffered.push(chunk);
      bufferedBytes += chunk.length;
      if (bufferedBytes >= BGZF_BLOCK_DATA) cut(false);
      drain(this, concurrency - 1).then(() => callback(), callback);
    },
    flush(callback: TransformCallback) {
      cut(true);
      drain(this, 0).then(() => {
        this.push(BGZF_EOF);
        callback();
      }, callback);
    },
  });
}
