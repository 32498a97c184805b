// The clinical side of the vault: patient records (with history), care teams, proxies and
// break-glass grants, all appended to a sealed event log and replayed into memory at start.
import type { SealedAppendLog, LogEntry } from '../log/sealed-append-log.ts';
import type { PatientRecord, PatientRecordInput, PatientRecordUpdate } from '../../schemas/clinical.ts';
import type { ClinicalEvent, LinkProof } from './clinical-events.ts';
import type { RelativeRelationship } from '../../schemas/enrolment.ts';
import { randomId } from '../store/ids.ts';

export interface BreakGlassGrant {
  grantId: string;
  patientId: string;
  userId: string;
  reason: string;
  grantedAt: string;
  expiresAt: string;
}

const pairKey = (userId: string, patientId: string) => `${userId}\u0000${patientId}`;

export class ClinicalStore {
  private readonly records = new Map<string, PatientRecord>();
  private readonly history = new Map<string, PatientRecord[]>();
  private readonly careTeam = new Set<string>();
  /** proxy links by (account, patient), with when each was made */
  private readonly proxies = new Map<string, string>();
  private readonly relatives = new Map<string, RelativeRelationship>();
  private readonly grants: BreakGlassGrant[] = [];

  private applied = 0;

  private constructor(private readonly log: SealedAppendLog<ClinicalEvent>) {}

  /** How many events are applied: changes with every change to a record, team or link (a reader's cache key). */
  get revision(): number {
    return this.applied;
  }

  static async open(log: SealedAppendLog<ClinicalEvent>): Promise<ClinicalStore> {
    const store = new ClinicalStore(log);
    for await (const entry of log.entries()) store.apply(entry);
    return store;
  }

  private apply(entry: LogEntry<ClinicalEvent>): void {
    const e = entry.body;
    this.applied++;
    switch (e.type) {
      case 'patient.recorded': {
        const previous = this.records.get(e.patientId);
        const record: PatientRecord = { ...e.record, patientId: e.patientId, version: (previous?.version ?? 0) + 1, updatedAt: entry.at, updatedBy: e.actorId };
        this.records.set(e.patientId, record);
        this.history.set(e.patientId, [...(this.history.get(e.patientId) ?? []), record]);
        break;
      }
      case 'care_team.added':
        this.careTeam.add(pairKey(e.userId, e.patientId));
        break;
      case 'care_team.removed':
        this.careTeam.delete(pairKey(e.userId, e.patientId));
        break;
      case 'proxy.linked':
        this.proxies.set(pairKey(e.userId, e.patientId), entry.at);
        break;
      case 'proxy.unlinked':
        this.proxies.delete(pairKey(e.userId, e.patientId));
        break;
      case 'relative.linked':
        this.relatives.set(pairKey(e.userId, e.patientId), e.relationship);
        break;
      case 'break_glass.granted':
        this.grants.push({ grantId: e.grantId, patientId: e.patientId, userId: e.userId, reason: e.reason, grantedAt: entry.at, expiresAt: e.expiresAt });
        break;
    }
  }

  private async append(event: ClinicalEvent): Promise<void> {
    this.apply(await this.log.append(event));
  }

  async recordPatient(patientId: string, input: PatientRecordInput, actorId: string): Promise<PatientRecord> {
    await this.append({ type: 'patient.recorded', patientId, record: input, actorId });
    return this.get(patientId)!;
  }

  async updatePatient(patientId: string, update: PatientRecordUpdate, actorId: string): Promise<PatientRecord | undefined> {
    const current = this.records.get(patientId);
    if (!current) return undefined;
    const { patientId: _p, version: _v, updatedAt: _a, updatedBy: _b, ...input } = current;
    // only the fields given change; a field present but undefined is not a change
    const given = Object.fromEntries(Object.entries(update).filter(([, value]) => value !== undefined));
    return this.recordPatient(patientId, { ...input, ...given, mrn: current.mrn }, actorId);
  }

