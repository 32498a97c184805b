// Streams a VCF's text as Buffers whatever its compression: plain, gzip or BGZF (a BGZF file is a
// series of gzip members; multi-member gzip is handled the same way). Detected by magic bytes only.
// The VCF is a file, or a stream (an upload) read as it arrives, never held whole.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';

export type Compression = 'none' | 'gzip' | 'bgzf';

export async function detectCompression(path: string): Promise<Compression> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(16);
    const { bytesRead } = await handle.read(head, 0, 16, 0);
    return compressionOf(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

export interface TextSource {
  compression: Compression;
  /** decompressed text in pieces */
  chunks: AsyncIterable<Buffer>;
  /** bytes read from the file so far */
  fileBytes: () => number;
  /** SHA-256 of the file's bytes, once it has been read to the end */
  sha256: () => string;
  destroy: () => void;
}

/** A VCF arriving as a stream: a name for messages (file:line:column), its bytes, and its size when declared. */
export interface VcfStream {
  name: string;
  bytes: AsyncIterable<Buffer>;
  sizeHint?: number;
}

export type VcfSource = string | VcfStream;

export const sourceName = (source: VcfSource): string => (typeof source === 'string' ? source : source.name);

function compressionOf(head: Buffer): Compression {
  if (head.length < 2 || head[0] !== 0x1f || head[1] !== 0x8b) return 'none';
  // BGZF: FEXTRA set with a 'BC' subfield
  const bgzf = head.length >= 14 && ((head[3] ?? 0) & 4) !== 0 && head[12] === 66 && head[13] === 67;
  return bgzf ? 'bgzf' : 'gzip';
}

export async function openText(source: VcfSource): Promise<TextSource> {
  if (typeof source !== 'string') return openStream(source);
  const compression = await detectCompression(source);
  return textOf(createReadStream(source, { highWaterMark: 1 << 20 }), compression, () => undefined);
}

/** The text of `raw` (counted and hashed as it is read), inflated when compressed. */
function textOf(raw: Readable, compression: Compression, onDestroy: () => void): TextSource {
  let fileBytes = 0;
  const hash = createHash('sha256');
  raw.on('data', (chunk: Buffer | string) => {
    fileBytes += chunk.length;
    hash.update(chunk);
  });
  let text: Readable = raw;
  if (compression !== 'none') {
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    raw.on('error', (err) => gunzip.destroy(err));
    text = raw.pipe(gunzip);
  }
  return {
    compression,
    chunks: text as AsyncIterable<Buffer>,
    fileBytes: () => fileBytes,
    sha256: () => hash.copy().digest('hex'),
    destroy: () => {
      text.destroy();
      raw.destroy();
      onDestroy();
    },
  };
}

/** As openText, for a stream: the magic bytes are read from its first pieces, which are then passed on. */
async function openStream(source: VcfStream): Promise<TextSource> {
  const pieces = source.bytes[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < 16) {
    const next = await pieces.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    headBytes += next.value.length;
  }
  const raw = Readable.from((async function* () {
    yield* head;
    while (!ended) {
      const next = await pieces.next();
      if (next.done) return;
      yield next.value;
    }
  })(), { objectMode: false });
  return textOf(raw, compressionOf(Buffer.concat(head)), () => void pieces.return?.());
}
