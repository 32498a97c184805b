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
      const joined = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, size);
      parts.length = 0;
      size = 0;
      const rest = yield* wholeLines(joined);
      if (rest.length > 0) {
        parts.push(rest);
        size = rest.length;
      }
    }
    if (size === 0) return;
    let buf = Buffer.concat(parts, size);
    if (buf[buf.length - 1] !== 10) {
      missingNewline = nextLine + countNewlines(buf);
      buf = Buffer.concat([buf, Buffer.from('\n')]);
    }
    yield* wholeLines(buf, true);
  }

  /**
   * Yields whole lines about chunkBytes at a time (one piece from the decompressor may hold several
   * chunks) and returns the unfinished tail; `final` text ends with a newline and is yielded whole.
   */
  function* wholeLines(joined: Buffer, final = false): Generator<BodyChunk, Buffer> {
    let rest = joined;
    while (rest.length >= chunkBytes || (final && rest.length > 0)) {
      let cut = rest.length <= chunkBytes && final ? rest.length : rest.lastIndexOf(10, chunkBytes - 1) + 1;
      if (cut === 0) cut = rest.indexOf(10, chunkBytes) + 1; // one line longer than a chunk: take it whole
      if (cut === 0) break; // no line end yet: wait for more text
      const buf = rest.subarray(0, cut);
      const chunk = { buf, firstLine: nextLine };
      nextLine += countNewlines(buf);
      yield chunk;
      rest = rest.subarray(cut);
    }
    return rest;
  }

  return { headerLines, chunks: chunks(), missingNewlineAt: () => missingNewline };
}
