// One-time enrolment codes: 32 base32 characters in groups of four, read back however a person
// types them, with only the secret part's hash kept.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { enrolmentSecretMatches, newEnrolmentCode, parseEnrolmentCode } from '../../../vault/identity/enrolment-code.ts';

describe('enrolment codes', () => {
  it('are 32 base32 characters in groups of four, naming their enrolment, never repeated', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const { enrolmentId, code, secretHash } = newEnrolmentCode();
      assert.match(code, /^([A-Z2-7]{4}-){7}[A-Z2-7]{4}$/);
      assert.match(enrolmentId, /^enr_[a-z2-7]{8}$/);
      assert.match(secretHash, /^[0-9a-f]{64}$/);
      assert.ok(!secretHash.includes(code.replace(/-/g, '').slice(8).toLowerCase()));
      seen.add(code);
    }
    assert.equal(seen.size, 2000);
  });

  it('read back whatever the case, spaces and dashes, and match only their own hash', () => {
    const { enrolmentId, code, secretHash } = newEnrolmentCode();
    for (const typed of [code, code.toLowerCase(), code.replace(/-/g, ' '), ` ${code.replace(/-/g, '')} `]) {
      const parsed = parseEnrolmentCode(typed);
      assert.equal(parsed?.enrolmentId, enrolmentId, typed);
      assert.ok(enrolmentSecretMatches(parsed.secret, secretHash));
    }
    const other = newEnrolmentCode();
    assert.ok(!enrolmentSecretMatches(parseEnrolmentCode(other.code)!.secret, secretHash));
  });

  it('refuse anything that is not 32 base32 characters', () => {
    const { code } = newEnrolmentCode();
    for (const bad of ['', code.slice(0, -1), `${code}A`, code.replace(/^./, '0'), code.replace(/^./, '1'), '8'.repeat(32)]) {
      assert.equal(parseEnrolmentCode(bad), undefined, bad);
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const parsed = parseEnrolmentCode(text);
        if (parsed) assert.match(parsed.secret, /^[A-Z2-7]{24}$/);
      }),
    );
  });
});
