// TOTP against RFC 6238 appendix B and RFC 4226 appendix D, base32 against RFC 4648, and our
// codes against otplib for arbitrary secrets and times.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { generateSync } from 'otplib';
import { base32Decode, base32Encode, Base32Error } from '../../../vault/identity/base32.ts';
import type { TotpAlgorithm } from '../../../vault/identity/totp.ts';
import { currentTotp, hotp, matchTotpStep, newTotpSecret, otpauthUri, totpFromKey, totpStep } from '../../../vault/identity/totp.ts';

// RFC 6238 appendix B: the seed is the ASCII string repeated to the hash's key length.
const SEEDS: Record<TotpAlgorithm, Buffer> = {
  sha1: Buffer.from('12345678901234567890', 'ascii'),
  sha256: Buffer.from('12345678901234567890123456789012', 'ascii'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234', 'ascii'),
};
const RFC6238_VECTORS: [number, string, string, string][] = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('TOTP (RFC 6238)', () => {
  it('matches every appendix B vector for SHA-1, SHA-256 and SHA-512', () => {
    for (const [seconds, sha1, sha256, sha512] of RFC6238_VECTORS) {
      assert.equal(totpFromKey(SEEDS.sha1, seconds * 1000, 8, 'sha1'), sha1, `SHA-1 at ${seconds}`);
      assert.equal(totpFromKey(SEEDS.sha256, seconds * 1000, 8, 'sha256'), sha256, `SHA-256 at ${seconds}`);
      assert.equal(totpFromKey(SEEDS.sha512, seconds * 1000, 8, 'sha512'), sha512, `SHA-512 at ${seconds}`);
    }
  });

  it('matches the RFC 4226 appendix D HOTP values', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expected.forEach((code, counter) => assert.equal(hotp(SEEDS.sha1, counter), code));
  });

  it('currentTotp gives the 6-digit SHA-1 code of a base32 secret (the RFC seed, truncated)', () => {
    const secret = base32Encode(SEEDS.sha1);
    assert.equal(currentTotp(secret, 59_000), '287082');
    assert.equal(currentTotp(secret, 1111111109_000), '081804');
  });

  it('agrees with otplib for any secret and time', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 40 }), fc.integer({ min: 0, max: 4_000_000_000 }), (bytes, seconds) => {
        const secret = base32Encode(bytes);
        assert.equal(currentTotp(secret, seconds * 1000), generateSync({ secret, epoch: seconds }));
      }),
      { numRuns: 200 },
    );
  });

  it('accepts the codes of one step either side and refuses two steps away', () => {
    const secret = newTotpSecret();
    const now = 1_700_000_000_000;
    const step = totpStep(now);
    for (const offset of [-1, 0, 1]) {
      const code = currentTotp(secret, now + offset * 30_000);
      assert.equal(matchTotpStep(secret, code, now), step + offset, `offset ${offset}`);
    }
    for (const offset of [-2, 2]) {
      const code = currentTotp(secret, now + offset * 30_000);
      // skip the one-in-a-million case where the far code happens to equal a code inside the window
      if ([-1, 0, 1].some((o) => currentTotp(secret, now + o * 30_000) === code)) continue;
      assert.equal(matchTotpStep(secret, code, now), undefined, `offset ${offset}`);
    }
  });

  it('refuses codes that are not six digits', () => {
    const secret = newTotpSecret();
    const code = currentTotp(secret, 0);
    for (const bad of ['', code.slice(0, 5), `${code}0`, ` ${code}`, 'abcdef', `${code.slice(0, 5)}x`]) {
      assert.equal(matchTotpStep(secret, bad, 0), undefined, JSON.stringify(bad));
    }
  });

  it('builds the otpauth URI authenticator apps read', () => {
    assert.equal(otpauthUri('dr.ada', 'JBSWY3DPEHPK3PXP'), 'otpauth://totp/GenoVault:dr.ada?secret=JBSWY3DPEHPK3PXP&issuer=GenoVault');
  });

  it('makes 160-bit secrets that differ every time', () => {
    const a = newTotpSecret();
    assert.equal(base32Decode(a).length, 20);
    assert.notEqual(a, newTotpSecret());
  });
});

describe('base32 (RFC 4648)', () => {
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ];

  it('encodes and decodes the RFC 4648 test vectors', () => {
    for (const [plain, encoded] of vectors) {
      assert.equal(base32Encode(Buffer.from(plain)), encoded);
      assert.equal(base32Decode(encoded).toString(), plain);
    }
  });

  it('decodes padded, lower-case and spaced input', () => {
    assert.equal(base32Decode('mzxw 6ytb oi======').toString(), 'foobar');
  });

  it('round-trips any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => assert.deepEqual(base32Decode(base32Encode(bytes)), Buffer.from(bytes))));
  });

  it('names the first character outside the alphabet', () => {
    assert.throws(() => base32Decode('MZX1'), (e: unknown) => e instanceof Base32Error && /character 4/.test(e.message));
  });
});
