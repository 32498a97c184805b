// The stored forms of consent scopes and research purposes: what they refuse, by field.
import assert from 'node:assert/strict';
import { ConsentScopeSchema, DuoDecisionSchema, ResearchPurposeSchema, DurationSchema, CountryCodeSchema, IsoDateSchema } from '../../schemas/duo.ts';
import { matchPurpose } from '../../consent/duo/match.ts';

const firstIssue = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) => {
  assert.equal(result.success, false);
  const issue = result.error!.issues[0]!;
  return `${issue.path.join('.')}: ${issue.message}`;
};

describe('schemas/duo', () => {
  const hmb = { permission: 'DUO:0000006' };

  it('accepts a minimal scope and fills the empty lists', () => {
    assert.deepEqual(ConsentScopeSchema.parse(hmb), { permission: 'DUO:0000006', diseases: [], modifiers: [] });
  });

  it('refuses inconsistent scopes, naming the field', () => {
    assert.match(firstIssue(ConsentScopeSchema.safeParse({ permission: 'DUO:0000007' })), /^diseases: DS \(DUO:0000007\) needs at least one disease id/);
    assert.match(firstIssue(ConsentScopeSchema.safeParse({ ...hmb, diseases: ['DOID:162'] })), /^diseases: disease ids belong to DS/);
    assert.match(firstIssue(ConsentScopeSchema.safeParse({ permission: 'DUO:0000007', diseases: ['DOID:162', 'DOID:162'] })), /^diseases: a disease id appears twice/);
    assert.match(firstIssue(ConsentScopeSchema.safeParse({ ...hmb, modifiers: [{ term: 'DUO:0000045' }, { term: 'DUO:0000045' }] })), /^modifiers: a modifier appears twice/);
    assert.match(firstIssue(ConsentScopeSchema.safeParse({ ...hmb, modifiers: [{ term: 'DUO:0000025', duration: 'P1Y' }] })), /^consentedOn: TS/);
    assert.match(firstIssue(ConsentScopeSchema.safeParse({ ...hmb, modifiers: [{ term: 'DUO:0000024' }] })), /^modifiers\.0\.until/);
    assert.match(firstIssue(ConsentScopeSchema.safeParse({ ...hmb, modifiers: [{ term: 'DUO:0000038' }] })), /^modifiers\.0/);
    assert.match(firstIssue(ConsentScopeSchema.safeParse({ permission: 'DUO:0000038' })), /^permission/);
    assert.match(firstIssue(ConsentScopeSchema.safeParse({ ...hmb, diseases: ['ICD10:C50'] })), /^diseases\.0: a disease id/);
  });

  it('checks durations, countries and dates', () => {
    for (const ok of ['P2Y', 'P18M', 'P1Y6M', 'P90D', 'P1Y0M']) assert.ok(DurationSchema.safeParse(ok).success, ok);
    for (const bad of ['P', 'P0Y', 'P0M0D', '2Y', 'P1W', 'PT1H', 'p2y']) assert.equal(DurationSchema.safeParse(bad).success, false, bad);
    for (const ok of ['US', 'CA', 'GB', 'FR']) assert.ok(CountryCodeSchema.safeParse(ok).success, ok);
    for (const bad of ['XX', 'ZZ', 'us', 'USA', '']) assert.equal(CountryCodeSchema.safeParse(bad).success, false, bad);
    for (const bad of ['2027-02-30', '2027-13-01', '27-01-01', '2027-1-1']) assert.equal(IsoDateSchema.safeParse(bad).success, false, bad);
    assert.ok(IsoDateSchema.safeParse('2028-02-29').success);
  });

  it('requires a purpose to declare for-profit and commercial explicitly', () => {
    assert.match(firstIssue(ResearchPurposeSchema.safeParse({ terms: ['DUO:0000006'], commercial: false })), /^forProfit/);
    assert.match(firstIssue(ResearchPurposeSchema.safeParse({ terms: ['DUO:0000006'], forProfit: false })), /^commercial/);
    assert.match(firstIssue(ResearchPurposeSchema.safeParse({ terms: [], forProfit: false, commercial: false })), /^terms/);
    assert.match(firstIssue(ResearchPurposeSchema.safeParse({ terms: ['DUO:0000004'], forProfit: false, commercial: false })), /^terms\.0/);
    assert.match(firstIssue(ResearchPurposeSchema.safeParse({ terms: ['DUO:0000040'], forProfit: false, commercial: false })), /^diseases: DS and DUO:0000040/);
    assert.match(firstIssue(ResearchPurposeSchema.safeParse({ terms: ['DUO:0000006'], forProfit: false, commercial: false, sensitive: ['secret'] })), /^sensitive\.0/);
  });

  it("describes the matcher's answer", () => {
    const purpose = ResearchPurposeSchema.parse({ terms: ['DUO:0000006'], forProfit: false, commercial: false });
    const decision = matchPurpose(ConsentScopeSchema.parse(hmb), purpose, { on: '2026-01-01' });
    assert.deepEqual(DuoDecisionSchema.parse(JSON.parse(JSON.stringify(decision))), decision);
  });
});
