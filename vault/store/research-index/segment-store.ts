// Reading index segments: a segment's sealed bytes from its pack file, opened with the key the
// catalog names (a vault's current keys, or a change's while it writes) and checked against the
// object id the catalog expects, so a swapped, stale or edited segment is refused with the file's name.
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { openObject } from '../../crypto/sealed-object.ts';
import type { IndexSegment } from './index-catalog.ts';
import { decodeCallsSegment, decodeCoverageSegment, type CallsSegment, type CoverageSegment } from './segment-codec.ts';

/** Where segments are and the keys that open them: the Vault, or a change's view of it. */
export interface SegmentKeys {
  readonly dataDir: string;
  readonly vaultId: string;
  keyOf(keyId: string): Buffer;
}

export async function sealedSegment(dataDir: string, segment: Pick<IndexSegment, 'file' | 'offset' | 'length'>): Promise<Buffer> {
  const handle = await open(join(dataDir, segment.file), 'r');
  try {
    const bytes = Buffer.alloc(segment.length);
    const { bytesRead } = await handle.read(bytes, 0, segment.length, segment.offset);
    // a short read (a truncated pack) fails authentication in openObject, which names the file
    return bytesRead === segment.length ? bytes : bytes.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export async function segmentPlaintext(keys: SegmentKeys, segment: IndexSegment): Promise<Uint8Array> {
  const sealed = await sealedSegment(keys.dataDir, segment);
  return openObject(keys.keyOf(segment.keyId), keys.vaultId, { objectId: segment.id, version: 1, keyId: segment.keyId }, sealed, segment.file);
}

/** A calls segment decoded, its sample numbers as the catalog numbers them now. */
export async function readCallsSegment(keys: SegmentKeys, segment: IndexSegment): Promise<CallsSegment> {
  const decoded = checked(segment, decodeCallsSegment(await segmentPlaintext(keys, segment)));
  shiftSamples(decoded.sample, segment.sampleShift);
  return decoded;
}

/** A coverage segment decoded, its sample numbers as the catalog numbers them now. */
export async function readCoverageSegment(keys: SegmentKeys, segment: IndexSegment): Promise<CoverageSegment> {
  const decoded = checked(segment, decodeCoverageSegment(await segmentPlaintext(keys, segment)));
  shiftSamples(decoded.memberSample, segment.sampleShift);
  return decoded;
}

function shiftSamples(numbers: Int32Array, shift: number | undefined): void {
  if (!shift) return;
  // -1 marks a call of no stored sample: it stays -1
  for (let i = 0; i < numbers.length; i++) if (numbers[i]! >= 0) numbers[i]! += shift;
}

function checked<T extends CallsSegment | CoverageSegment>(entry: IndexSegment, decoded: T): T {
  const rows = 'rows' in decoded ? decoded.rows : decoded.memberSample.length;
  if (decoded.build !== entry.build || decoded.chrom !== entry.chrom || decoded.window !== entry.window || rows !== entry.rows) {
    throw new Error(`${entry.file}: index segment ${entry.id} does not match its catalog entry`);
  }
  return decoded;
}
