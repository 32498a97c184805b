// Interactive sessions, in memory only (a restart logs everyone out, which is acceptable and
// keeps live credentials off the disk). The caller gets the token once; the store keeps only its
// SHA-256. A session ends after idle time without use or at its absolute lifetime, whichever
// comes first.
import { hashToken, newSessionToken } from './opaque-token.ts';
import type { Principal } from './principal.ts';

export const DEFAULT_IDLE_TIMEOUT_MS = 15 * 60_000;
export const DEFAULT_ABSOLUTE_LIFETIME_MS = 12 * 60 * 60_000;
/** how often expired sessions are swept out, at most */
const SWEEP_INTERVAL_MS = 60_000;

export interface SessionStoreOptions {
  idleTimeoutMs?: number;
  absoluteLifetimeMs?: number;
  /** the clock, epoch ms; tests inject one to move time */
  now?: () => number;
}

interface Session {
  principal: Principal;
  createdAt: number;
  lastUsedAt: number;
}

export interface NewSession {
  /** the bearer token; shown once, never stored */
  token: string;
  /** when the session ends at the latest (absolute lifetime), epoch ms */
  expiresAt: number;
}

export class SessionStore {
  readonly idleTimeoutMs: number;
  readonly absoluteLifetimeMs: number;
  private readonly now: () => number;
  private readonly sessions = new Map<string, Session>();
  private lastSweep = 0;

  constructor(options: SessionStoreOptions = {}) {
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.absoluteLifetimeMs = options.absoluteLifetimeMs ?? DEFAULT_ABSOLUTE_LIFETIME_MS;
    this.now = options.now ?? Date.now;
    for (const [name, value] of [['idleTimeoutMs', this.idleTimeoutMs], ['absoluteLifetimeMs', this.absoluteLifetimeMs]] as const) {
      if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number of milliseconds`);
    }
  }

  create(principal: Principal): NewSession {
    const now = this.now();
    this.sweep(now);
    const token = newSessionToken();
    this.sessions.set(hashToken(token), { principal: { ...principal, roles: [...principal.roles] }, createdAt: now, lastUsedAt: now });
    return { token, expiresAt: now + this.absoluteLifetimeMs };
  }

  /** The session's principal, or null if unknown, idle too long or too old; use slides the idle timer. */
  authenticate(token: string, now: number = this.now()): Principal | null {
    const key = hashToken(token);
    const session = this.sessions.get(key);
    if (!session) return null;
    if (this.expired(session, now)) {
      this.sessions.delete(key);
      return null;
    }
    session.lastUsedAt = Math.max(session.lastUsedAt, now);
    return { ...session.principal, roles: [...session.principal.roles] };
  }

  /** Ends one session; true if it existed. */
  revoke(token: string): boolean {
    return this.sessions.delete(hashToken(token));
  }

  /** Ends every session of an account (password change, disable); returns how many. */
  revokeAll(accountId: string): number {
    let count = 0;
    for (const [key, session] of this.sessions) {
      if (session.principal.accountId === accountId) {
        this.sessions.delete(key);
        count++;
      }
    }
    return count;
  }

  /** Live sessions (expired ones may linger until the next sweep). */
  get size(): number {
    return this.sessions.size;
  }

  private expired(session: Session, now: number): boolean {
    return now - session.lastUsedAt >= this.idleTimeoutMs || now - session.createdAt >= this.absoluteLifetimeMs;
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = now;
    for (const [key, session] of this.sessions) if (this.expired(session, now)) this.sessions.delete(key);
  }
}
