// The login throttle on its own, with an injected clock: each limit refuses with a wait that
// lets the next attempt through, failures lock one client out of one name and nobody else,
// a guess spread over many clients is held to the hourly limit, and (property tests) no
// interleaving of clients, names, outcomes and time gets more through than the limits allow.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { AdmittedAttempt, LoginOutcome, LoginThrottleLimits, ThrottleRefusal } from '../../../vault/identity/login-throttle.ts';
import { DEFAULT_THROTTLE_LIMITS, LoginThrottle } from '../../../vault/identity/login-throttle.ts';

const SEC = 1_000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;

function throttleAt(limits: Partial<LoginThrottleLimits> = {}, capacity = {}) {
  const clock = { t: Date.UTC(2026, 0, 5, 8) };
  const throttle = new LoginThrottle(limits, () => clock.t, capacity);
  const admitted = (client: string, name: string): AdmittedAttempt => {
    const r = throttle.admit(client, name);
    if (!r.admitted) assert.fail(`expected ${client} to be let try ${name}, refused by ${r.limit}`);
    return r;
  };
  const refused = (client: string, name: string): ThrottleRefusal => {
    const r = throttle.admit(client, name);
    if (r.admitted) assert.fail(`expected ${client} to be refused for ${name}`);
    return r;
  };
  const fail = (client: string, name: string) => admitted(client, name).settle('failure');
  return { clock, throttle, admitted, refused, fail };
}

