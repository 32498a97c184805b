// Who may take part in a project's answers, decided at the moment of the query from each patient's
// current research consent: DUO matching against the project's purpose gives permit, deny or
// review. Review consents are grouped by their scope (a keyed hash, so the group id reveals no
// terms); a group takes part only once the ethics board has included it for this project.
import { createHmac } from 'node:crypto';
import { matchCohort, scopeKey } from '../../consent/duo/match.ts';

/** The vocabulary releases every consent decision here is made under, recorded with each query and project decision. */
export { DUO_VERSIONS as CONSENT_VOCABULARIES } from '../../consent/duo/versions.ts';
import type { ConsentScope, DuoOutcome, ResearchPurpose } from '../../schemas/duo.ts';
import type { ResearchConsentEntry } from '../ports.ts';

export interface ConsentDecision {
  patientId: string;
  outcome: DuoOutcome;
  /** the review group, for `review` */
  reviewGroup: string | null;
  /** for the ethics board only: the matcher's rule codes and reasons (consent contents) */
  rules: string[];
  reasons: string[];
}

/** The review group of a consent scope: a keyed hash of its canonical form, the same for every project. */
export function reviewGroupOf(key: Uint8Array, scope: ConsentScope): string {
  return `rg_${createHmac('sha256', key).update('review-group\0').update(scopeKey(scope)).digest('hex').slice(0, 16)}`;
}

export function decideConsents(purpose: ResearchPurpose, entries: Iterable<ResearchConsentEntry>, on: string, groupKey: Uint8Array): ConsentDecision[] {
  const readable: [string, NonNullable<ResearchConsentEntry['scope']>][] = [];
  const decisions: ConsentDecision[] = [];
  for (const { patientId, scope } of entries) {
    if (scope) readable.push([patientId, scope]);
    else decisions.push({ patientId, outcome: 'deny', reviewGroup: null, rules: ['unreadable-consent'], reasons: ['The stored consent could not be read as DUO terms.'] });
  }
  const scopes = new Map(readable);
  for (const [patientId, decision] of matchCohort(purpose, readable, { on })) {
    const review = decision.decision === 'review';
    decisions.push({
      patientId,
      outcome: decision.decision,
      reviewGroup: review ? reviewGroupOf(groupKey, scopes.get(patientId)!) : null,
      rules: decision.findings.filter((f) => f.outcome === decision.decision).map((f) => f.rule),
      reasons: decision.reasons,
    });
  }
  return decisions;
}

/** The review groups whose patients the board has included for this project. */
export function includedGroups(reviewGroups: Readonly<Record<string, 'include' | 'exclude'>>): string[] {
  return Object.entries(reviewGroups).filter(([, choice]) => choice === 'include').map(([group]) => group).sort();
}

export interface ReviewGroupSummary {
  groupId: string;
  patients: number;
  rules: string[];
  reasons: string[];
  decision: 'include' | 'exclude' | 'undecided';
}

/** What the board sees before deciding: each review group, how many patients it holds, why it needs a person. */
export function reviewGroupSummaries(decisions: readonly ConsentDecision[], reviewGroups: Readonly<Record<string, 'include' | 'exclude'>>): ReviewGroupSummary[] {
  const groups = new Map<string, ReviewGroupSummary>();
  for (const d of decisions) {
    if (d.reviewGroup === null) continue;
    let group = groups.get(d.reviewGroup);
    if (!group) groups.set(d.reviewGroup, (group = { groupId: d.reviewGroup, patients: 0, rules: d.rules, reasons: d.reasons, decision: reviewGroups[d.reviewGroup] ?? 'undecided' }));
    group.patients++;
  }
  return [...groups.values()].sort((a, b) => b.patients - a.patients || (a.groupId < b.groupId ? -1 : 1));
}
