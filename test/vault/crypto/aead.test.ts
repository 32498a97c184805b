import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { seal, open, newKey, aadOf, AuthenticationError, BOX_OVERHEAD } from '../../../vault/crypto/aead.ts';

describe('aead (AES-256-GCM)', () => {
  it('round-trips any plaintext under its key and aad', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), fc.string(), (plaintext, context) => {
        const key = newKey();
        const box = seal(key, plaintext, aadOf(context));
        assert.equal(box.length, plaintext.length + BOX_OVERHEAD);
        assert.deepEqual(new Uint8Array(open(key, box, aadOf(context))), plaintext);
      }),
    );
  });

  it('refuses any single flipped bit, another key, or another aad', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 512 }), fc.nat(), (plaintext, where) => {
        const key = newKey();
        const box = seal(key, plaintext, aadOf('obj', 1));
        const bit = where % (box.length * 8);
        const flipped = Buffer.from(box);
        flipped[bit >> 3]! ^= 1 << (bit & 7);
        assert.throws(() => open(key, flipped, aadOf('obj', 1)), AuthenticationError);
      }),
    );
    const key = newKey();
    const box = seal(key, Buffer.from('secret'), aadOf('obj', 1));
    assert.throws(() => open(newKey(), box, aadOf('obj', 1)), AuthenticationError);
    assert.throws(() => open(key, box, aadOf('obj', 2)), AuthenticationError);
    assert.throws(() => open(key, box, aadOf('other', 1)), AuthenticationError);
  });

  it('never reuses a nonce for the same key', () => {
    const key = newKey();
    const nonces = new Set<string>();
    for (let i = 0; i < 10_000; i++) nonces.add(seal(key, Buffer.alloc(0), Buffer.alloc(0)).subarray(0, 12).toString('hex'));
    assert.equal(nonces.size, 10_000);
  });

  it('keeps aad parts unambiguous', () => {
    assert.notDeepEqual(aadOf('ab', 'c'), aadOf('a', 'bc'));
    assert.notDeepEqual(aadOf('1', 2), aadOf('12'));
  });
});
