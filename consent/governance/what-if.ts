// The what-if replay: audited authorization decisions, each with the request and the
// relationship facts it was decided on, decided again under the active version and under a
// proposal with the same decideUnder() that authorize() uses. What differs is reported by rule,
// role and resource, with a few examples that carry ids and codes only.
import { performance } from 'node:perf_hooks';
import type { CompiledPolicy } from '../policy/compiled-policy.ts';
import { decideUnder, decisionKey, type DecisionInput } from '../policy/decide.ts';
import type { Verdict } from '../policy/explain.ts';
import type { RelationSnapshot } from '../policy/relationship-facts.ts';
import { RELATION_FACTS } from '../policy/vocabulary.ts';

/** One audited authorization decision, as the audit log holds it. */
export interface RecordedDecision {
  seq: number;
  at: string;
  requestId: string | null;
  actorId: string | null;
  roles: readonly string[];
  patientId: string | null;
  resource: string;
  action: string;
  purpose: string | null;
  decision: 'permit' | 'deny';
  policyVersion: number | null;
  /** the facts it was decided on; absent in entries written before they were recorded */
  relations: Readonly<Record<string, boolean>> | null;
}

/** A decision as the board cares about it: a break-glass permit is a permit that gets reviewed. */
export type Outcome = 'permit' | 'permit_break_glass' | 'deny';

export const WHAT_IF_DAYS = 30;
const EXAMPLES = 10;
/** the longest the replay holds the event loop before letting requests through */
const SLICE_MS = 20;

interface Tally {
  permitToDeny: number;
  denyToPermit: number;
  /** permit either way, but break-glass is needed under one version and not the other */
  breakGlassChanged: number;
}

export interface WhatIfReport {
  window: { from: string; to: string };
  /** authorization decisions audited in the window */
  examined: number;
  replayed: number;
  /** decisions whose entry lacks the request or the facts the two versions read */
  notReplayable: number;
  /** decisions made under another version than the active one (decided again under the active one) */
  recordedUnderOtherVersions: number;
  unchanged: number;
  changed: number;
  /** same outcome, but another rule decides */
  otherRuleOnly: number;
  changes: Tally;
  byRule: { before: string | null; after: string | null; from: Outcome; to: Outcome; count: number }[];
  byRole: ({ role: string } & Tally)[];
  byResource: ({ resource: string } & Tally)[];
  examples: {
    auditSeq: number;
    requestId: string | null;
    at: string;
    actorId: string | null;
    roles: string[];
    resource: string;
    action: string;
    purpose: string;
    before: { outcome: Outcome; rule: string | null };
    after: { outcome: Outcome; rule: string | null };
  }[];
}

export interface WhatIfInput {
  /** the audited decisions, any order; only those inside the window are replayed */
  records: Iterable<RecordedDecision>;
  active: CompiledPolicy;
  proposed: CompiledPolicy;
  /** the end of the window (default now); the window is the WHAT_IF_DAYS days before it */
  until?: number;
}

const outcomeOf = (verdict: Verdict): Outcome => (!verdict.allowed ? 'deny' : verdict.breakGlass ? 'permit_break_glass' : 'permit');

function newTally(): Tally {
  return { permitToDeny: 0, denyToPermit: 0, breakGlassChanged: 0 };
}

function count(tally: Tally, from: Outcome, to: Outcome): void {
  if (from !== 'deny' && to === 'deny') tally.permitToDeny += 1;
  else if (from === 'deny' && to !== 'deny') tally.denyToPermit += 1;
  else tally.breakGlassChanged += 1;
}

/** The facts any rule of either version reads: an entry without one of them cannot be replayed faithfully. */
function factsRead(...policies: CompiledPolicy[]): string[] {
  const names = new Set(['break_glass']);
  for (const policy of policies) for (const rule of policy.rules) for (const fact of RELATION_FACTS[rule.relation]) names.add(fact);
  return [...names];
}

function replayable(record: RecordedDecision, facts: readonly string[]): DecisionInput | null {
  const { relations, purpose, actorId } = record;
  if (relations === null || purpose === null || actorId === null) return null;
  if (!facts.every((fact) => typeof relations[fact] === 'boolean')) return null;
  return { userId: actorId, roles: record.roles, patientId: record.patientId, resource: record.resource, action: record.action, purpose };
}

