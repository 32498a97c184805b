import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodePartition, decodePartition, decodePartitionCoded, partitionIpcV2, codePartition, PartitionCodecError } from '../../../vault/store/partition-codec.ts';
import { PARTITION_PRESET, PARTITION_PRESET_SHA256, PARTITION_PRESET_V2, PARTITION_PRESET_V2_SHA256 } from '../../../vault/store/partition-preset.ts';
import { createHash } from 'node:crypto';
import { tableFromIPC } from 'apache-arrow';
import type { CallBatch } from '../../../vault/ingest/call-columns.ts';

const text = fc.string({ unit: 'grapheme', maxLength: 12 });
const maybeText = fc.option(text, { nil: null });

/** Any CallBatch: rows of arbitrary values, including nulls, NaN/-0/Infinity qual and unicode text. */
const callBatch: fc.Arbitrary<CallBatch> = fc
  .record({
    chrom: fc.oneof(fc.constantFrom('chr1', 'chrX', 'chrM'), text),
    rows: fc.array(
      fc.record({
        pos: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        altIndex: fc.integer({ min: 0, max: 255 }),
        zygosity: fc.integer({ min: 0, max: 255 }),
        phased: fc.integer({ min: 0, max: 255 }),
        dp: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        gq: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        // whole hundredths (as VCFs write QUAL) take the compact coding; any other float32 the exact one
        qual: fc.oneof(fc.float(), fc.integer({ min: -1e6, max: 1e9 }).map((c) => Math.fround(c / 100))),
        id: maybeText, ref: text, alt: text, filter: maybeText, gt: text, gene: maybeText, consequence: maybeText, clnsig: maybeText,
      }),
      { maxLength: 40 },
    ),
  })
  .map(({ chrom, rows }) => ({
    chrom,
    rows: rows.length,
    pos: Int32Array.from(rows.map((r) => r.pos)),
    altIndex: Uint8Array.from(rows.map((r) => r.altIndex)),
    zygosity: Uint8Array.from(rows.map((r) => r.zygosity)),
    phased: Uint8Array.from(rows.map((r) => r.phased)),
    dp: Int32Array.from(rows.map((r) => r.dp)),
    gq: Int32Array.from(rows.map((r) => r.gq)),
    qual: Float32Array.from(rows.map((r) => r.qual)),
    id: rows.map((r) => r.id), ref: rows.map((r) => r.ref), alt: rows.map((r) => r.alt), filter: rows.map((r) => r.filter),
    gt: rows.map((r) => r.gt), gene: rows.map((r) => r.gene), consequence: rows.map((r) => r.consequence), clnsig: rows.map((r) => r.clnsig),
  }));

function bytesOf(a: ArrayBufferView): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Exact equality, with typed arrays compared bit for bit (so NaN and -0 must survive). */
function assertSameBatch(actual: CallBatch, expected: CallBatch): void {
  assert.equal(actual.chrom, expected.chrom);
  assert.equal(actual.rows, expected.rows);
  for (const key of ['pos', 'altIndex', 'zygosity', 'phased', 'dp', 'gq', 'qual'] as const) {
    assert.equal(actual[key].constructor, expected[key].constructor, key);
    assert.ok(bytesOf(actual[key]).equals(bytesOf(expected[key])), `${key} differs`);
  }
  for (const key of ['id', 'ref', 'alt', 'filter', 'gt', 'gene', 'consequence', 'clnsig'] as const) {
    assert.deepEqual(actual[key], expected[key], key);
  }
}

function sampleBatch(): CallBatch {
  return {
    chrom: 'chr17', rows: 3,
    pos: Int32Array.of(43044295, 43045712, 43125483), altIndex: Uint8Array.of(1, 1, 2), zygosity: Uint8Array.of(1, 2, 4), phased: Uint8Array.of(0, 1, 0),
    dp: Int32Array.of(30, -1, 12), gq: Int32Array.of(99, 20, -1), qual: Float32Array.of(50.5, NaN, 0),
    id: ['rs1', null, 'rs3'], ref: ['A', 'C', 'GT'], alt: ['G', 'T', 'G'], filter: ['PASS', null, 'q10;s50'], gt: ['0/1', '1|1', './2'],
    gene: ['BRCA1', 'BRCA1', null], consequence: ['missense_variant', null, 'frameshift_variant'], clnsig: ['Pathogenic', null, 'Likely_pathogenic'],
  };
}

