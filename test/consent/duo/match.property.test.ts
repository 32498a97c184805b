// Rules that must hold for every consent and purpose, checked over generated ones.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ConsentScopeSchema,
  DUO_MODIFIER as M,
  DUO_PERMISSION as P,
  DUO_PURPOSE,
  ResearchPurposeSchema,
  SENSITIVE_ASPECTS,
  type ConsentScope,
  type DuoOutcome,
  type ResearchPurpose,
} from '../../../schemas/duo.ts';
import { diseaseOntology } from '../../../consent/duo/disease-ontology.ts';
import { matchCohort, matchPurpose, PreparedPurpose, scopeKey } from '../../../consent/duo/match.ts';
import { date, modifierArb, modifiersArb, purposeArb, scopeArb } from './duo-arbitraries.ts';

const SEVERITY: Record<DuoOutcome, number> = { permit: 0, review: 1, deny: 2 };
const onto = diseaseOntology();
const DOIDS = onto.doids().filter((d) => d !== 'DOID:4');
const severity = (scope: ConsentScope, purpose: ResearchPurpose, on: string) => SEVERITY[matchPurpose(scope, purpose, { on }).decision];

describe('DUO matching properties', () => {
  it('a DS consent never permits a purpose on a broader disease, whatever else', () => {
    const pair = fc.constantFrom(...DOIDS).chain((d) => fc.constantFrom(...[...onto.ancestorsOrSelf(d)].filter((a) => a !== d)).map((broader) => [d, broader] as const));
    fc.assert(
      fc.property(pair, modifiersArb, purposeArb, date, ([d, broader], modifiers, purpose, on) => {
        const scope = ConsentScopeSchema.parse({ permission: P.DS, diseases: [d], modifiers, consentedOn: '2024-12-31' });
        const result = matchPurpose(scope, { ...purpose, terms: [P.DS], diseases: [broader, ...purpose.diseases.filter((x) => x !== broader)] }, { on });
        assert.equal(result.decision, 'deny');
        assert.ok(result.findings.some((f) => f.rule === 'disease' && f.outcome === 'deny'));
      }),
      { numRuns: 300 },
    );
  });

  it('a DS consent permits research on its disease and on anything below it (no modifiers, nothing sensitive)', () => {
    const pair = fc.constantFrom(...DOIDS).chain((x) => fc.constantFrom(...[...onto.ancestorsOrSelf(x)].filter((a) => a !== 'DOID:4')).map((d) => [x, d] as const));
    fc.assert(
      fc.property(pair, fc.constantFrom(P.DS, DUO_PURPOSE.diseaseCategoryResearch), ([x, d], term) => {
        const purpose = ResearchPurposeSchema.parse({ terms: [term], diseases: [x], forProfit: false, commercial: false });
        assert.equal(matchPurpose(ConsentScopeSchema.parse({ permission: P.DS, diseases: [d] }), purpose).decision, 'permit');
      }),
      { numRuns: 300 },
    );
  });

  it('adding a modifier to a consent never makes a decision more permissive', () => {
    fc.assert(
      fc.property(scopeArb(), modifierArb, purposeArb, date, (scope, extra, purpose, on) => {
        fc.pre(!scope.modifiers.some((m) => m.term === extra.term));
        const restricted = ConsentScopeSchema.parse({ ...scope, modifiers: [...scope.modifiers, extra] });
        assert.ok(severity(restricted, purpose, on) >= severity(scope, purpose, on));
      }),
      { numRuns: 500 },
    );
  });

  // Declaring population research also names the research area a POA consent is for, so on a
  // POA consent it may permit (methods development on population data); elsewhere it only restricts.
  it('declaring a sensitive aspect never makes a decision more permissive (population: except under POA)', () => {
    fc.assert(
      fc.property(scopeArb(), purposeArb, fc.constantFrom(...SENSITIVE_ASPECTS), date, (scope, purpose, aspect, on) => {
        fc.pre(!purpose.sensitive.includes(aspect) && !(aspect === 'population' && scope.permission === P.POA));
        assert.ok(severity(scope, { ...purpose, sensitive: [...purpose.sensitive, aspect] }, on) >= severity(scope, purpose, on));
      }),
      { numRuns: 300 },
    );
  });

  it('NRES allows at least what GRU allows, GRU what HMB allows, HMB what DS allows (same modifiers and project)', () => {
    fc.assert(
      fc.property(scopeArb(fc.constant(P.DS)), purposeArb, date, (ds, purpose, on) => {
        const as = (permission: ConsentScope['permission']) => ({ ...ds, permission, diseases: permission === P.DS ? ds.diseases : [] });
        const [nres, gru, hmb, dsLevel] = [P.NRES, P.GRU, P.HMB, P.DS].map((p) => severity(as(p), purpose, on)) as [number, number, number, number];
        assert.ok(nres <= gru && gru <= hmb && hmb <= dsLevel, `${nres} ${gru} ${hmb} ${dsLevel}`);
      }),
      { numRuns: 400 },
    );
  });

  it('the decision is the most severe finding; a permit has only permitting findings; versions are recorded', () => {
    fc.assert(
      fc.property(scopeArb(), purposeArb, date, (scope, purpose, on) => {
        const result = matchPurpose(scope, purpose, { on });
        const worst = Math.max(...result.findings.map((f) => SEVERITY[f.outcome]));
        assert.equal(SEVERITY[result.decision], worst);
        assert.ok(result.reasons.length > 0);
        assert.deepEqual(result.reasons, result.findings.filter((f) => f.outcome === result.decision).map((f) => f.reason));
        assert.equal(result.on, on);
        assert.ok(result.versions.duo && result.versions.diseaseOntology && result.versions.mondoMapping);
      }),
      { numRuns: 300 },
    );
  });

  it('a cohort gets, for every consent, the decision matching it alone would', () => {
    fc.assert(
      fc.property(fc.array(scopeArb(), { minLength: 1, maxLength: 12 }), purposeArb, date, (scopes, purpose, on) => {
        const consents = [...scopes, ...scopes].map((s, i) => [`patient-${i}`, s] as const);
        const cohort = matchCohort(purpose, consents, { on });
        assert.equal(cohort.size, consents.length);
        for (const [key, scope] of consents) assert.deepEqual(cohort.get(key), matchPurpose(scope, purpose, { on }));
      }),
      { numRuns: 100 },
    );
  });

  it('a scope key ignores the order of lists, and equal keys decide alike', () => {
    fc.assert(
      fc.property(scopeArb(), purposeArb, (scope, purpose) => {
        const shuffled: ConsentScope = {
          ...scope,
          diseases: [...scope.diseases].reverse(),
          modifiers: [...scope.modifiers].reverse().map((m) => (m.term === M.GS ? { ...m, countries: [...m.countries].reverse() } : m)),
        };
        assert.equal(scopeKey(shuffled), scopeKey(scope));
        const prepared = new PreparedPurpose(purpose);
        assert.equal(prepared.match(shuffled, '2026-06-15').decision, prepared.match(scope, '2026-06-15').decision);
        assert.notEqual(scopeKey({ ...scope, consentedOn: '1999-01-01' }), scopeKey(scope));
      }),
      { numRuns: 200 },
    );
  });

  it('a scope and a purpose stored as JSON and read back decide the same', () => {
    fc.assert(
      fc.property(scopeArb(), purposeArb, date, (scope, purpose, on) => {
        const stored = ConsentScopeSchema.parse(JSON.parse(JSON.stringify(scope)));
        const storedPurpose = ResearchPurposeSchema.parse(JSON.parse(JSON.stringify(purpose)));
        assert.deepEqual(matchPurpose(stored, storedPurpose, { on }), matchPurpose(scope, purpose, { on }));
      }),
      { numRuns: 100 },
    );
  });
});