function grouped<K extends string>(map: Map<string, Tally>, key: K): ({ [P in K]: string } & Tally)[] {
  const total = (t: Tally) => t.permitToDeny + t.denyToPermit + t.breakGlassChanged;
  return [...map]
    .map(([name, tally]) => ({ [key]: name, ...tally }) as { [P in K]: string } & Tally)
    .sort((a, b) => total(b) - total(a) || String(a[key]).localeCompare(String(b[key])));
}

export async function replayWhatIf(input: WhatIfInput): Promise<WhatIfReport> {
  const until = input.until ?? Date.now();
  const from = until - WHAT_IF_DAYS * 86_400_000;
  const facts = factsRead(input.active, input.proposed);
  const report: WhatIfReport = {
    window: { from: new Date(from).toISOString(), to: new Date(until).toISOString() },
    examined: 0, replayed: 0, notReplayable: 0, recordedUnderOtherVersions: 0, unchanged: 0, changed: 0, otherRuleOnly: 0,
    changes: newTally(), byRule: [], byRole: [], byResource: [], examples: [],
  };
  const byRule = new Map<string, WhatIfReport['byRule'][number]>();
  const byRole = new Map<string, Tally>();
  const byResource = new Map<string, Tally>();
  // one example per kind of change first, then more of any kind
  const firstOfKind = new Map<string, WhatIfReport['examples'][number]>();
  const more: WhatIfReport['examples'] = [];
  // recorded decisions repeat the same few requests: each distinct one is decided once (decide.ts)
  const decisions = new Map<string, [Verdict, Verdict]>();
  let sliceStart = performance.now();
  let sinceCheck = 0;

  for (const record of input.records) {
    // a long replay does not hold up requests: it steps aside every SLICE_MS
    if (++sinceCheck >= 32 && performance.now() - sliceStart > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
      sinceCheck = 0;
    }
    const at = Date.parse(record.at);
    if (!(at >= from && at <= until)) continue;
    report.examined += 1;
    const request = replayable(record, facts);
    if (request === null) {
      report.notReplayable += 1;
      continue;
    }
    report.replayed += 1;
    if (record.policyVersion !== input.active.version) report.recordedUnderOtherVersions += 1;
    const relations = record.relations as RelationSnapshot;
    const key = decisionKey(request, relations);
    let decided = decisions.get(key);
    if (decided === undefined) decisions.set(key, (decided = [decideUnder(input.active, request, relations), decideUnder(input.proposed, request, relations)]));
    const [before, after] = decided;
    const [was, becomes] = [outcomeOf(before), outcomeOf(after)];
    const [ruleBefore, ruleAfter] = [before.rule?.id ?? null, after.rule?.id ?? null];
    if (was === becomes) {
      report.unchanged += 1;
      if (ruleBefore !== ruleAfter) report.otherRuleOnly += 1;
      continue;
    }
    report.changed += 1;
    count(report.changes, was, becomes);
    const kind = JSON.stringify([ruleBefore, ruleAfter, was, becomes]);
    const group = byRule.get(kind) ?? { before: ruleBefore, after: ruleAfter, from: was, to: becomes, count: 0 };
    group.count += 1;
    byRule.set(kind, group);
    for (const role of new Set(record.roles)) count(tallyOf(byRole, role), was, becomes);
    count(tallyOf(byResource, record.resource), was, becomes);
    const example = {
      auditSeq: record.seq, requestId: record.requestId, at: record.at, actorId: record.actorId, roles: [...record.roles],
      resource: request.resource, action: request.action, purpose: request.purpose,
      before: { outcome: was, rule: ruleBefore }, after: { outcome: becomes, rule: ruleAfter },
    };
    if (!firstOfKind.has(kind)) firstOfKind.set(kind, example);
    else if (more.length < EXAMPLES) more.push(example);
  }
  report.byRule = [...byRule.values()].sort((a, b) => b.count - a.count);
  report.byRole = grouped(byRole, 'role');
  report.byResource = grouped(byResource, 'resource');
  report.examples = [...firstOfKind.values(), ...more].slice(0, EXAMPLES);
  return report;
}

function tallyOf(map: Map<string, Tally>, key: string): Tally {
  let tally = map.get(key);
  if (!tally) map.set(key, (tally = newTally()));
  return tally;
}
