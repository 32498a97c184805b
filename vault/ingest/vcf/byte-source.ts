// Streams a VCF's text as Buffers whatever its compression: plain, gzip or BGZF (a BGZF file is a
// series of gzip members; multi-member gzip is handled the same way). Detected by magic bytes only.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export type Compression = 'none' | 'gzip' | 'bgzf';

export async function detectCompression(path: string): Promise<Compression> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(16);
    const { bytesRead } = await handle.read(head, 0, 16, 0);
    if (bytesRead < 2 || head[0] !== 0x1f || head[1] !== 0x8b) return 'none';
    // BGZF: FEXTRA set with a 'BC' subfield
    const bgzf = bytesRead >= 14 && ((head[3] ?? 0) & 4) !== 0 && head[12] === 66 && head[13] === 67;
    return bgzf ? 'bgzf' : 'gzip';
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

export async function openText(path: string): Promise<TextSource> {
  const compression = await detectCompression(path);
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  let fileBytes = 0;
  const hash = createHash('sha256');
  file.on('data', (chunk: Buffer | string) => {
    fileBytes += chunk.length;
    hash.update(chunk);
  });
  let text: Readable = file;
  if (compression !== 'none') {
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    file.on('error', (err) => gunzip.destroy(err));
    text = file.pipe(gunzip);
  }
  return {
    compression,
    chunks: text as AsyncIterable<Buffer>,
    fileBytes: () => fileBytes,
    sha256: () => hash.copy().digest('hex'),
    destroy: () => {
      text.destroy();
      file.destroy();
    },
  };
}
