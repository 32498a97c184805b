// The one error type a malformed VCF produces: where (file base name, line, column) and what.
// The message carries at most the offending token, never other sample or variant content.
import { basename } from 'node:path';

export interface VcfErrorPosition {
  /** 1-based line number in the decompressed text */
  line: number;
  /** 1-based character column where the bad field starts */
  column: number;
}

export class VcfFormatError extends Error {
  readonly code = 'VCF_FORMAT';
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** the problem alone, without the file:line:column prefix */
  readonly problem: string;
  /** what the reader had accepted with a warning before it stopped here (file:line:column: what) */
  warnings: string[] = [];
  /** further errors after this one, `file:line:column: what` (only when every error was asked for) */
  more: string[] = [];

  constructor(file: string, position: VcfErrorPosition, problem: string) {
    const name = basename(file);
    super(`${name}:${position.line}:${position.column}: ${problem}`);
    this.name = 'VcfFormatError';
    this.file = name;
    this.line = position.line;
    this.column = position.column;
    this.problem = problem;
  }
}

/** A problem found while parsing, before the file name is attached (workers do not know it). */
export interface VcfProblem extends VcfErrorPosition {
  message: string;
}

/** Thrown inside the parsers; read-vcf turns it into a VcfFormatError with the file name. */
export class VcfProblemError extends Error {
  constructor(readonly problem: VcfProblem) {
    super(problem.message);
    this.name = 'VcfProblemError';
  }
}

/**
 * A finding accepted with a warning, as `line:column: what`; the reader puts the file's base name in
 * front, so every warning reads `file:line:column: what` like an error does.
 */
export function locatedWarning(line: number, column: number, message: string): string {
  return `${line}:${column}: ${message}`;
}

export function fail(line: number, column: number, message: string): never {
  throw new VcfProblemError({ line, column, message });
}

/** Quote a token for an error message, cut short so a long field never floods the message. */
export function token(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}...` : text;
  return `'${shown}'`;
}
