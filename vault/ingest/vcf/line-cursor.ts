// Where the parser is inside the current line, so any check can fail with an exact line and column.
import { VcfProblemError, locatedWarning } from './vcf-format-error.ts';

const decoder = new TextDecoder('utf-8');

export class LineCursor {
  buf: Uint8Array = new Uint8Array(0);
  lineStart = 0;
  lineNo = 0;
  /** findings accepted in default (non-strict) mode, at most one per kind */
  readonly warnings: string[] = [];
  private readonly warned = new Set<string>();

  constructor(readonly strict = true) {}

  /**
   * A rule that real files commonly break: strict mode fails, default mode records one warning per kind.
   * `kind` groups repeats; `reason` says why it is accepted.
   */
  lenient(kind: string, offset: number, message: string, reason: string): void {
    if (this.strict) this.failAt(offset, message);
    if (this.warned.has(kind)) return;
    this.warned.add(kind);
    this.warnings.push(locatedWarning(this.lineNo, this.columnAt(offset), `${message} (accepted: ${reason})`));
  }

  /** Fails at a byte offset of the current line. */
  failAt(offset: number, message: string): never {
    throw new VcfProblemError({ line: this.lineNo, column: this.columnAt(offset), message });
  }

  /** The 1-based column of a byte offset in the current line, counting characters, not bytes. */
  columnAt(offset: number): number {
    return decoder.decode(this.buf.subarray(this.lineStart, Math.max(this.lineStart, offset))).length + 1;
  }

  /** The bytes as text, for messages and kept values. */
  text(start: number, end: number): string {
    return this.view.toString('utf8', start, end);
  }

  /** A Buffer over the same bytes: its toString is much faster than TextDecoder for short fields. */
  private view: Buffer = Buffer.alloc(0);

  setBuffer(buf: Uint8Array): void {
    this.buf = buf;
    this.view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** The bytes as text when they are known to be ASCII (fast path for short fields). */
  ascii(start: number, end: number): string {
    return this.view.toString('latin1', start, end);
  }
}

/** A field for an error message: the offending token only, cut short. */
export function shown(text: string): string {
  return `'${text.length > 40 ? `${text.slice(0, 40)}...` : text}'`;
}
