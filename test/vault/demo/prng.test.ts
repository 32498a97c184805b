// The seeded generator behind every synthetic value: reproducible, seed-sensitive, in range.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Prng } from '../../../vault/demo/synthetic/index.ts';
import { cumulativeWeights } from '../../../vault/demo/synthetic/prng.ts';

const draw = (rng: Prng, n: number): number[] => Array.from({ length: n }, () => rng.nextUint32());

describe('Prng', function () {
  it('repeats its sequence for the same seed and label, and differs for another seed or label', function () {
    assert.deepEqual(draw(new Prng(7), 100), draw(new Prng(7), 100));
    assert.notDeepEqual(draw(new Prng(7), 100), draw(new Prng(8), 100));
    assert.notDeepEqual(draw(new Prng(7, 'a'), 100), draw(new Prng(7, 'b'), 100));
    // seeds beyond 32 bits are not folded onto smaller ones
    assert.notDeepEqual(draw(new Prng(2 ** 32 + 7), 100), draw(new Prng(7), 100));
  });

  it('keeps int, next and logUniform in range for any seed', function () {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (seed, min, span) => {
        const rng = new Prng(seed);
        for (let i = 0; i < 50; i++) {
          const v = rng.int(min, min + span);
          assert.ok(Number.isInteger(v) && v >= min && v <= min + span);
          const f = rng.next();
          assert.ok(f >= 0 && f < 1);
          const l = rng.logUniform(1e-4, 0.5);
          assert.ok(l >= 1e-4 && l < 0.5);
        }
      }),
    );
  });

  it('is roughly uniform and picks by weight', function () {
    const rng = new Prng(1);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) buckets[Math.floor(rng.next() * 10)]! += 1;
    assert.ok(buckets.every((b) => b > 9_500 && b < 10_500), buckets.join(','));
    const picks = [0, 0, 0];
    const cumulative = cumulativeWeights([1, 0, 3]);
    for (let i = 0; i < 40_000; i++) picks[rng.pickWeighted(cumulative)]! += 1;
    assert.equal(picks[1], 0, 'a zero weight is never picked');
    assert.ok(Math.abs(picks[2]! / picks[0]! - 3) < 0.2, picks.join(','));
  });

  it('refuses a seed that is not a safe integer', function () {
    for (const seed of [1.5, Number.NaN, 2 ** 60]) assert.throws(() => new Prng(seed), RangeError);
  });
});
