// BGZF as the SAM/BAM specification defines it: gzip members of at most 64 KiB, each with a
// 'BC' extra field giving its size, closed by the fixed 28-byte EOF block.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { BGZF_EOF, createBgzfStream } from '../../../vault/demo/synthetic/index.ts';

async function bgzf(chunks: Buffer[]): Promise<Buffer> {
  const out: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      out.push(chunk);
      done();
    },
  });
  await pipeline(Readable.from(chunks), createBgzfStream(), sink);
  return Buffer.concat(out);
}

/** Walks the blocks by their BSIZE fields, checking each header and its own CRC and length. */
function blocksOf(file: Buffer): { size: number; data: Buffer }[] {
  const blocks: { size: number; data: Buffer }[] = [];
  let at = 0;
  while (at < file.length) {
    assert.deepEqual([...file.subarray(at, at + 4)], [0x1f, 0x8b, 8, 4], `gzip magic, deflate, FEXTRA at ${at}`);
    assert.equal(file.readUInt16LE(at + 10), 6, 'XLEN');
    assert.deepEqual([...file.subarray(at + 12, at + 16)], [0x42, 0x43, 2, 0], "'BC' subfield of length 2");
    const size = file.readUInt16LE(at + 16) + 1;
    assert.ok(size <= 65536 && at + size <= file.length, `block at ${at} of ${size} bytes`);
    const block = file.subarray(at, at + size);
    const data = gunzipSync(block); // checks the member's CRC32 and ISIZE
    assert.equal(block.readUInt32LE(size - 4), data.length);
    assert.ok(data.length <= 0xff00);
    blocks.push({ size, data });
    at += size;
  }
  return blocks;
}

describe('createBgzfStream', function () {
  it('cuts text into valid blocks that concatenate back to the input, ending with the EOF block', async function () {
    const text = Buffer.from('chr1\t12345\t.\tA\tG\t50\tPASS\tAC=1\tGT\t0/1\n'.repeat(20_000));
    const file = await bgzf([text.subarray(0, 1), text.subarray(1, 70_000), text.subarray(70_000)]);
    const blocks = blocksOf(file);
    assert.ok(blocks.length > 10);
    assert.ok(file.subarray(-28).equals(BGZF_EOF));
    assert.equal(blocks[blocks.length - 1]!.data.length, 0);
    assert.ok(Buffer.concat(blocks.map((b) => b.data)).equals(text));
    assert.ok(gunzipSync(file).equals(text), 'an ordinary gzip reader reads it too');
  });

  it('stores incompressible data without exceeding the 64 KiB block limit', async function () {
    const noise = randomBytes(300_000);
    const file = await bgzf([noise]);
    const blocks = blocksOf(file);
    assert.ok(blocks.every((b) => b.size <= 65536));
    assert.ok(Buffer.concat(blocks.map((b) => b.data)).equals(noise));
  });

  it('writes only the EOF block for empty input', async function () {
    assert.ok((await bgzf([])).equals(BGZF_EOF));
  });

  it('round-trips any bytes in any chunking', async function () {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 90_000 }), { maxLength: 6 }), async (parts) => {
        const input = Buffer.concat(parts.map((p) => Buffer.from(p)));
        const file = await bgzf(parts.map((p) => Buffer.from(p)));
        assert.ok(Buffer.concat(blocksOf(file).map((b) => b.data)).equals(input));
        assert.ok(file.subarray(-28).equals(BGZF_EOF));
      }),
      { numRuns: 25 },
    );
  });
});
