// The anchor beside a log (`<log>.anchor`): the last committed seq and hash, sealed, in two
// fixed-size slots written alternately in place. A crash can tear only the slot being written,
// so the other always holds a recent commit. Without the anchor, cutting whole entries off the
// end of a log would leave a shorter log that still verifies.
import { open as openFile, readFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { seal, open, aadOf, AuthenticationError, BOX_OVERHEAD } from '../crypto/aead.ts';
import { writeFileAtomic } from '../fs/atomic.ts';

const ANCHOR_MAGIC = Buffer.from('GVANCH1\n', 'latin1');
const SLOT_PLAINTEXT_BYTES = 8 + 32;
const SLOT_BYTES = SLOT_PLAINTEXT_BYTES + BOX_OVERHEAD;
export const ANCHOR_FILE_BYTES = ANCHOR_MAGIC.length + 2 * SLOT_BYTES;

export interface AnchorState {
  seq: number;
  hash: Buffer;
  /** the slot holding this state; the next commit writes the other one */
  slot: 0 | 1;
}

export type AnchorReading = { kind: 'absent' } | { kind: 'damaged'; detail: string } | { kind: 'ok'; state: AnchorState; damagedSlots: number };

export const anchorPathOf = (logPath: string): string => `${logPath}.anchor`;
const slotAad = (logId: string, slot: number): Buffer => aadOf('genovault/log/anchor/v1', logId, slot);
const slotOffset = (slot: number): number => ANCHOR_MAGIC.length + slot * SLOT_BYTES;

function sealSlot(key: Uint8Array, logId: string, slot: 0 | 1, seq: number, hash: Buffer): Buffer {
  const plaintext = Buffer.alloc(SLOT_PLAINTEXT_BYTES);
  plaintext.writeBigUInt64BE(BigInt(seq), 0);
  hash.copy(plaintext, 8);
  return seal(key, plaintext, slotAad(logId, slot));
}

function openSlot(key: Uint8Array, logId: string, slot: 0 | 1, bytes: Buffer): AnchorState | null {
  try {
    const plaintext = open(key, bytes.subarray(slotOffset(slot), slotOffset(slot) + SLOT_BYTES), slotAad(logId, slot));
    return { seq: Number(plaintext.readBigUInt64BE(0)), hash: Buffer.from(plaintext.subarray(8)), slot };
  } catch (err) {
    if (err instanceof AuthenticationError) return null;
    throw err;
  }
}

export async function readAnchor(logPath: string, key: Uint8Array, logId: string): Promise<AnchorReading> {
  let bytes: Buffer;
  try {
    bytes = await readFile(anchorPathOf(logPath));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    throw err;
  }
  if (bytes.length !== ANCHOR_FILE_BYTES || !bytes.subarray(0, ANCHOR_MAGIC.length).equals(ANCHOR_MAGIC)) {
    return { kind: 'damaged', detail: 'the anchor file is not a log anchor (wrong size or magic)' };
  }
  const slots = [openSlot(key, logId, 0, bytes), openSlot(key, logId, 1, bytes)];
  const valid = slots.filter((s): s is AnchorState => s !== null);
  if (valid.length === 0) return { kind: 'damaged', detail: 'neither anchor slot opens with this key and log id' };
  const state = valid.reduce((a, b) => (b.seq > a.seq ? b : a));
  return { kind: 'ok', state, damagedSlots: 2 - valid.length };
}

/** Creates the anchor of an empty log, both slots at seq 0. */
export async function createAnchor(logPath: string, key: Uint8Array, logId: string, genesis: Buffer): Promise<void> {
  await writeFileAtomic(anchorPathOf(logPath), Buffer.concat([ANCHOR_MAGIC, sealSlot(key, logId, 0, 0, genesis), sealSlot(key, logId, 1, 0, genesis)]));
}

/** Writes one commit into the slot after `current`, in place, and makes it durable. */
export class AnchorWriter {
  private constructor(
    private readonly handle: FileHandle,
    private readonly key: Uint8Array,
    private readonly logId: string,
    private current: 0 | 1,
  ) {}

  static async open(logPath: string, key: Uint8Array, logId: string, current: 0 | 1): Promise<AnchorWriter> {
    return new AnchorWriter(await openFile(anchorPathOf(logPath), 'r+'), key, logId, current);
  }

  /** Another writer committed last, into `slot`: the next commit writes the other one. */
  follow(slot: 0 | 1): void {
    this.current = slot;
  }

  async commit(seq: number, hash: Buffer): Promise<void> {
    await this.write(seq, hash);
    await this.sync();
  }

  /**
   * Writes the commit into the next slot without waiting for the disk: readers see it at once and
   * it survives the process. `sync()` must complete before the next write, so that at most one
   * slot is ever unsynced (a power loss can then tear only that one).
   */
  async write(seq: number, hash: Buffer): Promise<void> {
    const slot: 0 | 1 = this.current === 0 ? 1 : 0;
    const bytes = sealSlot(this.key, this.logId, slot, seq, hash);
    await this.handle.write(bytes, 0, bytes.length, slotOffset(slot));
    this.current = slot;
  }

  sync(): Promise<void> {
    return this.handle.datasync();
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