describe('partition codec', () => {
  it('round-trips a hand-made batch exactly, nulls and missing markers included', () => {
    assertSameBatch(decodePartition(encodePartition(sampleBatch())), sampleBatch());
  });

  it('round-trips any CallBatch exactly (property)', () => {
    fc.assert(fc.property(callBatch, (batch) => assertSameBatch(decodePartition(encodePartition(batch)), batch)), { numRuns: 300 });
  });

  it('exposes text as distinct values plus codes, -1 for null', () => {
    const coded = decodePartitionCoded(encodePartition(sampleBatch()));
    assert.deepEqual(coded.text.gene.values, ['BRCA1']);
    assert.deepEqual([...coded.text.gene.codes], [0, 0, -1]);
    assert.deepEqual(coded.text.ref.values, ['A', 'C', 'GT']);
  });

  it('compresses: repeated calls cost a few bytes each', () => {
    const rows = 20_000;
    const batch: CallBatch = {
      chrom: 'chr1', rows,
      pos: Int32Array.from({ length: rows }, (_, i) => 10_000 + i * 150), altIndex: new Uint8Array(rows).fill(1), zygosity: new Uint8Array(rows).fill(1),
      phased: new Uint8Array(rows), dp: new Int32Array(rows).fill(35), gq: new Int32Array(rows).fill(99), qual: new Float32Array(rows).fill(60),
      id: Array.from({ length: rows }, () => null), ref: Array.from({ length: rows }, () => 'A'), alt: Array.from({ length: rows }, () => 'G'),
      filter: Array.from({ length: rows }, () => 'PASS'), gt: Array.from({ length: rows }, () => '0/1'), gene: Array.from({ length: rows }, () => null),
      consequence: Array.from({ length: rows }, () => null), clnsig: Array.from({ length: rows }, () => null),
    };
    const bytes = encodePartition(batch);
    // format 1 took ~3 bytes per row here; positions as deltas and byte planes take well under 1
    assert.ok(bytes.length / rows < 0.5, `${bytes.length / rows} bytes per row`);
  });

  it('refuses a batch whose columns disagree on the row count, naming the column', () => {
    const batch = { ...sampleBatch(), gq: Int32Array.of(1) };
    assert.throws(() => encodePartition(batch), (err: unknown) => err instanceof PartitionCodecError && /column gq has 1 values, expected 3/.test(err.message));
  });

  it('refuses bytes that are not a partition, or are corrupt, with a typed error', () => {
    assert.throws(() => decodePartition(Buffer.from('hello world')), PartitionCodecError);
    const bytes = Buffer.from(encodePartition(sampleBatch()));
    assert.throws(() => decodePartition(bytes.subarray(0, bytes.length - 10)), PartitionCodecError);
    bytes[10] = bytes[10]! ^ 0xff;
    assert.throws(() => decodePartition(bytes), PartitionCodecError);
  });

  it('keeps the preset dictionaries byte-identical (stored partitions depend on them)', () => {
    assert.equal(createHash('sha256').update(PARTITION_PRESET).digest('hex'), PARTITION_PRESET_SHA256);
    assert.equal(PARTITION_PRESET_SHA256, '17d3f7661adf87213f6096a7ec5b9b8e78013ef309d3d5f92f224e1b9865638c');
    assert.equal(createHash('sha256').update(PARTITION_PRESET_V2).digest('hex'), PARTITION_PRESET_V2_SHA256);
    assert.equal(PARTITION_PRESET_V2_SHA256, '02ae0781b2af4ef00f3d2746cfb12b1c2bac97ec21807d27a403c049d4abfa71');
  });

  it('writes format 2, and still reads a partition written in format 1', () => {
    assert.equal(Buffer.from(encodePartition(sampleBatch()).subarray(0, 4)).toString('ascii'), 'GVP2');
    // sampleBatch() as the format-1 writer stored it
    const formatOne = Buffer.from('R1ZQMe1YPUsDQRC9xC6liAh2VlbqKaJgFS0UsQja2GmQ0xxq1FwQBEF/QrDyJ/gTLO2sBMHGnyDYWFrKu513O7fch2K0yjZ7c7M7u28/ZucN6r/gd8Lp/AXxvQN+Z2Je7ccH/C4+igkfG/A7rMeA3/2W3xXFK8Jn44OXjlfw8pt4hbHCmOSioEH8s4YO7FkSrxgbjDvScQviFW2HJhH/0D90Ir8TzRn/fF8Qf+XjGU7iL7SxMVLNy8KlYy/9zbmxLsOV1Zd4wSHqK6tIucXvTj9w2XXMxmX1xfFlGS5th2tBXJANqnJcyEGoouLl9H7ZdewvLuLEHPT81Zxiroc8JUqjvrV15s8sRfPIpPUPn+WT2fgs/p/tm4tP24kByL3FPUPOaWba9y/9qelZUSIeKjqX2n7af6T3z/LNbHz2PhbjI99xa0wXNrQd4sPYy5srdeTIy/AsspOpc88j/RI4VJb/0Pcja805DNePNfLQLHnnEW0npNFxGEVBOwp2zpudsNnu7neax0HUCve7/GMaluE2p5kja96a3kfLW/uLW/uBPNx4d8Zlio1mt3VyELTDvY3wMDi62DlNfsQtgHdySPP0UW9E5TXVQUk4r7uPn5X0WSziv9w/1lxJyjyvzvvEfHLC4/U6wAZl9tfnA3rKHMc5vx5l6vFm60KZ+m1RcrxdkamX1HhigjL114nGfFCmvid62r8Vmfo7pz9l6uGLUNj/QWTqn0Wm/tXRvzn6D0cPEfzXvbP/JdN/fXe8svauPk9+fOpVGy+96nvtJnZdlYrxYJWqvEzSEXcAdwv5IZQ9icXwz/xZX/a8hyvz7eYZ0/4ZJrWf5NzQ174XxpLW6X7uOpWNm2eX8/8C', 'base64');
    assert.equal(formatOne.subarray(0, 4).toString('ascii'), 'GVP1');
    assertSameBatch(decodePartition(formatOne), sampleBatch());
  });

  it('stores QUAL as hundredths only when that is exact, else as float32 bits', () => {
    const qualCoding = (qual: number[]) => {
      const batch = { ...sampleBatch(), qual: Float32Array.from(qual) };
      const coding = tableFromIPC(partitionIpcV2(codePartition(batch))).schema.metadata.get('qual');
      assertSameBatch(decodePartition(encodePartition(batch)), batch);
      return coding;
    };
    assert.equal(qualCoding([50.5, NaN, 0]), 'centi');
    assert.equal(qualCoding([1180.05, 3.1, 99999.99]), 'centi');
    assert.equal(qualCoding([50.5, 0.001, 1]), 'float32');
    assert.equal(qualCoding([-0, 1, 2]), 'float32');
    assert.equal(qualCoding([Infinity, 1, 2]), 'float32');
    assert.equal(qualCoding([3e9, 1, 2]), 'float32');
  });

});
