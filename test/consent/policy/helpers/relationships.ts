// An in-memory RelationshipFacts, as the vault's stores would answer it: care teams, proxies,
// patients' own accounts and time-boxed break-glass grants against a clock the test moves.
import type { RelationshipFacts } from '../../../../consent/policy/relationship-facts.ts';

const pair = (userId: string, patientId: string): string => JSON.stringify([userId, patientId]);

export class InMemoryRelationships implements RelationshipFacts {
  private readonly careTeams = new Set<string>();
  private readonly proxies = new Set<string>();
  private readonly ownAccounts = new Set<string>();
  private readonly grants = new Map<string, number>();
  /** how many times each question was asked, to prove facts are looked up per request */
  lookups = 0;
  nowMs = Date.UTC(2026, 0, 1);

  addToCareTeam(userId: string, patientId: string): this {
    this.careTeams.add(pair(userId, patientId));
    return this;
  }
  removeFromCareTeam(userId: string, patientId: string): this {
    this.careTeams.delete(pair(userId, patientId));
    return this;
  }
  setProxy(userId: string, patientId: string): this {
    this.proxies.add(pair(userId, patientId));
    return this;
  }
  setOwnAccount(userId: string, patientId: string): this {
    this.ownAccounts.add(pair(userId, patientId));
    return this;
  }
  grantBreakGlass(userId: string, patientId: string, durationMs = 3_600_000): this {
    this.grants.set(pair(userId, patientId), this.nowMs + durationMs);
    return this;
  }
  revokeBreakGlass(userId: string, patientId: string): this {
    this.grants.delete(pair(userId, patientId));
    return this;
  }

  isOnCareTeam(userId: string, patientId: string): Promise<boolean> {
    return this.answer(this.careTeams.has(pair(userId, patientId)));
  }
  hasActiveBreakGlass(userId: string, patientId: string): Promise<boolean> {
    const expiresAt = this.grants.get(pair(userId, patientId));
    return this.answer(expiresAt !== undefined && this.nowMs < expiresAt);
  }
  isSelf(userId: string, patientId: string): Promise<boolean> {
    return this.answer(this.ownAccounts.has(pair(userId, patientId)));
  }
  isProxyFor(userId: string, patientId: string): Promise<boolean> {
    return this.answer(this.proxies.has(pair(userId, patientId)));
  }

  private async answer(value: boolean): Promise<boolean> {
    this.lookups += 1;
    await Promise.resolve(); // answer asynchronously, as a real store would
    return value;
  }
}
