// A growable ASCII byte buffer. Records are written straight into bytes because building them
// as strings spent most of the generator's time in the garbage collector and in re-encoding.

export class ByteBuffer {
  private buf: Buffer;
  length = 0;

  constructor(initialCapacity = 1 << 16) {
    this.buf = Buffer.allocUnsafe(initialCapacity);
  }

  /** Makes room for `extra` more bytes. */
  reserve(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + extra));
    this.buf.copy(grown, 0, 0, this.length);
    this.buf = grown;
  }

  /** Appends an ASCII string. */
  ascii(text: string): void {
    this.reserve(text.length);
    this.length += this.buf.write(text, this.length, 'latin1');
  }

  byte(code: number): void {
    this.reserve(1);
    this.buf[this.length++] = code;
  }

  /** Appends a non-negative integer in decimal. */
  uint(value: number): void {
    this.reserve(16);
    if (value < 10) {
      this.buf[this.length++] = 48 + value;
      return;
    }
    if (value < 100) {
      this.buf[this.length++] = 48 + Math.floor(value / 10);
      this.buf[this.length++] = 48 + (value % 10);
      return;
    }
    this.ascii(String(value));
  }

  /** Appends short byte strings by hand: faster than Buffer#set below a few dozen bytes. */
  bytes(source: Uint8Array): void {
    this.reserve(source.length);
    const buf = this.buf;
    let at = this.length;
    for (let i = 0; i < source.length; i++) buf[at++] = source[i] as number;
    this.length = at;
  }

  append(other: ByteBuffer): void {
    this.reserve(other.length);
    other.buf.copy(this.buf, this.length, 0, other.length);
    this.length += other.length;
  }

  clear(): void {
    this.length = 0;
  }

  /** Hands over the bytes written so far and starts a fresh buffer (the old one may still be in flight). */
  take(): Buffer {
    const out = this.buf.subarray(0, this.length);
    this.buf = Buffer.allocUnsafe(this.buf.length);
    this.length = 0;
    return out;
  }
}
