// The password policy: each rule refuses what it must, with its own code, and good passwords pass.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { assertPasswordPolicy, checkPasswordPolicy } from '../../../vault/identity/password-policy.ts';
import { IdentityError } from '../../../vault/identity/identity-errors.ts';

const codes = (password: string, username = 'dr.ada') => checkPasswordPolicy(password, username).map((v) => v.code);

describe('password policy', () => {
  it('accepts long passwords that mix classes', () => {
    for (const good of ['Tulip-harbour-42', 'violet lantern 1987', 'GREEN-moss-river', 'ŽlutýKůň-2024-x']) {
      assert.deepEqual(codes(good), [], good);
    }
  });

  it('refuses fewer than 12 characters, counted as characters not UTF-16 units', () => {
    assert.deepEqual(codes('Short-pw-11'), ['password_too_short']);
    assert.deepEqual(codes('Ab1-😀😀😀😀😀😀'), ['password_too_short']); // 10 characters, 16 UTF-16 units
  });

  it('refuses more than 256 characters', () => {
    assert.deepEqual(codes(`Aa1${'x'.repeat(300)}`), ['password_too_long']);
  });

  it('accepts long passphrases of a single character class: no composition rules (ASVS 2.1.9)', () => {
    for (const good of ['violetlanternharbourmoss', 'VIOLETLANTERNHARBOURMOSS', '918273645546372819', '!@#$%^&*()_+-=[]', 'žlutoučkýkůňúpělďábelské']) {
      assert.deepEqual(codes(good), [], good);
    }
  });

  it('accepts any long enough string drawn from one character class (property)', () => {
    const classes = [
      fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'),
      fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
      fc.constantFrom(...'0123456789'),
      fc.constantFrom(...'!#$%&()*+,-./:;<=>?@[]^_{|}~ '),
      fc.constantFrom(...'αβγδεζηθικλμνξοπρστυφχψω'),
    ];
    fc.assert(
      fc.property(fc.oneof(...classes.map((c) => fc.array(c, { minLength: 12, maxLength: 128 }))), (characters) => {
        // five different characters rule out a repeated run; a fully sequential one is vanishingly rare
        fc.pre(new Set(characters).size >= 5);
        assert.deepEqual(codes(characters.join('')), []);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses repeated and sequential runs, which a block list cannot enumerate (SP 800-63B)', () => {
    for (const bad of ['aaaaaaaaaaaaaaaa', 'abababababababab', 'xyzwxyzwxyzwxyzw', 'abcdefghijklmnop', 'ZYXWVUTSRQPONMLK', '3456789:;<=>?@AB']) {
      assert.deepEqual(codes(bad), ['password_too_common'], bad);
    }
  });

  it('refuses passwords that contain the username, in any case', () => {
    assert.deepEqual(codes('Dr.Ada-likes-tea', 'dr.ada'), ['password_contains_username']);
    assert.deepEqual(codes('dr.ada.2024.xyz', 'dr.ada.2024.xyz'), ['password_contains_username']);
  });

  it('refuses common passwords and common stems with digits or symbols bolted on', () => {
    for (const bad of ['Password1234', 'P@ssw0rd2024!!', 'qwerty123456', 'Welcome-2025!!', 'correct horse battery staple']) {
      assert.ok(codes(bad).includes('password_too_common'), bad);
    }
  });

  it('assertPasswordPolicy throws a typed error naming the field', () => {
    assert.throws(
      () => assertPasswordPolicy('short', 'dr.ada'),
      (e: unknown) => e instanceof IdentityError && e.code === 'password_too_short' && e.field === 'password' && e.kind === 'invalid',
    );
  });
});
