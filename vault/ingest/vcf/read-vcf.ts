// streamVcf: streams a VCF (plain, gzip or BGZF), validates all of it, and hands each chunk's
// non-reference calls to a sink in file order; an error stops the stream, so ingest (which
// commits only after the last chunk) writes all or nothing. readVcf gathers the whole file.
import { availableParallelism } from 'node:os';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ParsedVcf } from '../call-columns.ts';
import { openText } from './byte-source.ts';
import { chunkText, type BodyChunk } from './line-chunker.ts';
import { parseHeader, isModern, type VcfHeader } from './vcf-header.ts';
import { ChunkParser, MAX_ERRORS } from './chunk-parser.ts';
import { SequenceChecker } from './sequence-checker.ts';
import { CallAssembler } from './call-assembler.ts';
import { WorkerPool } from './worker-pool.ts';
import { VcfFormatError, VcfProblemError, locatedWarning, type VcfProblem } from './vcf-format-error.ts';
import type { ChunkResult } from './chunk-result.ts';

export { VcfFormatError } from './vcf-format-error.ts';
export { readTargetsBed } from './targets-bed.ts';

export interface ReadVcfOptions {
  /** parse threads; 0 parses on the calling thread. Default: one per core for files over 4 MiB, else 0 */
  workers?: number;
  onProgress?: (p: { bytes: number; records: number }) => void;
  /** refuse reserved INFO/FORMAT keys declared against the spec (default: accept with a warning) */
  strict?: boolean;
  /** bytes of text per parse chunk (default 2 MiB); tests make it small to cross chunk boundaries */
  chunkBytes?: number;
  /**
   * report every error (up to 100) instead of stopping at the first: what `genovault validate` asks for.
   * The rejection is the first error, with the others in its `more`; the sink gets no chunk with an error.
   */
  allErrors?: boolean;
}

// 2 MiB chunks ran 2-5% faster than 4 MiB ones in interleaved runs on the bench file (8 MiB: slower; 1 MiB: slower)
const CHUNK_BYTES = 2 << 20;
const SMALL_FILE = 4 << 20;

/** The parse threads streamVcf uses for this file: `requested`, else one per core for files over 4 MiB, else 0. */
export async function parseWorkers(path: string, requested: number | undefined): Promise<number> {
  return requested ?? ((await stat(path)).size > SMALL_FILE ? availableParallelism() : 0);
}

/** Receives a VCF as it is read: the header first, then every chunk's result in file order. */
export interface VcfSink {
  begin(header: VcfHeader): void | Promise<void>;
  add(result: ChunkResult): void | Promise<void>;
}

/** What a whole read tells beside the calls. */
export interface VcfSummary {
  fileformat: string;
  build: string | null;
  records: number;
  bytesRead: number;
  /** SHA-256 of the file as read */
  sourceSha256: string;
  warnings: string[];
}

/**
 * Streams a VCF into `sink`, validating every line; rejects at the first error, after which
 * the sink must discard what it was given (ingest aborts its change).
 */
