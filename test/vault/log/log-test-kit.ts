// Helpers for log tests: build a log with real appends, find frame boundaries in its bytes,
// and keep the anchor as it was at some commit (to stage a crash between the two fsyncs).
import { copyFile, readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { newKey } from '../../../vault/crypto/aead.ts';
import { SealedAppendLog } from '../../../vault/log/sealed-append-log.ts';
import { FRAME_HEADER_BYTES, HEADER_BYTES } from '../../../vault/log/log-format.ts';
import { anchorPathOf } from '../../../vault/log/anchor-file.ts';

export interface BuiltLog {
  path: string;
  key: Buffer;
  logId: string;
}

/** Appends `bodies` one by one; when `anchorLag` > 0, the anchor is left that many entries behind. */
export async function buildLog(dir: string, bodies: unknown[], options: { name?: string; anchorLag?: number; key?: Buffer; logId?: string } = {}): Promise<BuiltLog> {
  const built = { path: join(dir, options.name ?? 'test.log'), key: options.key ?? newKey(), logId: options.logId ?? 'test-log' };
  const lag = options.anchorLag ?? 0;
  const anchoredCount = bodies.length - lag;
  const log = await SealedAppendLog.open<unknown>(built.path, built);
  for (const body of bodies.slice(0, anchoredCount)) await log.append(body);
  await log.close();
  if (lag > 0) {
    const saved = join(dir, 'anchor.saved');
    await copyFile(anchorPathOf(built.path), saved);
    const more = await SealedAppendLog.open<unknown>(built.path, built);
    for (const body of bodies.slice(anchoredCount)) await more.append(body);
    await more.close();
    await copyFile(saved, anchorPathOf(built.path));
  }
  return built;
}

export interface FrameSpan {
  seq: number;
  offset: number;
  end: number;
}

/** Frame boundaries of a well-formed log file. */
export function frameSpans(bytes: Buffer): FrameSpan[] {
  const spans: FrameSpan[] = [];
  let offset = HEADER_BYTES;
  while (offset + FRAME_HEADER_BYTES <= bytes.length) {
    const end = offset + FRAME_HEADER_BYTES + bytes.readUInt32BE(offset);
    if (end > bytes.length) break;
    spans.push({ seq: Number(bytes.readBigUInt64BE(offset + 4)), offset, end });
    offset = end;
  }
  return spans;
}

export async function fileDigest(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

export async function collect<T>(log: SealedAppendLog<T>): Promise<T[]> {
  const bodies: T[] = [];
  for await (const entry of log.entries()) bodies.push(entry.body);
  return bodies;
}
