// The AAD of a sealed object binds vault, object id, version, key id and length. Each test edits
// one plaintext header field to what the reader expects, so the header checks pass and only the
// AAD can refuse the object; each fails if that field is left out of the AAD.
import { strict as assert } from 'node:assert';
import { newKey } from '../../../vault/crypto/aead.ts';
import { openObject, readSealedHeader, sealObject, SealedObjectError, type SealedHeader } from '../../../vault/crypto/sealed-object.ts';
import { editSealedHeader } from '../../helpers/edit-sealed-header.ts';

const VAULT = 'v_0123456789abcdef';
const HEADER = { objectId: 'p_objecta', version: 3, keyId: 's_sample1' };
const PLAINTEXT = Buffer.from('the sealed payload, long enough to be cut short: 0123456789abcdef');

const refusedAsTampered = (e: unknown) => e instanceof SealedObjectError && e.failure === 'tampered' && e.message.startsWith('obj.gvs: ');

describe('sealed objects: what the AAD binds', () => {
  const key = newKey();
  const sealed = sealObject(key, VAULT, HEADER, PLAINTEXT);
  const open = (bytes: Uint8Array, expected: Omit<SealedHeader, 'length'>, vaultId = VAULT) => openObject(key, vaultId, expected, bytes, 'obj.gvs');

  it('opens an object whose header was rewritten without change (the edit itself is harmless)', () => {
    const same = editSealedHeader(sealed, (h) => h);
    assert.deepEqual(readSealedHeader(same, 'x').header, { ...HEADER, length: PLAINTEXT.length });
    assert.deepEqual(open(same, HEADER), PLAINTEXT);
  });

  it('refuses an object whose header claims another version (a rollback with the version edited)', () => {
    const edited = editSealedHeader(sealed, (h) => ({ ...h, version: 4 }));
    assert.throws(() => open(edited, { ...HEADER, version: 4 }), refusedAsTampered);
  });

  it('refuses an object whose header claims another object id (a swap with the id edited)', () => {
    const edited = editSealedHeader(sealed, (h) => ({ ...h, objectId: 'p_objectb' }));
    assert.throws(() => open(edited, { ...HEADER, objectId: 'p_objectb' }), refusedAsTampered);
  });

  it('refuses an object whose header claims another key id, even under the same key', () => {
    const edited = editSealedHeader(sealed, (h) => ({ ...h, keyId: 's_sample2' }));
    assert.throws(() => open(edited, { ...HEADER, keyId: 's_sample2' }), refusedAsTampered);
  });

  it('refuses an object from another vault sealed under the same key (the header holds no vault id)', () => {
    assert.throws(() => open(sealed, HEADER, 'v_fedcba9876543210'), refusedAsTampered);
  });

  it('refuses an object whose header claims a shorter length', () => {
    const edited = editSealedHeader(sealed, (h) => ({ ...h, length: h.length - 10 }));
    assert.throws(() => open(edited, HEADER), refusedAsTampered);
  });
});
