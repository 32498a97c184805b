import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { chunkText } from '../../../../vault/ingest/vcf/line-chunker.ts';

async function* pieces(text: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  await Promise.resolve(); // the chunker reads a stream: give it an async source
  let at = 0;
  for (let i = 0; at < text.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length] ?? 1);
    yield text.subarray(at, at + size);
    at += size;
  }
}

describe('line chunker', () => {
  it('cuts any body into whole lines of about chunkBytes, numbering each chunk by its first line (property)', async () => {
    const line = fc.stringMatching(/^[ACGT\t.0-9]{0,40}$/);
    await fc.assert(fc.asyncProperty(
      fc.array(line, { minLength: 1, maxLength: 60 }), fc.boolean(), fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 200 }),
      async (lines, endsWithNewline, sizes, chunkBytes) => {
        const body = lines.join('\n') + (endsWithNewline ? '\n' : '');
        const text = Buffer.from(`##fileformat=VCFv4.2\n#CHROM\tPOS\n${body}`);
        const chunked = await chunkText(pieces(text, sizes), chunkBytes);
        assert.deepEqual(chunked.headerLines, ['##fileformat=VCFv4.2', '#CHROM\tPOS']);
        let joined = '';
        let expectedLine = 3;
        for await (const chunk of chunked.chunks) {
          const s = chunk.buf.toString();
          assert.ok(s.endsWith('\n'), 'a chunk holds whole lines');
          assert.equal(chunk.firstLine, expectedLine);
          const count = s.split('\n').length - 1;
          if (count > 1) assert.ok(chunk.buf.length <= chunkBytes, `a chunk of ${count} lines stays within ${chunkBytes} bytes`);
          expectedLine += count;
          joined += s;
        }
        const complete = body.length === 0 || body.endsWith('\n');
        assert.equal(joined, complete ? body : `${body}\n`);
        assert.equal(chunked.missingNewlineAt(), complete ? null : 2 + body.split('\n').length);
      },
    ), { numRuns: 300 });
  });
});
