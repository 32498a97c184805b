// readVcf: streams a VCF (plain, gzip or BGZF), validates all of it, and returns the non-reference
// calls of every sample as typed columns. Nothing is returned unless the whole file is valid, so
// ingest can write all or nothing.
import { availableParallelism } from 'node:os';
import { stat } from 'node:fs/promises';
import type { ParsedVcf } from '../call-columns.ts';
import { openText } from './byte-source.ts';
import { chunkText, type BodyChunk } from './line-chunker.ts';
import { parseHeader, isModern, type VcfHeader } from './vcf-header.ts';
import { ChunkParser } from './chunk-parser.ts';
import { SequenceChecker } from './sequence-checker.ts';
import { CallAssembler } from './call-assembler.ts';
import { WorkerPool } from './worker-pool.ts';
import { VcfFormatError, VcfProblemError, type VcfProblem } from './vcf-format-error.ts';
import type { ChunkResult } from './chunk-result.ts';

export { VcfFormatError } from './vcf-format-error.ts';
export { readTargetsBed } from './targets-bed.ts';

export interface ReadVcfOptions {
  /** parse threads; 0 parses on the calling thread. Default: one per core for files over 4 MiB, else 0 */
  workers?: number;
  onProgress?: (p: { bytes: number; records: number }) => void;
  /** refuse reserved INFO/FORMAT keys declared against the spec (default: accept with a warning) */
  strict?: boolean;
}

const CHUNK_BYTES = 4 << 20;
const SMALL_FILE = 4 << 20;

export async function readVcf(path: string, options: ReadVcfOptions = {}): Promise<ParsedVcf> {
  const workers = options.workers ?? ((await stat(path)).size > SMALL_FILE ? availableParallelism() : 0);
  const source = await openText(path);
  try {
    const text = await chunkText(source.chunks, CHUNK_BYTES);
    const header = withFile(path, () => parseHeader(text.headerLines, options.strict ?? false));
    const sequence = new SequenceChecker(isModern(header.version) || !header.strict);
    const assembler = new CallAssembler(header.samples);
    const warnings: string[] = [...header.warnings];
    let records = 0;
    const consume = (result: ChunkResult): void => {
      const problem = sequence.check(result) ?? result.error;
      if (problem) throw new VcfFormatError(path, problem, problem.message);
      assembler.add(result);
      records += result.records;
      warnings.push(...result.warnings);
      options.onProgress?.({ bytes: source.fileBytes(), records });
    };
    if (workers > 0) await parseInPool(header, text.chunks, workers, consume);
    else await parseHere(header, text.chunks, consume);
    const missingNewline = text.missingNewlineAt();
    if (missingNewline !== null) {
      const problem = 'the last line has no newline at its end';
      // The 4.3 conformance suite requires it; older files in the wild (and the 4.5 suite) omit it.
      const required = header.version.minor === 3 || (header.strict && header.version.minor < 3);
      if (required) throw new VcfFormatError(path, { line: missingNewline, column: 1 }, problem);
      warnings.push(`line ${missingNewline}: ${problem} (accepted for VCF ${header.fileformat})`);
    }
    warnings.push(...sequence.warnings);
    return {
      fileformat: header.fileformat,
      build: header.build,
      samples: assembler.finish(),
      records,
      bytesRead: source.fileBytes(),
      warnings: uniqueWarnings(warnings),
    };
  } finally {
    source.destroy();
  }
}

/** Workers each report their own first finding of a kind; keep one per distinct message. */
function uniqueWarnings(warnings: string[]): string[] {
  const seen = new Set<string>();
  return warnings.filter((w) => {
    const key = w.replace(/^line \d+: /, '');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function withFile<T>(path: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof VcfProblemError) throw toFormatError(path, err.problem);
    throw err;
  }
}

function toFormatError(path: string, problem: VcfProblem): VcfFormatError {
  return new VcfFormatError(path, problem, problem.message);
}

async function parseHere(header: VcfHeader, chunks: AsyncIterable<BodyChunk>, consume: (r: ChunkResult) => void): Promise<void> {
  const parser = new ChunkParser(header);
  for await (const chunk of chunks) consume(parser.parse(chunk.buf, chunk.firstLine));
}

/** Keeps up to two chunks per worker in flight and consumes results strictly in file order. */
async function parseInPool(header: VcfHeader, chunks: AsyncIterable<BodyChunk>, size: number, consume: (r: ChunkResult) => void): Promise<void> {
  const pool = new WorkerPool(header, size);
  const inFlight: Promise<ChunkResult>[] = [];
  try {
    for await (const chunk of chunks) {
      const next = pool.parse(chunk.buf, chunk.firstLine);
      next.catch(() => undefined); // observed below, in order
      inFlight.push(next);
      if (inFlight.length >= size * 2) consume(await (inFlight.shift() as Promise<ChunkResult>));
    }
    while (inFlight.length > 0) consume(await (inFlight.shift() as Promise<ChunkResult>));
  } finally {
    await pool.close();
  }
}
