// Writing DUO cases as reviewers type them: consent and purpose terms, project attributes.
import assert from 'node:assert/strict';
import type { DuoDecision, DuoOutcome } from '../../../schemas/duo.ts';
import { matchPurpose } from '../../../consent/duo/match.ts';
import { parseConsentTerms, parsePurposeTerms, type ConsentExtras, type PurposeAttributes } from '../../../consent/duo/parse-terms.ts';

export const ON = '2026-06-15';

export interface Case {
  consent: string;
  purpose: string;
  attributes?: Partial<PurposeAttributes>;
  extras?: ConsentExtras;
  on?: string;
}

export function decide({ consent, purpose, attributes = {}, extras = {}, on = ON }: Case): DuoDecision {
  const scope = parseConsentTerms(consent, extras);
  const parsed = parsePurposeTerms(purpose, { forProfit: false, commercial: false, ...attributes });
  return matchPurpose(scope, parsed, { on });
}

/** Asserts the decision, and that the finding of `rule` has that outcome with a reason matching `reason`. */
export function expectDecision(c: Case, decision: DuoOutcome, rule?: string, reason?: RegExp): DuoDecision {
  const result = decide(c);
  const label = `${c.consent} | ${c.purpose} ${JSON.stringify(c.attributes ?? {})}`;
  assert.equal(result.decision, decision, `${label}: ${JSON.stringify(result.findings, null, 1)}`);
  if (rule) {
    const finding = result.findings.find((f) => f.rule === rule && f.outcome === decision);
    assert.ok(finding, `${label}: no ${decision} finding for ${rule}: ${JSON.stringify(result.findings, null, 1)}`);
    if (reason) assert.match(finding.reason, reason, label);
    assert.ok(result.reasons.includes(finding.reason), `${label}: the deciding finding is among the reasons`);
  }
  return result;
}
