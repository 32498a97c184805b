// Reads frames from a log file in large chunks. A frame whose length prefix or box runs past
// the end of the file is a torn tail: the bytes a crash left mid-write.
import type { FileHandle } from 'node:fs/promises';
import { FRAME_HEADER_BYTES, MAX_BOX_BYTES } from './log-format.ts';
import type { RawFrame } from './log-format.ts';

const CHUNK_BYTES = 1024 * 1024;

export type FrameOrTorn = ({ kind: 'frame' } & RawFrame) | { kind: 'torn'; offset: number; bytes: number };

class ChunkedReader {
  private buffer = Buffer.alloc(0);
  private bufferStart = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly end: number,
  ) {}

  /** Bytes [offset, offset + length), or null when the file ends first. */
  async read(offset: number, length: number): Promise<Buffer | null> {
    if (offset + length > this.end) return null;
    const bufferEnd = this.bufferStart + this.buffer.length;
    if (offset >= this.bufferStart && offset + length <= bufferEnd) {
      return this.buffer.subarray(offset - this.bufferStart, offset - this.bufferStart + length);
    }
    const size = Math.min(Math.max(length, CHUNK_BYTES), this.end - offset);
    const chunk = Buffer.alloc(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await this.handle.read(chunk, filled, size - filled, offset + filled);
      if (bytesRead === 0) return null;
      filled += bytesRead;
    }
    this.buffer = chunk;
    this.bufferStart = offset;
    return chunk.subarray(0, length);
  }
}

/** Frames of the file between `start` and `end`; at most one trailing torn marker. */
export async function* readFrames(handle: FileHandle, start: number, end: number): AsyncGenerator<FrameOrTorn> {
  const reader = new ChunkedReader(handle, end);
  let offset = start;
  while (offset < end) {
    const head = await reader.read(offset, FRAME_HEADER_BYTES);
    if (!head) {
      yield { kind: 'torn', offset, bytes: end - offset };
      return;
    }
    const boxLength = head.readUInt32BE(0);
    const seq = Number(head.readBigUInt64BE(4));
    const frameEnd = offset + FRAME_HEADER_BYTES + boxLength;
    // An absurd length that still fits the file is damage; the decoder will refuse its box.
    const box = boxLength > MAX_BOX_BYTES ? null : await reader.read(offset + FRAME_HEADER_BYTES, boxLength);
    if (!box) {
      if (frameEnd > end) {
        yield { kind: 'torn', offset, bytes: end - offset };
        return;
      }
      yield { kind: 'frame', offset, end: frameEnd, seq, box: Buffer.alloc(0) };
    } else {
      // Chunks are never reused, so the slice stays valid after the reader moves on.
      yield { kind: 'frame', offset, end: frameEnd, seq, box };
    }
    offset = frameEnd;
  }
}
