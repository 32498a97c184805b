// Decides, before any password is hashed, whether a login attempt may go ahead, and learns from
// its outcome. Keyed by the client (its network address) and the username as typed, whether or
// not an account has that name, so a refusal says nothing about which accounts exist.
//
//   global       at most `attemptsPerMinute` attempts for the whole service
//   client       at most `clientAttemptsPerMinute` attempts from one client, whatever the names
//                (enrolment code redemptions count here too: admitClient)
//   client+name  one attempt at a time; after the k-th consecutive failure a wait of
//                failureDelayMs * 2^(k-1); at `lockoutThreshold` failures this client is locked
//                out of this name for `lockoutMs` (and again after one more failure within the
//                hour): the real person, elsewhere, is not
//   name         once `accountFailuresPerHour` failures from all clients fall within an hour,
//                only clients that have not failed against the name in that hour are let try it:
//                a guess spread over many clients is slowed, the person's own client is not
//
// State lives in memory (a restart clears it) and is bounded: the oldest records are dropped
// when a table is full. Attempts that are refused do not count; only admitted ones do.
import { makeRoom, touch } from './bounded-map.ts';
import { SlidingWindow } from './sliding-window.ts';

export interface LoginThrottleLimits {
  attemptsPerMinute: number;
  clientAttemptsPerMinute: number;
  lockoutThreshold: number;
  lockoutMs: number;
  failureDelayMs: number;
  accountFailuresPerHour: number;
}

export const DEFAULT_THROTTLE_LIMITS: Readonly<LoginThrottleLimits> = Object.freeze({
  attemptsPerMinute: 300,
  clientAttemptsPerMinute: 20,
  lockoutThreshold: 5,
  lockoutMs: 15 * 60_000,
  failureDelayMs: 1_000,
  accountFailuresPerHour: 100,
});

/** Table sizes; the defaults hold a few tens of MB at most. */
export interface ThrottleCapacity {
  clients: number;
  pairs: number;
  accounts: number;
  /** distinct failed clients remembered per name; beyond it every client counts as failed */
  clientsPerAccount: number;
}

const DEFAULT_CAPACITY: ThrottleCapacity = { clients: 100_000, pairs: 100_000, accounts: 20_000, clientsPerAccount: 1_000 };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** what a second concurrent attempt of the same client and name is told to wait */
const IN_FLIGHT_RETRY_MS = 1_000;

export type ThrottleLimit = 'global' | 'client' | 'client_account_in_flight' | 'client_account_locked' | 'client_account_delay' | 'account';

export interface ThrottleRefusal {
  admitted: false;
  limit: ThrottleLimit;
  retryAfterMs: number;
  /** the first refusal by this limit since it last let an attempt through: worth an audit entry */
  engagedNow: boolean;
}

export type LoginOutcome = 'success' | 'failure' | 'not_evaluated';

export interface SettledAttempt {
  /** this failure locked the client out of the name */
  lockedNow: boolean;
  /** this failure brought the name to its hourly failure limit */
  accountLimitReachedNow: boolean;
}

export interface AdmittedAttempt {
  admitted: true;
  /** Reports the outcome; call once. `not_evaluated` (e.g. the hashing queue was full) counts nothing. */
  settle(outcome: LoginOutcome): SettledAttempt;
}

interface Engaging {
  refusing: boolean;
}

interface ClientRecord extends Engaging {
  attempts: SlidingWindow;
}

interface PairRecord extends Engaging {
  client: string;
  account: string;
  failures: number;
  lastFailureAt: number;
  nextAttemptAt: number;
  lockedUntil: number;
  inFlight: boolean;
}

interface AccountRecord extends Engaging {
  failures: SlidingWindow;
  /** client → time of its last failure against this name, oldest first */
  failedClients: Map<string, number>;
  inFlightFromFailed: number;
  /** the latest end of a client's lock on this name */
  lockedUntil: number;
}

export class LoginThrottle {
  private readonly limits: LoginThrottleLimits;
  private readonly capacity: ThrottleCapacity;
  private readonly global: ClientRecord;
  private readonly clients = new Map<string, ClientRecord>();
  private readonly pairs = new Map<string, PairRecord>();
  private readonly accounts = new Map<string, AccountRecord>();

