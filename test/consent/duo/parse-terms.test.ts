// Reading consents and purposes written as terms: what is accepted, and errors that name the term.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ConsentScopeSchema, ResearchPurposeSchema } from '../../../schemas/duo.ts';
import { DuoInputError, parseConsentTerms, parsePurposeTerms, writeConsentTerms, writePurposeTerms } from '../../../consent/duo/parse-terms.ts';
import { purposeArb, scopeArb } from './duo-arbitraries.ts';

const ATTRS = { forProfit: false, commercial: false };

function rejects(fn: () => unknown, subject: string, problem: RegExp) {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof DuoInputError, String(err));
    assert.equal(err.subject, subject);
    assert.match(err.problem, problem);
    assert.ok(err.message.startsWith(`${subject}: `));
    return true;
  });
}

describe('DUO terms reader', () => {
  it('reads ids and shorthands in any case, with values, into a scope that passes its schema and survives JSON', () => {
    const scope = parseConsentTerms('ds doid:162 MONDO:0005575 npu duo:0000024=2027-01-31 TS=18 gs=us,ca PS=project-x COL=dr-lee', { consentedOn: '2025-01-10' });
    assert.deepEqual(scope, {
      permission: 'DUO:0000007',
      diseases: ['DOID:162', 'MONDO:0005575'],
      modifiers: [
        { term: 'DUO:0000045' },
        { term: 'DUO:0000024', until: '2027-01-31' },
        { term: 'DUO:0000025', duration: 'P18M' },
        { term: 'DUO:0000022', countries: ['US', 'CA'] },
        { term: 'DUO:0000027', project: 'project-x' },
        { term: 'DUO:0000020', note: 'dr-lee' },
      ],
      consentedOn: '2025-01-10',
    });
    assert.deepEqual(ConsentScopeSchema.parse(JSON.parse(JSON.stringify(scope))), scope);
  });

  it('reads a purpose with its attributes into a purpose that passes its schema', () => {
    const purpose = parsePurposeTerms('DUO:0000040 DOID:10155 DUO:0000038', { ...ATTRS, sensitive: ['children'], country: 'CA' });
    assert.deepEqual(purpose, {
      terms: ['DUO:0000040', 'DUO:0000038'],
      diseases: ['DOID:10155'],
      forProfit: false,
      commercial: false,
      sensitive: ['children'],
      commitments: [],
      country: 'CA',
    });
    assert.deepEqual(ResearchPurposeSchema.parse(JSON.parse(JSON.stringify(purpose))), purpose);
  });

  describe('consent errors name the term as written', () => {
    const cases: [text: string, subject: string, problem: RegExp][] = [
      ['GRU FOO', 'FOO', /not a DUO term, a DUO shorthand/],
      ['DUO:0000099', 'DUO:0000099', /not a DUO term/],
      ['DUO:0000005', 'DUO:0000005', /obsolete \(GRU-CC\): use GRU/],
      ['DUO:0000017', 'DUO:0000017', /category "data use modifier"/],
      ['DS DOID:99999999', 'DOID:99999999', /not in the Human Disease Ontology/],
      ['DS MONDO:0000238', 'MONDO:0000238', /no exact match to a current Human Disease Ontology term/],
      ['DS MONDO:123', 'MONDO:123', /not a disease id/],
      ['DS DOID:162=x', 'DOID:162=x', /takes no value/],
      ['GRU HMB', 'HMB', /one permission term, and GRU is already given/],
      ['GRU=x', 'GRU=x', /takes no value/],
      ['DS', 'DS', /needs at least one disease id/],
      ['HMB DOID:162', 'DOID:162', /belong to DS/],
      ['DS DOID:162 DOID:162', 'DOID:162', /appears twice/],
      ['GRU NPU DUO:0000045', 'DUO:0000045', /appears twice/],
      ['GRU MOR', 'MOR', /needs a value/],
      ['GRU MOR=2027-02-30', 'MOR=2027-02-30', /not a real date/],
      ['GRU npu=x', 'npu=x', /takes no value/],
      ['GRU GS=US,XX', 'GS=US,XX', /XX is not a country code/],
      ['GRU GS=US,', 'GS=US,', /\(empty\) is not a country code/],
      ['GRU TS=P0Y', 'TS=P0Y', /longer than zero/],
      ['GRU TS=2Y', 'TS=2Y', /a duration such as P2Y/],
      ['GRU TS=P2Y', 'TS', /counts from the day consent was given/],
      ['GRU PS=a b', 'b', /not a DUO term/],
      ['GRU PS=-x', 'PS=-x', /a project id/],
      ['GRU DUO:0000038', 'DUO:0000038', /research purpose term, not a consent term/],
      ['   ', '(terms)', /no terms given/],
      ['NPU IRB', '(consent)', /needs one permission term/],
    ];
    for (const [text, subject, problem] of cases) it(JSON.stringify(text), () => rejects(() => parseConsentTerms(text), subject, problem));
  });

  describe('purpose errors name the term or attribute', () => {
    const cases: [text: string, attributes: object, subject: string, problem: RegExp][] = [
      ['HMB NPU', {}, 'NPU', /consent modifier: describe the project with its attributes/],
      ['NRES', {}, 'NRES', /describes a consent/],
      ['DS', {}, 'DS', /need at least one disease id/],
      ['DUO:0000040', {}, 'DS', /need at least one disease id/],
      ['DOID:162', {}, '(purpose)', /needs at least one DUO term/],
      ['HMB DUO:0000006', {}, 'DUO:0000006', /appears twice/],
      ['HMB=1', {}, 'HMB=1', /takes no value/],
      ['HMB', { country: 'XX' }, 'country', /not a known country code/],
      ['HMB', { publishAfter: '2027-13-01' }, 'publishAfter', /not a real date/],
      ['HMB', { projectId: 'has space' }, 'projectId', /a project id/],
    ];
    for (const [text, attributes, subject, problem] of cases) {
      it(`${JSON.stringify(text)} ${JSON.stringify(attributes)}`, () => rejects(() => parsePurposeTerms(text, { ...ATTRS, ...attributes }), subject, problem));
    }
  });

  describe('writing terms back', () => {
    it('writes shorthands, disease ids and values', () => {
      const scope = parseConsentTerms('DUO:0000007 DOID:162 DUO:0000045 DUO:0000022=US,CA DUO:0000025=P2Y', { consentedOn: '2025-01-10' });
      assert.equal(writeConsentTerms(scope), 'DS DOID:162 NPU GS=US,CA TS=P2Y');
      assert.equal(writePurposeTerms(parsePurposeTerms('DUO:0000040 DOID:10155 HMB', ATTRS)), 'DUO:0000040 HMB DOID:10155');
    });

    it('reads back exactly what it wrote, for any scope and purpose', () => {
      fc.assert(
        fc.property(scopeArb(), purposeArb, (scope, purpose) => {
          const { consentedOn, restrictionsText } = scope;
          assert.deepEqual(parseConsentTerms(writeConsentTerms(scope), { consentedOn, restrictionsText }), scope);
          const { terms: _t, diseases: _d, ...attributes } = purpose;
          assert.deepEqual(parsePurposeTerms(writePurposeTerms(purpose), attributes), purpose);
        }),
        { numRuns: 300 },
      );
    });
  });
});
