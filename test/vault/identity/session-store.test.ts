// Sessions: opaque tokens, stored only as hashes, ended by idle time, absolute lifetime or revocation.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { SessionStore } from '../../../vault/identity/session-store.ts';
import type { Principal } from '../../../vault/identity/principal.ts';

const MIN = 60_000;
const ada: Principal = { accountId: 'acc_ada', username: 'dr.ada', kind: 'human', roles: ['clinician'] };
const bob: Principal = { accountId: 'acc_bob', username: 'bob', kind: 'human', roles: ['patient'], patientId: 'pat_1' };

function storeWithClock(options: { idleTimeoutMs?: number; absoluteLifetimeMs?: number } = {}) {
  const clock = { t: 1_700_000_000_000 };
  const store = new SessionStore({ ...options, now: () => clock.t });
  return { store, clock };
}

describe('SessionStore', () => {
  it('issues a 32-byte base64url token and returns the principal for it', () => {
    const { store } = storeWithClock();
    const { token } = store.create(bob);
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(store.authenticate(token), bob);
    assert.equal(store.authenticate(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`), null);
  });

  it('keeps only the SHA-256 of the token', () => {
    const { store } = storeWithClock();
    const { token } = store.create(ada);
    const dump = inspect(store, { depth: 10, showHidden: true });
    assert.ok(!dump.includes(token));
    assert.ok(dump.includes(createHash('sha256').update(token).digest('hex')));
  });

  it('ends a session idle for the idle timeout (default 15 min), and use slides the timer', () => {
    const { store, clock } = storeWithClock();
    const { token } = store.create(ada);
    clock.t += 14 * MIN;
    assert.ok(store.authenticate(token));
    clock.t += 14 * MIN; // 28 min after login, but only 14 since last use
    assert.ok(store.authenticate(token));
    clock.t += 15 * MIN;
    assert.equal(store.authenticate(token), null);
    clock.t -= 10 * MIN; // once ended it stays ended
    assert.equal(store.authenticate(token), null);
  });

  it('ends a session at its absolute lifetime (default 12 h) however active it is', () => {
    const { store, clock } = storeWithClock();
    const { token, expiresAt } = store.create(ada);
    assert.equal(expiresAt, clock.t + 12 * 60 * MIN);
    for (let i = 0; i < 12 * 6 - 1; i++) {
      clock.t += 10 * MIN;
      assert.ok(store.authenticate(token), `still alive after ${(i + 1) * 10} min`);
    }
    clock.t += 10 * MIN;
    assert.equal(store.authenticate(token), null);
  });

  it('takes both limits from options', () => {
    const { store, clock } = storeWithClock({ idleTimeoutMs: 1 * MIN, absoluteLifetimeMs: 3 * MIN });
    const a = store.create(ada).token;
    clock.t += 1 * MIN;
    assert.equal(store.authenticate(a), null);
    const b = store.create(ada).token;
    for (let i = 0; i < 5; i++) {
      clock.t += 30_000;
      assert.ok(store.authenticate(b));
    }
    clock.t += 30_000;
    assert.equal(store.authenticate(b), null);
    assert.throws(() => new SessionStore({ idleTimeoutMs: 0 }), RangeError);
  });

  it('refuses a revoked token, and revokeAll ends only that account', () => {
    const { store } = storeWithClock();
    const a1 = store.create(ada).token;
    const a2 = store.create(ada).token;
    const b1 = store.create(bob).token;
    assert.equal(store.revoke(a1), true);
    assert.equal(store.authenticate(a1), null);
    assert.equal(store.revoke(a1), false);
    assert.equal(store.revokeAll('acc_ada'), 1);
    assert.equal(store.authenticate(a2), null);
    assert.deepEqual(store.authenticate(b1), bob);
  });

  it('hands out copies, so a caller cannot change a session principal', () => {
    const { store } = storeWithClock();
    const { token } = store.create(ada);
    store.authenticate(token)!.roles.push('admin');
    assert.deepEqual(store.authenticate(token)!.roles, ['clinician']);
  });
});
