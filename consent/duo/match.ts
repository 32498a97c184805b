// The DUO matcher: a research purpose against consent scopes. Every rule gives a finding; any
// deny makes the decision deny, else any review makes it review, else it is permit. So a rule
// that cannot decide never lets a match through on its own.
import type { ConsentScope, DuoDecision, DuoFinding, DuoOutcome, ResearchPurpose } from '../../schemas/duo.ts';
import { todayUtc } from './dates.ts';
import { DiseaseCoverage } from './disease-coverage.ts';
import { diseaseOntology, type DiseaseOntology } from './disease-ontology.ts';
import { modifierFindings } from './modifier-rules.ts';
import { modifierValue } from './parse-terms.ts';
import { permissionFindings } from './permission-rules.ts';
import { profilePurpose, type PurposeProfile } from './purpose-profile.ts';
import { DUO_VERSIONS } from './versions.ts';

export interface MatchOptions {
  /** The day of the request (YYYY-MM-DD), for TS and MOR; today (UTC) by default. */
  on?: string;
  /** The disease ontology; the vault's own, read on first need, by default. */
  ontology?: () => DiseaseOntology;
}

const SEVERITY: Readonly<Record<DuoOutcome, number>> = { permit: 0, review: 1, deny: 2 };

function decide(findings: DuoFinding[], on: string): DuoDecision {
  const decision = findings.reduce<DuoOutcome>((worst, f) => (SEVERITY[f.outcome] > SEVERITY[worst] ? f.outcome : worst), 'permit');
  return {
    decision,
    reasons: findings.filter((f) => f.outcome === decision).map((f) => f.reason),
    findings,
    on,
    versions: { ...DUO_VERSIONS },
  };
}

function consentFindings(scope: ConsentScope, on: string): DuoFinding[] {
  const findings: DuoFinding[] = [];
  if (scope.consentedOn && on < scope.consentedOn) {
    findings.push({ rule: 'consent-date', outcome: 'deny', reason: `The request is dated ${on}, before the consent was given (${scope.consentedOn}).` });
  }
  if (scope.restrictionsText) {
    findings.push({ rule: 'free-text', outcome: 'review', reason: 'The consent carries restrictions written in words, which a person must read.' });
  }
  return findings;
}

/** One purpose, read once, matched against many consents (a cohort): diseases are resolved once. */
export class PreparedPurpose {
  readonly profile: PurposeProfile;
  private readonly coverage: DiseaseCoverage;

  constructor(purpose: ResearchPurpose, ontology: () => DiseaseOntology = diseaseOntology) {
    this.profile = profilePurpose(purpose);
    this.coverage = new DiseaseCoverage(purpose.diseases, ontology);
  }

  match(scope: ConsentScope, on: string = todayUtc()): DuoDecision {
    return decide(
      [
        ...permissionFindings(scope, this.profile, this.coverage),
        ...modifierFindings(scope, this.profile, on),
        ...consentFindings(scope, on),
        ...this.profile.sensitive.map((s): DuoFinding => ({ ...s, outcome: 'review' })),
      ],
      on,
    );
  }
}

/** Matches one purpose against one consent scope. Both must have passed their schemas. */
export function matchPurpose(scope: ConsentScope, purpose: ResearchPurpose, options: MatchOptions = {}): DuoDecision {
  return new PreparedPurpose(purpose, options.ontology).match(scope, options.on);
}

/**
 * A canonical text for a scope: equal scopes (however their lists are ordered) give equal keys,
 * so a cohort is decided once per distinct scope, and a store may group consents by it.
 */
export function scopeKey(scope: ConsentScope): string {
  const modifiers = scope.modifiers
    .map((m) => {
      const value = modifierValue('countries' in m ? { ...m, countries: [...m.countries].sort() } : m);
      return value === undefined ? m.term : `${m.term}=${value}`;
    })
    .sort();
  return JSON.stringify([scope.permission, [...scope.diseases].sort(), modifiers, scope.consentedOn ?? null, scope.restrictionsText ?? null]);
}

/**
 * Matches one purpose against many consents, deciding each distinct scope once.
 * Returns the decision for every key given.
 */
export function matchCohort<K>(purpose: ResearchPurpose, consents: Iterable<readonly [K, ConsentScope]>, options: MatchOptions = {}): Map<K, DuoDecision> {
  const prepared = new PreparedPurpose(purpose, options.ontology);
  const on = options.on ?? todayUtc();
  const byScope = new Map<string, DuoDecision>();
  const decisions = new Map<K, DuoDecision>();
  for (const [key, scope] of consents) {
    const canonical = scopeKey(scope);
    let decision = byScope.get(canonical);
    if (!decision) {
      decision = prepared.match(scope, on);
      byScope.set(canonical, decision);
    }
    decisions.set(key, decision);
  }
  return decisions;
}