export async function streamVcf(path: string, sink: VcfSink, options: ReadVcfOptions = {}): Promise<VcfSummary> {
  const workers = await parseWorkers(path, options.workers);
  const source = await openText(path);
  try {
    const text = await chunkText(source.chunks, options.chunkBytes ?? CHUNK_BYTES);
    const errors: VcfProblem[] = [];
    const header = withFile(path, () => parseHeader(text.headerLines, options.strict ?? false, options.allErrors ? errors : undefined));
    const warnings: string[] = [...header.warnings];
    const located = (): string[] => uniqueWarnings(warnings).map((w) => `${basename(path)}:${w}`);
    const refuse = (problems: VcfProblem[]): VcfFormatError => {
      const sorted = [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
      const first = sorted[0]!;
      const error = new VcfFormatError(path, first, first.message);
      error.warnings = located();
      error.more = sorted.slice(1, MAX_ERRORS).map((p) => `${basename(path)}:${p.line}:${p.column}: ${p.message}`);
      return error;
    };
    // a header with errors is not read further: its declarations are what the body is checked against
    if (errors.length > 0) throw refuse(errors);
    header.keepGoing = options.allErrors ?? false;
    await sink.begin(header);
    const sequence = new SequenceChecker(isModern(header.version) || !header.strict);
    let records = 0;
    const consume = async (result: ChunkResult): Promise<void> => {
      warnings.push(...result.warnings);
      if (options.allErrors) {
        sequence.check(result, (problem) => errors.push(problem));
        if (result.error) errors.push(result.error, ...result.moreErrors);
        if (errors.length >= MAX_ERRORS) throw refuse(errors);
        if (errors.length > 0) return;
      } else {
        const problem = sequence.check(result) ?? result.error;
        if (problem) {
          warnings.push(...sequence.warnings);
          throw refuse([problem]);
        }
      }
      records += result.records;
      await sink.add(result);
      options.onProgress?.({ bytes: source.fileBytes(), records });
    };
    if (workers > 0) await parseInPool(header, text.chunks, workers, consume);
    else await parseHere(header, text.chunks, consume);
    const missingNewline = text.missingNewlineAt();
    if (missingNewline !== null) {
      const problem = 'the last line has no newline at its end';
      // The 4.3 conformance suite requires it; older files in the wild (and the 4.5 suite) omit it.
      const required = header.version.minor === 3 || (header.strict && header.version.minor < 3);
      if (required) errors.push({ line: missingNewline, column: 1, message: problem });
      else warnings.push(locatedWarning(missingNewline, 1, `${problem} (accepted for VCF ${header.fileformat})`));
    }
    warnings.push(...sequence.warnings);
    if (errors.length > 0) throw refuse(errors);
    return {
      fileformat: header.fileformat,
      build: header.build,
      records,
      bytesRead: source.fileBytes(),
      sourceSha256: source.sha256(),
      warnings: located(),
    };
  } finally {
    source.destroy();
  }
}

/** The whole file's non-reference calls as one CallBatch per sample and chromosome (tests, tools). */
export async function readVcf(path: string, options: ReadVcfOptions = {}): Promise<ParsedVcf> {
  let assembler: CallAssembler | null = null;
  const summary = await streamVcf(path, {
    begin: (header) => {
      assembler = new CallAssembler(header.samples);
    },
    add: (result) => assembler?.add(result),
  }, options);
  const samples = (assembler as CallAssembler | null)?.finish() ?? [];
  return { fileformat: summary.fileformat, build: summary.build, samples, records: summary.records, bytesRead: summary.bytesRead, warnings: summary.warnings };
}

/** Workers each report their own first finding of a kind; keep one per distinct message. */
function uniqueWarnings(warnings: string[]): string[] {
  const seen = new Set<string>();
  return warnings.filter((w) => {
    const key = w.replace(/^\d+:\d+: /, '');
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

type Consume = (r: ChunkResult) => Promise<void>;

async function parseHere(header: VcfHeader, chunks: AsyncIterable<BodyChunk>, consume: Consume): Promise<void> {
  const parser = new ChunkParser(header);
  for await (const chunk of chunks) await consume(parser.parse(chunk.buf, chunk.firstLine));
}

/** Chunks parsed ahead of the consumer, per worker: enough to keep workers busy while the consumer seals a chromosome. */
const AHEAD_PER_WORKER = 4;

/**
 * Feeds chunks to the workers and consumes results strictly in file order, in two loops that run
 * side by side: the feeder keeps up to AHEAD_PER_WORKER chunks per worker in flight while the
 * consumer (which may wait on disk writes) works through finished ones.
 */
async function parseInPool(header: VcfHeader, chunks: AsyncIterable<BodyChunk>, size: number, consume: Consume): Promise<void> {
  const pool = new WorkerPool(header, size);
  // workers take a few hundred ms to start: until one is ready, this thread parses the first chunks itself
  const starter = new ChunkParser(header);
  const limit = size * AHEAD_PER_WORKER;
  const inFlight: Promise<ChunkResult>[] = [];
  let fed = false;
  let stopped = false;
  let wakeFeeder: (() => void) | null = null;
  let wakeConsumer: (() => void) | null = null;
  const wake = (which: 'feeder' | 'consumer'): void => {
    const fn = which === 'feeder' ? wakeFeeder : wakeConsumer;
    if (which === 'feeder') wakeFeeder = null;
    else wakeConsumer = null;
    fn?.();
  };
  const feed = async (): Promise<void> => {
    try {
      for await (const chunk of chunks) {
        if (stopped) return;
        const next = pool.ready || pool.failed ? pool.parse(chunk.buf, chunk.firstLine) : Promise.resolve(starter.parse(chunk.buf, chunk.firstLine));
        next.catch(() => undefined); // observed by the consumer, in order
        inFlight.push(next);
        wake('consumer');
        while (inFlight.length >= limit && !stopped) await new Promise<void>((resolve) => (wakeFeeder = resolve));
      }
    } finally {
      fed = true;
      wake('consumer');
    }
  };
  const drain = async (): Promise<void> => {
    for (;;) {
      const next = inFlight.shift();
      if (next === undefined) {
        if (fed) return;
        await new Promise<void>((resolve) => (wakeConsumer = resolve));
        continue;
      }
      wake('feeder');
      await consume(await next);
    }
  };
  const feeding = feed();
  try {
    await drain();
    await feeding;
  } finally {
    stopped = true;
    wake('feeder');
    await feeding.catch(() => undefined);
    await pool.close();
  }
}
