// An in-memory RelationshipFacts, as the vault's stores would answer it: care teams, patients'
// own accounts and time-boxed break-glass grants against a clock the test moves, and each
// patient's directives in force (as views, the way the ledger hands them out).
import type { RelationshipFacts } from '../../../../consent/policy/relationship-facts.ts';
import type { ConsentState, ProjectResearchPurpose } from '../../../../consent/policy/consent-facts.ts';
import type { DirectiveView } from '../../../../consent/ledger/directive-view.ts';
import { legacyProxyDirective } from '../../../../consent/ledger/legacy-proxy-link.ts';
import type { ClinicalDefault } from '../../../../consent/evaluation/clinical-use.ts';
import type { ConsentScope, ResearchPurpose } from '../../../../schemas/duo.ts';

const pair = (userId: string, patientId: string): string => JSON.stringify([userId, patientId]);

export class InMemoryRelationships implements RelationshipFacts {
  private readonly careTeams = new Set<string>();
  private readonly ownAccounts = new Set<string>();
  private readonly grants = new Map<string, number>();
  private readonly directives = new Map<string, DirectiveView[]>();
  private readonly projects = new Map<string, ProjectResearchPurpose>();
  /** how many times each question was asked, to prove facts are looked up per request */
  lookups = 0;
  nowMs = Date.UTC(2026, 0, 1);
  clinicalUseDefault: ClinicalDefault = 'permit';
  birthDates = new Map<string, string>();

  addToCareTeam(userId: string, patientId: string): this {
    this.careTeams.add(pair(userId, patientId));
    return this;
  }
  removeFromCareTeam(userId: string, patientId: string): this {
    this.careTeams.delete(pair(userId, patientId));
    return this;
  }
  /** A proxy link from before the ledger: view the record, results and access log. */
  setProxy(userId: string, patientId: string): this {
    return this.addDirective(legacyProxyDirective({ patientId, userId, linkedAt: '2025-01-01T00:00:00.000Z' }));
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
  /** A directive in force for its patient. */
  addDirective(view: DirectiveView): this {
    this.directives.set(view.patientId, [...(this.directives.get(view.patientId) ?? []), view]);
    return this;
  }
  removeDirective(patientId: string, directiveId: string): this {
    this.directives.set(patientId, (this.directives.get(patientId) ?? []).filter((d) => d.directiveId !== directiveId));
    return this;
  }
  /** The user is a member of the approved project, whose purpose this is; the board included the review scopes `includesReview` accepts (none by default). */
  setProject(userId: string, projectId: string, purpose: ResearchPurpose, includesReview: (scope: ConsentScope) => boolean = () => false): this {
    this.projects.set(pair(userId, projectId), { purpose, includesReview });
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
  consentState(patientId: string): Promise<ConsentState> {
    const birthDate = this.birthDates.get(patientId);
    return this.answer({
      consents: { patientId, directives: [...(this.directives.get(patientId) ?? [])] },
      at: new Date(this.nowMs),
      clinicalUseDefault: this.clinicalUseDefault,
      ...(birthDate !== undefined ? { patientBirthDate: birthDate } : {}),
    });
  }
  researchPurpose(userId: string, projectId: string): Promise<ProjectResearchPurpose | null> {
    return this.answer(this.projects.get(pair(userId, projectId)) ?? null);
  }

  private async answer<T>(value: T): Promise<T> {
    this.lookups += 1;
    await Promise.resolve(); // answer asynchronously, as a real store would
    return value;
  }
}