describe('LoginThrottle', () => {
  it('has the documented defaults', () => {
    assert.deepEqual(DEFAULT_THROTTLE_LIMITS, {
      attemptsPerMinute: 300,
      clientAttemptsPerMinute: 20,
      lockoutThreshold: 5,
      lockoutMs: 15 * MIN,
      failureDelayMs: SEC,
      accountFailuresPerHour: 100,
    });
  });

  it('makes a client wait 1, 2, 4, 8 s after consecutive failures, then locks it out of that name for the lockout period', () => {
    const { clock, refused, fail, admitted } = throttleAt();
    for (const wait of [1, 2, 4, 8]) {
      assert.deepEqual(fail('10.0.0.1', 'dr.ada'), { lockedNow: false, accountLimitReachedNow: false });
      const early = refused('10.0.0.1', 'dr.ada');
      assert.deepEqual([early.limit, early.retryAfterMs], ['client_account_delay', wait * SEC]);
      clock.t += wait * SEC - 1;
      assert.equal(refused('10.0.0.1', 'dr.ada').engagedNow, false, 'one engagement per wait, not one per refusal');
      clock.t += 1;
    }
    assert.deepEqual(fail('10.0.0.1', 'dr.ada'), { lockedNow: true, accountLimitReachedNow: false });
    const locked = refused('10.0.0.1', 'dr.ada');
    assert.deepEqual([locked.limit, locked.retryAfterMs, locked.engagedNow], ['client_account_locked', 15 * MIN, true]);
    clock.t += 15 * MIN;
    admitted('10.0.0.1', 'dr.ada').settle('success');
    admitted('10.0.0.1', 'dr.ada').settle('failure'); // a success started the count afresh: no lock
    assert.equal(refused('10.0.0.1', 'dr.ada').limit, 'client_account_delay');
  });

  it('locks only the failing client out: the same name from another client, and other names from it, go ahead', () => {
    const { clock, refused, fail, admitted, throttle } = throttleAt();
    for (let i = 0; i < 5; i++) {
      fail('10.0.0.66', 'dr.ada');
      clock.t += 10 * SEC;
    }
    assert.equal(refused('10.0.0.66', 'dr.ada').limit, 'client_account_locked');
    assert.equal(throttle.isLocked('dr.ada'), true, 'the account shows as locked to admins');
    admitted('10.0.0.7', 'dr.ada').settle('success');
    admitted('10.0.0.66', 'dr.bob').settle('success');
  });

  it('re-locks a client after one more failure within the hour once its lock has ended', () => {
    const { clock, refused, fail } = throttleAt();
    for (let i = 0; i < 5; i++) {
      fail('10.0.0.66', 'dr.ada');
      clock.t += 10 * SEC;
    }
    clock.t += 15 * MIN;
    assert.deepEqual(fail('10.0.0.66', 'dr.ada'), { lockedNow: true, accountLimitReachedNow: false });
    assert.equal(refused('10.0.0.66', 'dr.ada').limit, 'client_account_locked');
    clock.t += HOUR + 15 * MIN; // an hour after the last failure the count is forgotten
    assert.deepEqual(fail('10.0.0.66', 'dr.ada'), { lockedNow: false, accountLimitReachedNow: false });
  });

  it('lets one attempt at a time run for a client and name, whatever the outcome takes', () => {
    const { refused, admitted } = throttleAt();
    const first = admitted('10.0.0.1', 'dr.ada');
    const second = refused('10.0.0.1', 'dr.ada');
    assert.deepEqual([second.limit, second.retryAfterMs], ['client_account_in_flight', SEC]);
    admitted('10.0.0.2', 'dr.ada').settle('not_evaluated');
    first.settle('not_evaluated');
    admitted('10.0.0.1', 'dr.ada').settle('success');
    assert.throws(() => first.settle('success'), /settled once/);
  });

  it('counts every attempt of a client, under any names, against its per-minute limit', () => {
    const { clock, refused, admitted } = throttleAt({ clientAttemptsPerMinute: 3 });
    for (let i = 0; i < 3; i++) {
      admitted('10.0.0.1', `user.${i}`).settle('failure');
      clock.t += 10 * SEC;
    }
    const r = refused('10.0.0.1', 'user.9');
    assert.deepEqual([r.limit, r.retryAfterMs], ['client', 30 * SEC], 'room again when the first attempt leaves the window');
    admitted('10.0.0.2', 'user.9').settle('success');
    clock.t += 30 * SEC;
    admitted('10.0.0.1', 'user.9').settle('success');
  });

  it('caps attempts for the whole service per minute', () => {
    const { clock, refused, admitted } = throttleAt({ attemptsPerMinute: 4 });
    for (let i = 0; i < 4; i++) admitted(`10.0.1.${i}`, `user.${i}`).settle('failure');
    const r = refused('10.0.2.1', 'dr.ada');
    assert.deepEqual([r.limit, r.retryAfterMs, r.engagedNow], ['global', MIN, true]);
    assert.equal(refused('10.0.2.2', 'dr.bob').engagedNow, false);
    clock.t += MIN;
    admitted('10.0.2.1', 'dr.ada').settle('success');
  });

  it('holds a guess spread over many clients to the hourly limit per name, and still lets a client that has not failed try', () => {
    const { clock, refused, fail, admitted, throttle } = throttleAt({ accountFailuresPerHour: 6 });
    const attackers = ['10.9.0.1', '10.9.0.2', '10.9.0.3'];
    let reached = 0;
    for (let round = 0; round < 2; round++) {
      for (const a of attackers) if (fail(a, 'dr.ada').accountLimitReachedNow) reached++;
      clock.t += 30 * SEC;
    }
    assert.equal(reached, 1, 'the sixth failure reaches the limit, and says so once');
    assert.equal(throttle.isLocked('dr.ada'), true);
    for (const a of attackers) {
      const r = refused(a, 'dr.ada');
      assert.equal(r.limit, 'account', `${a} has failed against the name: held back although under its own limits`);
      assert.ok(r.retryAfterMs > 58 * MIN && r.retryAfterMs <= HOUR);
    }
    // the person, from their own client: let through, and a success clears nothing for the attackers
    admitted('10.1.1.1', 'dr.ada').settle('success');
    assert.equal(refused('10.9.0.1', 'dr.ada').limit, 'account');
    // a fresh attacker client gets one try, then is held back like the others
    fail('10.9.0.4', 'dr.ada');
    clock.t += 10 * SEC;
    assert.equal(refused('10.9.0.4', 'dr.ada').limit, 'account');
    clock.t += HOUR;
    admitted('10.9.0.1', 'dr.ada').settle('failure');
  });

  it('treats every client as having failed once a name has failed from too many clients to remember', () => {
    const { clock, refused, fail } = throttleAt({ accountFailuresPerHour: 2 }, { clientsPerAccount: 3 });
    for (const a of ['10.9.0.1', '10.9.0.2', '10.9.0.3']) fail(a, 'dr.ada');
    clock.t += 10 * SEC;
    assert.equal(refused('10.1.1.1', 'dr.ada').limit, 'account');
  });

  it('unlock forgets every failure and lock against the name, from every client', () => {
    const { clock, refused, fail, admitted, throttle } = throttleAt({ accountFailuresPerHour: 6 });
    for (let i = 0; i < 5; i++) {
      fail('10.0.0.66', 'dr.ada');
      clock.t += 10 * SEC;
    }
    fail('10.0.0.67', 'dr.ada');
    const inFlight = admitted('10.0.0.68', 'dr.ada');
    assert.equal(refused('10.0.0.66', 'dr.ada').limit, 'client_account_locked');
    throttle.unlock('dr.ada');
    assert.equal(throttle.isLocked('dr.ada'), false);
    admitted('10.0.0.66', 'dr.ada').settle('success');
    admitted('10.0.0.67', 'dr.ada').settle('success');
    assert.deepEqual(inFlight.settle('failure'), { lockedNow: false, accountLimitReachedNow: false });
  });

  it('keeps its tables bounded, dropping expired records first', () => {
    const { clock, admitted, refused } = throttleAt({ attemptsPerMinute: 100_000, clientAttemptsPerMinute: 1 }, { clients: 10, pairs: 10, accounts: 10 });
    admitted('10.0.0.1', 'dr.ada').settle('failure');
    assert.equal(refused('10.0.0.1', 'dr.bob').limit, 'client');
    for (let i = 0; i < 50; i++) admitted(`10.0.1.${i}`, `user.${i}`).settle('failure');
    // the oldest records made room for the newest: this client's record was dropped
    admitted('10.0.0.1', 'dr.bob').settle('success');
    clock.t += 2 * HOUR;
    for (let i = 0; i < 50; i++) admitted(`10.0.2.${i}`, `user.${i}`).settle('success');
  });

  describe('for every interleaving (property)', () => {
    const limits: LoginThrottleLimits = { attemptsPerMinute: 12, clientAttemptsPerMinute: 5, lockoutThreshold: 3, lockoutMs: 10 * MIN, failureDelayMs: 2 * SEC, accountFailuresPerHour: 4 };
    const step = fc.record({
      client: fc.integer({ min: 0, max: 3 }),
      name: fc.integer({ min: 0, max: 1 }),
      outcome: fc.constantFrom<LoginOutcome>('failure', 'failure', 'failure', 'success', 'not_evaluated'),
      /** how many earlier admitted attempts to settle before this one (0 often, so attempts overlap) */
      settleFirst: fc.constantFrom(0, 0, 0, 1, 2, 3),
      advanceMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 10 * SEC }), fc.integer({ min: 0, max: 20 * MIN })),
    });

    interface Admission {
      at: number;
      client: number;
      name: number;
    }
    type Step = { client: number; name: number; outcome: LoginOutcome; settleFirst: number; advanceMs: number };

    /**
     * Plays the steps and checks, at every admission, what must hold at that moment: no other
     * attempt of the same client and name is running, and a client that has failed against the
     * name within the hour is let in only while the name's failures in that hour, plus the
     * attempts of such clients still running, are below the hourly limit.
     */
    function run(steps: Step[]) {
      const clock = { t: 0 };
      const throttle = new LoginThrottle(limits, () => clock.t);
      const admissions: Admission[] = [];
      const failures: Admission[] = [];
      const open: { ticket: AdmittedAttempt; admission: Admission; outcome: LoginOutcome; failedBefore: boolean }[] = [];
      const lastFailure = new Map<string, number>();
      const settle = () => {
        const next = open.shift()!;
        next.ticket.settle(next.outcome);
        const key = `${next.admission.client}/${next.admission.name}`;
        if (next.outcome === 'failure') {
          failures.push({ ...next.admission, at: clock.t });
          lastFailure.set(key, clock.t);
        }
        if (next.outcome === 'success') lastFailure.delete(key);
      };
      for (const s of steps) {
        clock.t += s.advanceMs;
        for (let i = 0; i < s.settleFirst && open.length > 0; i++) settle();
        const r = throttle.admit(`10.0.0.${s.client}`, `user.${s.name}`);
        if (!r.admitted) {
          assert.ok(r.retryAfterMs >= 1, 'a refusal always says how long to wait');
          continue;
        }
        const admission = { at: clock.t, client: s.client, name: s.name };
        const running = open.filter((o) => o.admission.name === s.name);
        assert.ok(!running.some((o) => o.admission.client === s.client), 'one attempt at a time per client and name');
        const previous = lastFailure.get(`${s.client}/${s.name}`);
        const failedBefore = previous !== undefined && previous > clock.t - HOUR;
        if (failedBefore) {
          const inHour = failures.filter((f) => f.name === s.name && f.at > clock.t - HOUR).length;
          const runningFailedBefore = running.filter((o) => o.failedBefore).length;
          assert.ok(inHour + runningFailedBefore < limits.accountFailuresPerHour, `name ${s.name}: ${inHour} failures in the hour, ${runningFailedBefore} running`);
        }
        admissions.push(admission);
        open.push({ ticket: r, admission, outcome: s.outcome, failedBefore });
      }
      while (open.length > 0) settle();
      return { admissions, failures };
    }

    /** The most of `times` inside any window (start, start + windowMs]. */
    function busiestWindow(times: number[], windowMs: number): number {
      const sorted = [...times].sort((a, b) => a - b);
      let most = 0;
      for (let i = 0, j = 0; j < sorted.length; j++) {
        while (sorted[i]! <= sorted[j]! - windowMs) i++;
        most = Math.max(most, j - i + 1);
      }
      return most;
    }

    const steps = fc.array(step, { minLength: 1, maxLength: 150 });

    it('never admits more than the per-client or global limit in any minute', () => {
      fc.assert(
        fc.property(steps, (s) => {
          const { admissions } = run(s);
          assert.ok(busiestWindow(admissions.map((a) => a.at), MIN) <= limits.attemptsPerMinute);
          for (let c = 0; c <= 3; c++) {
            assert.ok(busiestWindow(admissions.filter((a) => a.client === c).map((a) => a.at), MIN) <= limits.clientAttemptsPerMinute, `client ${c}`);
          }
        }),
        { numRuns: 500 },
      );
    });

    it('never lets a client fail against a name more than the lockout threshold within a lockout period without a success', () => {
      fc.assert(
        fc.property(steps, (s) => {
          const { failures } = run(s.map((x) => ({ ...x, outcome: x.outcome === 'success' ? 'failure' : x.outcome })));
          for (let c = 0; c <= 3; c++) {
            for (let n = 0; n <= 1; n++) {
              const times = failures.filter((f) => f.client === c && f.name === n).map((f) => f.at);
              assert.ok(busiestWindow(times, limits.lockoutMs) <= limits.lockoutThreshold, `client ${c}, name ${n}: ${times.join(',')}`);
            }
          }
        }),
        { numRuns: 500 },
      );
    });

    it('runs one attempt at a time per client and name, and holds clients that failed against a name to its hourly limit', () => {
      fc.assert(
        fc.property(steps, (s) => void run(s)),
        { numRuns: 500 },
      );
    });
  });
});
