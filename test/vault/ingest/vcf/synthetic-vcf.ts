// Test and benchmark helper: writes VCF text as BGZF, and builds a large multi-sample VCF by repeating the
// records of a real file at increasing positions (for chunk boundaries, worker parity and throughput).
import { crc32, deflateRawSync } from 'node:zlib';
import { scanVcf } from './vcf-scan.ts';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const EOF_BLOCK = Buffer.from('1f8b08040000000000ff0600424302001b0003000000000000000000', 'hex');

/** BGZF: independent gzip members of at most 64 KiB of input, each with the 'BC' extra field, then an EOF block. */
export function bgzf(text: Buffer, blockBytes = 0xff00): Buffer {
  const blocks: Buffer[] = [];
  for (let at = 0; at < text.length; at += blockBytes) {
    const input = text.subarray(at, Math.min(text.length, at + blockBytes));
    const deflated = deflateRawSync(input);
    const header = Buffer.from([0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, 0x42, 0x43, 2, 0, 0, 0]);
    header.writeUInt16LE(header.length + deflated.length + 8 - 1, 16);
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc32(input), 0);
    trailer.writeUInt32LE(input.length, 4);
    blocks.push(header, deflated, trailer);
  }
  blocks.push(EOF_BLOCK);
  return Buffer.concat(blocks);
}

/** Text of `source` with its body repeated until about `targetBytes`, positions shifted so records stay sorted. */
export function largeVcfText(source: string, targetBytes: number): Buffer {
  const raw = readFileSync(source);
  const text = (raw[0] === 0x1f ? gunzipSync(raw) : raw).toString('utf8');
  const lines = text.split('\n').filter((l) => l !== '');
  const header = lines.filter((l) => l.startsWith('#'));
  const body = lines.filter((l) => !l.startsWith('#')).map((l) => l.split('\t'));
  const positions = scanVcf(source).records.map((r) => r.pos);
  const first = Math.min(...positions);
  const span = Math.max(...positions) - first + 1000;
  const parts: string[] = [header.join('\n') + '\n'];
  let size = parts[0]?.length ?? 0;
  for (let round = 0; size < targetBytes; round++) {
    if ((round + 1) * span > 2e9) throw new Error('source spans too much of its chromosome to repeat this often');
    const shifted = body.map((cols) => [cols[0], String(Number(cols[1]) - first + 1 + round * span), ...cols.slice(2)].join('\t')).join('\n') + '\n';
    parts.push(shifted);
    size += shifted.length;
  }
  return Buffer.from(parts.join(''));
}
