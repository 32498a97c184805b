// Rules that must hold for every consent and purpose, checked over generated ones.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  COMMITMENTS,
  ConsentScopeSchema,
  DUO_MODIFIER as M,
  DUO_PERMISSION as P,
  DUO_PURPOSE,
  ResearchPurposeSchema,
  SENSITIVE_ASPECTS,
  type ConsentScope,
  type DuoModifier,
  type DuoOutcome,
  type ResearchPurpose,
} from '../../../schemas/duo.ts';
import { diseaseOntology } from '../../../consent/duo/disease-ontology.ts';
import { matchCohort, matchPurpose, PreparedPurpose, scopeKey } from '../../../consent/duo/match.ts';

const SEVERITY: Record<DuoOutcome, number> = { permit: 0, review: 1, deny: 2 };
const onto = diseaseOntology();
const DOIDS = onto.doids().filter((d) => d !== 'DOID:4');
const DISEASE_POOL = ['DOID:162', 'DOID:10155', 'DOID:3910', 'DOID:1485', 'DOID:1612', 'DOID:9256', 'DOID:3119', 'MONDO:0004992', 'MONDO:0004950', 'MONDO:0005061'];
const DATES = ['2024-12-31', '2025-06-01', '2026-06-15', '2027-01-31', '2028-02-29'];
const COUNTRIES = ['US', 'CA', 'FR'];
const PROJECTS = ['p-1', 'p-2'];

const date = fc.constantFrom(...DATES);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const someOf = <T>(items: readonly T[], minLength = 0) => fc.subarray([...items], { minLength });

const modifierArb: fc.Arbitrary<DuoModifier> = fc.oneof(
  date.map((until) => ({ term: M.MOR, until })),
  fc.constantFrom('P1Y', 'P6M', 'P90D', 'P2Y').map((duration) => ({ term: M.TS, duration })),
  someOf(COUNTRIES, 1).map((countries) => ({ term: M.GS, countries })),
  maybe(fc.constantFrom(...PROJECTS)).map((project) => (project ? { term: M.PS, project } : { term: M.PS })),
  fc.constantFrom(M.RS, M.COL, M.US, M.IS, M.NMDS, M.GSO, M.NPUNCU, M.PUB, M.IRB, M.RTN, M.CC, M.NPOA, M.NPU, M.NCU).map((term) => ({ term })),
);

const modifiersArb = fc.uniqueArray(modifierArb, { selector: (m) => m.term, maxLength: 5 });

function scopeArb(permission: fc.Arbitrary<ConsentScope['permission']> = fc.constantFrom(...Object.values(P))): fc.Arbitrary<ConsentScope> {
  return fc
    .record({ permission, diseases: someOf(DISEASE_POOL, 1).map((d) => d.slice(0, 2)), modifiers: modifiersArb, consentedOn: date, text: fc.boolean() })
    .map(({ permission, diseases, modifiers, consentedOn, text }) =>
      ConsentScopeSchema.parse({ permission, diseases: permission === P.DS ? diseases : [], modifiers, consentedOn, ...(text ? { restrictionsText: 'see the form' } : {}) }),
    );
}

const PURPOSE_TERMS = [...Object.values(DUO_PURPOSE), P.GRU, P.HMB, P.DS, P.POA];
const purposeArb: fc.Arbitrary<ResearchPurpose> = fc
  .record({
    terms: someOf(PURPOSE_TERMS, 1),
    diseases: someOf(DISEASE_POOL).map((d) => d.slice(0, 3)),
    forProfit: fc.boolean(),
    commercial: fc.boolean(),
    sensitive: fc.oneof(fc.constant([]), someOf(SENSITIVE_ASPECTS)),
    commitments: someOf(COMMITMENTS),
    irbReference: maybe(fc.constant('IRB-2026-1')),
    country: maybe(fc.constantFrom(...COUNTRIES)),
    publishAfter: maybe(date),
    projectId: maybe(fc.constantFrom(...PROJECTS)),
  })
  .map((p) => {
    const needsDisease = p.terms.some((t) => t === P.DS || t === DUO_PURPOSE.diseaseCategoryResearch);
    return ResearchPurposeSchema.parse({ ...p, diseases: needsDisease && p.diseases.length === 0 ? ['DOID:162'] : p.diseases });
  });

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