  get(patientId: string): PatientRecord | undefined {
    return this.records.get(patientId);
  }

  recordHistory(patientId: string): PatientRecord[] {
    return [...(this.history.get(patientId) ?? [])];
  }

  patientIdByMrn(mrn: string): string | undefined {
    for (const r of this.records.values()) if (r.mrn === mrn) return r.patientId;
    return undefined;
  }

  async setCareTeam(patientId: string, userId: string, member: boolean, actorId: string): Promise<void> {
    await this.append({ type: member ? 'care_team.added' : 'care_team.removed', patientId, userId, actorId });
  }

  /** Records a proxy proven by a patient enrolment. */
  async linkProxy(patientId: string, userId: string, actorId: string, proof: LinkProof): Promise<void> {
    await this.append({ type: 'proxy.linked', patientId, userId, actorId, proof });
  }

  async unlinkProxy(patientId: string, userId: string, actorId: string): Promise<void> {
    await this.append({ type: 'proxy.unlinked', patientId, userId, actorId });
  }

  /** Records a relative proven by a patient enrolment (no access follows from it). */
  async linkRelative(patientId: string, userId: string, actorId: string, relationship: RelativeRelationship, proof: LinkProof): Promise<void> {
    await this.append({ type: 'relative.linked', patientId, userId, actorId, relationship, proof });
  }

  async grantBreakGlass(patientId: string, userId: string, reason: string, durationMs: number, now: number): Promise<BreakGlassGrant> {
    const grantId = randomId('bg');
    await this.append({ type: 'break_glass.granted', grantId, patientId, userId, reason, expiresAt: new Date(now + durationMs).toISOString(), actorId: userId });
    return this.grants.find((g) => g.grantId === grantId)!;
  }

  isOnCareTeam(userId: string, patientId: string): boolean {
    return this.careTeam.has(pairKey(userId, patientId));
  }

  isProxyFor(userId: string, patientId: string): boolean {
    return this.proxies.has(pairKey(userId, patientId));
  }

  /** The patient's proxy links (made by enrolment, or by an admin in older vaults), with when each was made. */
  proxyLinks(patientId: string): { patientId: string; userId: string; linkedAt: string }[] {
    const links: { patientId: string; userId: string; linkedAt: string }[] = [];
    for (const [key, linkedAt] of this.proxies) {
      const [userId, linkedPatient] = key.split('\u0000') as [string, string];
      if (linkedPatient === patientId) links.push({ patientId, userId, linkedAt });
    }
    return links;
  }

  /** How the account's holder is related to the patient, if they are a recorded relative. */
  relativeOf(userId: string, patientId: string): RelativeRelationship | undefined {
    return this.relatives.get(pairKey(userId, patientId));
  }

  /** The patients an account is a proxy or a recorded relative of. */
  circleLinksOf(userId: string): { patientId: string; as: 'proxy' | 'relative' }[] {
    const patientOf = (key: string) => (key.startsWith(`${userId}\u0000`) ? key.slice(userId.length + 1) : undefined);
    const proxyOf = [...this.proxies.keys()].map(patientOf).filter((p) => p !== undefined).map((patientId) => ({ patientId, as: 'proxy' as const }));
    const relativeOf = [...this.relatives.keys()].map(patientOf).filter((p) => p !== undefined).map((patientId) => ({ patientId, as: 'relative' as const }));
    return [...proxyOf, ...relativeOf];
  }

  activeBreakGlass(userId: string, patientId: string, now: number): BreakGlassGrant | undefined {
    return this.grants.find((g) => g.userId === userId && g.patientId === patientId && Date.parse(g.expiresAt) > now);
  }

  breakGlassGrants(): BreakGlassGrant[] {
    return [...this.grants];
  }

  careTeamOf(patientId: string): string[] {
    return [...this.careTeam].filter((k) => k.endsWith(`\u0000${patientId}`)).map((k) => k.split('\u0000')[0]!);
  }
}