  constructor(
    limits: Partial<LoginThrottleLimits> = {},
    private readonly now: () => number = Date.now,
    capacity: Partial<ThrottleCapacity> = {},
  ) {
    this.limits = { ...DEFAULT_THROTTLE_LIMITS, ...limits };
    this.capacity = { ...DEFAULT_CAPACITY, ...capacity };
    checkLimits(this.limits);
    this.global = { attempts: new SlidingWindow(this.limits.attemptsPerMinute, MINUTE), refusing: false };
  }

  /** Asks to try `username` (normalised) from `client`. */
  admit(client: string, username: string): AdmittedAttempt | ThrottleRefusal {
    const now = this.now();
    const pairKey = `${client}\u0000${username}`;
    const known = this.livePair(pairKey, now);
    const account = this.accounts.get(username);
    const failedBefore = account !== undefined && this.hasFailed(account, client, now);
    const clientRecord = this.clients.get(client);

    const refusal =
      refuseIf(this.global, this.global.attempts.msUntilRoom(now), 'global') ??
      (clientRecord ? refuseIf(clientRecord, clientRecord.attempts.msUntilRoom(now), 'client') : undefined) ??
      (known ? this.pairRefusal(known, now) : undefined) ??
      (account && failedBefore ? refuseIf(account, this.accountWait(account, now), 'account') : undefined);
    if (refusal) return refusal;

    this.global.attempts.add(now);
    this.global.refusing = false;
    this.countClientAttempt(client, clientRecord, now);
    const pair = known ?? this.newPairRecord(pairKey, client, username, now);
    pair.refusing = false;
    pair.inFlight = true;
    if (account && failedBefore) {
      account.refusing = false;
      account.inFlightFromFailed++;
    }
    let settled = false;
    return {
      admitted: true,
      settle: (outcome) => {
        if (settled) throw new Error('a login attempt is settled once');
        settled = true;
        return this.settle(pairKey, pair, failedBefore, outcome);
      },
    };
  }

  /**
   * Asks for another kind of unauthenticated attempt from `client` (redeeming an enrolment code):
   * it counts against, and is refused by, the per-minute limit the client's logins share.
   */
  admitClient(client: string): ThrottleRefusal | undefined {
    const now = this.now();
    const record = this.clients.get(client);
    const refusal = record ? refuseIf(record, record.attempts.msUntilRoom(now), 'client') : undefined;
    if (!refusal) this.countClientAttempt(client, record, now);
    return refusal;
  }

  /** Forgets every failure and lock recorded against `username`, from every client. */
  unlock(username: string): void {
    this.accounts.delete(username);
    for (const [key, pair] of this.pairs) {
      if (pair.account !== username) continue;
      if (!pair.inFlight) this.pairs.delete(key);
      else Object.assign(pair, { failures: 0, lastFailureAt: 0, nextAttemptAt: 0, lockedUntil: 0 }); // its outcome still settles
    }
  }

  /** True while some client is locked out of `username`, or the name is at its hourly failure limit. */
  isLocked(username: string): boolean {
    const account = this.accounts.get(username);
    if (!account) return false;
    const now = this.now();
    return account.lockedUntil > now || account.failures.isFull(now);
  }

  private settle(pairKey: string, pair: PairRecord, failedBefore: boolean, outcome: LoginOutcome): SettledAttempt {
    const now = this.now();
    pair.inFlight = false;
    const account = this.accounts.get(pair.account);
    if (account && failedBefore) account.inFlightFromFailed = Math.max(0, account.inFlightFromFailed - 1);
    const none = { lockedNow: false, accountLimitReachedNow: false };
    if (outcome === 'success') {
      this.pairs.delete(pairKey);
      account?.failedClients.delete(pair.client);
      return none;
    }
    if (outcome === 'not_evaluated') {
      if (pair.failures === 0) this.pairs.delete(pairKey);
      return none;
    }
    pair.failures++;
    pair.lastFailureAt = now;
    const lockedNow = pair.failures >= this.limits.lockoutThreshold;
    if (lockedNow) pair.lockedUntil = now + this.limits.lockoutMs;
    else pair.nextAttemptAt = now + this.limits.failureDelayMs * 2 ** (pair.failures - 1);
    touch(this.pairs, pairKey, pair);
    const record = account ?? this.newAccountRecord(pair.account);
    const wasFull = record.failures.isFull(now);
    record.failures.add(now);
    touch(record.failedClients, pair.client, now);
    if (lockedNow) record.lockedUntil = Math.max(record.lockedUntil, pair.lockedUntil);
    return { lockedNow, accountLimitReachedNow: !wasFull && record.failures.isFull(now) };
  }

