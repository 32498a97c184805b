// scrypt password hashes: they verify the right password only, carry their parameters, and can
// be told apart when too weak. Property tests use a low cost (N = 2^4) so they run quickly; the
// cost does not change what verify() decides.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  DEFAULT_SCRYPT_PARAMS,
  DummyPasswordCheck,
  hashPassword,
  needsRehash,
  parsePasswordHash,
  PasswordHashFormatError,
  verifyPassword,
} from '../../../vault/identity/password-hash.ts';

const CHEAP = { log2N: 4, r: 8, p: 1 };

describe('password hashing (scrypt)', () => {
  it('verifies the password it hashed, with the default parameters stored in the hash', async () => {
    const hash = await hashPassword('Tulip-harbour-42');
    assert.match(hash, /^\$scrypt\$ln=16,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    assert.deepEqual(parsePasswordHash(hash).params, { ...DEFAULT_SCRYPT_PARAMS });
    assert.equal(await verifyPassword('Tulip-harbour-42', hash), true);
    assert.equal(await verifyPassword('tulip-harbour-42', hash), false);
  });

  it('uses a fresh 16-byte salt each time', async () => {
    const [a, b] = await Promise.all([hashPassword('same password 1', CHEAP), hashPassword('same password 1', CHEAP)]);
    assert.notEqual(a, b);
    assert.equal(parsePasswordHash(a).salt.length, 16);
  });

  it('treats canonically equivalent Unicode spellings as the same password (NFKC)', async () => {
    const hash = await hashPassword('Caf\u00e9 au lait 12', CHEAP);
    assert.equal(await verifyPassword('Cafe\u0301 au lait 12', hash), true);
  });

  it('for any password p and any q != p, verify(hash(p), q) is false (N = 2^4)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ maxLength: 40 }), async (p, q) => {
        fc.pre(p.normalize('NFKC') !== q.normalize('NFKC'));
        const hash = await hashPassword(p, CHEAP);
        assert.equal(await verifyPassword(q, hash), false);
        assert.equal(await verifyPassword(p, hash), true);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps old hashes verifiable when the cost is raised, and flags them for rehash', async () => {
    const old = await hashPassword('Old-but-good-pass9', CHEAP);
    assert.equal(needsRehash(old), true);
    assert.equal(needsRehash(old, CHEAP), false);
    assert.equal(await verifyPassword('Old-but-good-pass9', old), true);
  });

  it('refuses malformed stored hashes with a clear error', async () => {
    const good = await hashPassword('x', CHEAP);
    const [, , params, salt, key] = good.split('$');
    const bad = [
      'plaintext',
      `$argon2id$${params}$${salt}$${key}`,
      `$scrypt$ln=99,r=8,p=1$${salt}$${key}`,
      `$scrypt$N=16,r=8,p=1$${salt}$${key}`,
      `$scrypt$${params}$${salt}`,
      `$scrypt$${params}$${salt}$${key}$extra`,
      `$scrypt$${params}$${salt}$${key!.slice(0, 8)}`,
    ];
    for (const encoded of bad) {
      await assert.rejects(verifyPassword('x', encoded), PasswordHashFormatError, encoded);
    }
  });

  it('dummy checks cost about as much as a real verification', async function () {
    this.timeout(30_000);
    const params = { log2N: 14, r: 8, p: 1 };
    const hash = await hashPassword('real password 1', params);
    const dummy = new DummyPasswordCheck(params);
    await dummy.run('warm up');
    const time = async (task: () => Promise<unknown>) => {
      const start = performance.now();
      await task();
      return performance.now() - start;
    };
    const real = await time(() => verifyPassword('wrong', hash));
    const fake = await time(() => dummy.run('wrong'));
    assert.ok(fake > real * 0.5, `dummy ${fake.toFixed(1)} ms vs real ${real.toFixed(1)} ms`);
  });
});
