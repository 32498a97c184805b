// Cuts decompressed text into the header lines and then into chunks of whole body lines, each
// carrying its first line number so errors found in parallel stay exact.

export interface BodyChunk {
  buf: Buffer;
  firstLine: number;
}

export interface ChunkedText {
  headerLines: string[];
  chunks: AsyncGenerator<BodyChunk>;
  /** the line number of a last line with no newline after it, once the text is exhausted */
  missingNewlineAt: () => number | null;
}

function countNewlines(buf: Buffer): number {
  let count = 0;
  let at = buf.indexOf(10);
  while (at >= 0) {
    count++;
    at = buf.indexOf(10, at + 1);
  }
  return count;
}

export async function chunkText(source: AsyncIterable<Buffer>, chunkBytes: number): Promise<ChunkedText> {
  const iterator = source[Symbol.asyncIterator]();
  const headerLines: string[] = [];
  let pending: Buffer = Buffer.alloc(0);
  let missingNewline: number | null = null;
  let exhausted = false;

  // Header: every line up to and including the first one that does not start with '##'.
  for (;;) {
    const nl = pending.indexOf(10);
    if (nl >= 0) {
      const end = nl > 0 && pending[nl - 1] === 13 ? nl - 1 : nl;
      const line = pending.toString('utf8', 0, end);
      pending = pending.subarray(nl + 1);
      headerLines.push(line);
      if (!line.startsWith('##')) break;
      continue;
    }
    const next = await iterator.next();
    if (next.done) {
      exhausted = true;
      if (pending.length > 0) {
        headerLines.push(pending.toString('utf8'));
        missingNewline = headerLines.length;
        pending = Buffer.alloc(0);
      }
      break;
    }
    pending = pending.length === 0 ? next.value : Buffer.concat([pending, next.value]);
  }

  let nextLine = headerLines.length + 1;
  async function* chunks(): AsyncGenerator<BodyChunk> {
    const parts: Buffer[] = pending.length > 0 ? [pending] : [];
    let size = pending.length;
    while (!exhausted) {
      const next = await iterator.next();
      if (next.done) break;
      parts.push(next.value);
      size += next.value.length;
      if (size < chunkBytes) continue;
      const joined = Buffer.concat(parts, size);
      const cut = joined.lastIndexOf(10) + 1;
      parts.length = 0;
      size = 0;
      if (cut < joined.length) {
        parts.push(joined.subarray(cut));
        size = joined.length - cut;
      }
      if (cut === 0) continue;
      const buf = joined.subarray(0, cut);
      const chunk = { buf, firstLine: nextLine };
      nextLine += countNewlines(buf);
      yield chunk;
    }
    if (size === 0) return;
    let buf = Buffer.concat(parts, size);
    const lines = countNewlines(buf);
    if (buf[buf.length - 1] !== 10) {
      missingNewline = nextLine + lines;
      buf = Buffer.concat([buf, Buffer.from('\n')]);
    }
    yield { buf, firstLine: nextLine };
  }

  return { headerLines, chunks: chunks(), missingNewlineAt: () => missingNewline };
}
