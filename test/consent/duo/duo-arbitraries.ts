// Generated consent scopes and research purposes for property tests: every one passes its schema.
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
  type ResearchPurpose,
} from '../../../schemas/duo.ts';

const DISEASE_POOL = ['DOID:162', 'DOID:10155', 'DOID:3910', 'DOID:1485', 'DOID:1612', 'DOID:9256', 'DOID:3119', 'MONDO:0004992', 'MONDO:0004950', 'MONDO:0005061'];
const DATES = ['2024-12-31', '2025-06-01', '2026-06-15', '2027-01-31', '2028-02-29'];
const COUNTRIES = ['US', 'CA', 'FR'];
const PROJECTS = ['p-1', 'p-2'];

export const date = fc.constantFrom(...DATES);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const someOf = <T>(items: readonly T[], minLength = 0) => fc.subarray([...items], { minLength });

export const modifierArb: fc.Arbitrary<DuoModifier> = fc.oneof(
  date.map((until) => ({ term: M.MOR, until })),
  fc.constantFrom('P1Y', 'P6M', 'P90D', 'P2Y').map((duration) => ({ term: M.TS, duration })),
  someOf(COUNTRIES, 1).map((countries) => ({ term: M.GS, countries })),
  maybe(fc.constantFrom(...PROJECTS)).map((project) => (project ? { term: M.PS, project } : { term: M.PS })),
  fc.constantFrom(M.RS, M.COL, M.US, M.IS, M.NMDS, M.GSO, M.NPUNCU, M.PUB, M.IRB, M.RTN, M.CC, M.NPOA, M.NPU, M.NCU).map((term) => ({ term })),
);

export const modifiersArb = fc.uniqueArray(modifierArb, { selector: (m) => m.term, maxLength: 5 });

export function scopeArb(permission: fc.Arbitrary<ConsentScope['permission']> = fc.constantFrom(...Object.values(P))): fc.Arbitrary<ConsentScope> {
  return fc
    .record({ permission, diseases: someOf(DISEASE_POOL, 1).map((d) => d.slice(0, 2)), modifiers: modifiersArb, consentedOn: date, text: fc.boolean() })
    .map(({ permission, diseases, modifiers, consentedOn, text }) =>
      ConsentScopeSchema.parse({ permission, diseases: permission === P.DS ? diseases : [], modifiers, consentedOn, ...(text ? { restrictionsText: 'see the form' } : {}) }),
    );
}

const PURPOSE_TERMS = [...Object.values(DUO_PURPOSE), P.GRU, P.HMB, P.DS, P.POA];
export const purposeArb: fc.Arbitrary<ResearchPurpose> = fc
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
    const given = Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined));
    return ResearchPurposeSchema.parse({ ...given, diseases: needsDisease && p.diseases.length === 0 ? ['DOID:162'] : p.diseases });
  });