  /** How long a client that has failed against the name must wait; 0 if it may try now. */
  private accountWait(account: AccountRecord, now: number): number {
    const wait = account.failures.msUntilRoom(now);
    if (wait > 0) return wait;
    return account.failures.count(now) + account.inFlightFromFailed >= this.limits.accountFailuresPerHour ? IN_FLIGHT_RETRY_MS : 0;
  }

  private hasFailed(account: AccountRecord, client: string, now: number): boolean {
    for (const [key, at] of account.failedClients) {
      if (at > now - HOUR) break;
      account.failedClients.delete(key);
    }
    return account.failedClients.size >= this.capacity.clientsPerAccount || account.failedClients.has(client);
  }

  private pairRefusal(pair: PairRecord, now: number): ThrottleRefusal | undefined {
    return (
      refuseIf(pair, pair.inFlight ? IN_FLIGHT_RETRY_MS : 0, 'client_account_in_flight') ??
      refuseIf(pair, pair.lockedUntil - now, 'client_account_locked') ??
      refuseIf(pair, pair.nextAttemptAt - now, 'client_account_delay')
    );
  }

  private countClientAttempt(client: string, known: ClientRecord | undefined, now: number): void {
    const record = known ?? this.newClientRecord(now);
    record.attempts.add(now);
    record.refusing = false;
    touch(this.clients, client, record);
  }

  private newClientRecord(now: number): ClientRecord {
    makeRoom(this.clients, this.capacity.clients, (r) => r.attempts.isEmpty(now), () => false);
    return { attempts: new SlidingWindow(this.limits.clientAttemptsPerMinute, MINUTE), refusing: false };
  }

  /** The record of this client and name, unless it has gone stale (then it is dropped). */
  private livePair(key: string, now: number): PairRecord | undefined {
    const record = this.pairs.get(key);
    if (record && this.pairIsStale(record, now)) {
      this.pairs.delete(key);
      return undefined;
    }
    return record;
  }

  private newPairRecord(key: string, client: string, account: string, now: number): PairRecord {
    makeRoom(this.pairs, this.capacity.pairs, (r) => this.pairIsStale(r, now), (r) => r.inFlight);
    const record: PairRecord = { client, account, failures: 0, lastFailureAt: 0, nextAttemptAt: 0, lockedUntil: 0, inFlight: false, refusing: false };
    this.pairs.set(key, record);
    return record;
  }

  /** Consecutive failures are forgotten an hour after the last one, once no lock is running. */
  private pairIsStale(pair: PairRecord, now: number): boolean {
    return !pair.inFlight && pair.lockedUntil <= now && pair.lastFailureAt <= now - HOUR;
  }

  private newAccountRecord(username: string): AccountRecord {
    const now = this.now();
    makeRoom(this.accounts, this.capacity.accounts, (r) => r.failures.isEmpty(now) && r.lockedUntil <= now, (r) => r.inFlightFromFailed > 0);
    const record: AccountRecord = {
      failures: new SlidingWindow(this.limits.accountFailuresPerHour, HOUR),
      failedClients: new Map(),
      inFlightFromFailed: 0,
      lockedUntil: 0,
      refusing: false,
    };
    this.accounts.set(username, record);
    return record;
  }
}

function refuseIf(record: Engaging, waitMs: number, limit: ThrottleLimit): ThrottleRefusal | undefined {
  if (waitMs <= 0) return undefined;
  const engagedNow = !record.refusing;
  record.refusing = true;
  return { admitted: false, limit, retryAfterMs: Math.ceil(waitMs), engagedNow };
}

function checkLimits(limits: LoginThrottleLimits): void {
  for (const name of ['attemptsPerMinute', 'clientAttemptsPerMinute', 'lockoutThreshold', 'accountFailuresPerHour'] as const) {
    if (!Number.isInteger(limits[name]) || limits[name] < 1) throw new RangeError(`${name} must be a positive integer`);
  }
  if (!(limits.lockoutMs > 0)) throw new RangeError('lockoutMs must be positive');
  if (!(limits.failureDelayMs >= 0)) throw new RangeError('failureDelayMs must not be negative');
}
