import assert from 'node:assert/strict';
import fc from 'fast-check';
import { joinPlanes, splitPlanes, undoZigzagDeltas, unzigzag, zigzag, zigzagDeltas } from '../../../vault/store/byte-planes.ts';

const int32s = fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 200 });

describe('byte planes and zigzag deltas', () => {
  it('split and join round-trip any 32-bit words (property)', () => {
    fc.assert(fc.property(fc.array(fc.nat({ max: 2 ** 32 - 1 }), { maxLength: 200 }), (values) => {
      const words = Uint32Array.from(values);
      assert.deepEqual(joinPlanes(splitPlanes(words), words.length), words);
    }));
  });

  it('puts low bytes first: small values leave the high planes zero', () => {
    const [b0, b1, b2, b3] = splitPlanes(Uint32Array.of(1, 255, 256, 0x01020304));
    assert.deepEqual([...b0], [1, 255, 0, 4]);
    assert.deepEqual([...b1], [0, 0, 1, 3]);
    assert.deepEqual([...b2], [0, 0, 0, 2]);
    assert.deepEqual([...b3], [0, 0, 0, 1]);
  });

  it('zigzag deltas round-trip any int32 sequence, sorted or not, extremes included (property)', () => {
    fc.assert(fc.property(int32s, (values) => {
      const column = Int32Array.from(values);
      assert.deepEqual(undoZigzagDeltas(zigzagDeltas(column)), column);
    }));
  });

  it('zigzag round-trips any int32 and codes small values either way as small numbers (property)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })), (values) => {
      const column = Int32Array.from(values);
      assert.deepEqual(unzigzag(zigzag(column)), column);
    }));
    assert.deepEqual([...zigzag(Int32Array.of(0, -1, 1, -2, 2))], [0, 1, 2, 3, 4]);
  });

  it('codes small steps either way as small numbers', () => {
    assert.deepEqual([...zigzagDeltas(Int32Array.of(100, 101, 99, 99))], [200, 2, 3, 0]);
  });

  it('refuses planes shorter than the column', () => {
    assert.throws(() => joinPlanes([new Uint8Array(1), new Uint8Array(2), new Uint8Array(2), new Uint8Array(2)], 2), RangeError);
  });
});
