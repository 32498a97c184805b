// Every DUO modifier against the project's attributes: satisfied, not satisfied, and (where the
// attributes cannot settle it) review.
import assert from 'node:assert/strict';
import { DUO_MODIFIER, DUO_PERMISSION, type ConsentScope } from '../../../schemas/duo.ts';
import { matchPurpose } from '../../../consent/duo/match.ts';
import { parsePurposeTerms } from '../../../consent/duo/parse-terms.ts';
import { decide, expectDecision } from './duo-kit.ts';

describe('DUO modifiers', () => {
  describe('NPUNCU, NPU and NCU are distinct: who requests vs what the use is', () => {
    it('NPUNCU (DUO:0000018) needs both a not-for-profit requester and non-commercial use', () => {
      expectDecision({ consent: 'GRU DUO:0000018', purpose: 'HMB' }, 'permit', 'NPUNCU', /not-for-profit and the use is not commercial/);
      expectDecision({ consent: 'GRU NPUNCU', purpose: 'HMB', attributes: { forProfit: true } }, 'deny', 'NPUNCU', /for-profit organisation/);
      expectDecision({ consent: 'GRU NPUNCU', purpose: 'HMB', attributes: { commercial: true } }, 'deny', 'NPUNCU', /use is commercial/);
    });

    it('NPU (DUO:0000045) refuses a for-profit requester, not commercial use as such', () => {
      expectDecision({ consent: 'GRU DUO:0000045', purpose: 'HMB', attributes: { commercial: true } }, 'permit', 'NPU', /requester is not-for-profit/);
      expectDecision({ consent: 'GRU NPU', purpose: 'HMB', attributes: { forProfit: true } }, 'deny', 'NPU', /for-profit organisation/);
    });

    it('NCU (DUO:0000046) refuses commercial use, not a for-profit requester doing non-commercial research', () => {
      expectDecision({ consent: 'GRU DUO:0000046', purpose: 'HMB', attributes: { forProfit: true } }, 'permit', 'NCU', /not commercial/);
      expectDecision({ consent: 'GRU NCU', purpose: 'HMB', attributes: { commercial: true } }, 'deny', 'NCU', /commercial/);
    });
  });

  describe('MOR (DUO:0000024): no publication before the date', () => {
    const consent = 'HMB DUO:0000024=2027-01-31';
    it('permits a project that will publish on or after the date', () => {
      expectDecision({ consent, purpose: 'HMB', attributes: { publishAfter: '2027-02-01' } }, 'permit', 'MOR', /will publish from 2027-02-01/);
      expectDecision({ consent, purpose: 'HMB', attributes: { publishAfter: '2027-01-31' } }, 'permit', 'MOR');
    });
    it('permits anything once the date has come', () => {
      expectDecision({ consent, purpose: 'HMB', on: '2027-01-31' }, 'permit', 'MOR', /that day has come/);
    });
    it('denies a project that plans to publish earlier', () => {
      expectDecision({ consent, purpose: 'HMB', attributes: { publishAfter: '2027-01-30' } }, 'deny', 'MOR', /plans to publish from 2027-01-30/);
    });
    it('sends a project that has not said when it publishes to review', () => {
      expectDecision({ consent, purpose: 'HMB' }, 'review', 'MOR', /has not said when it will publish/);
    });
  });

  describe('TS (DUO:0000025): a time limit counted from the consent date', () => {
    const extras = { consentedOn: '2025-01-10' };
    it('permits through the last day, and denies from the day after', () => {
      expectDecision({ consent: 'HMB DUO:0000025=P2Y', purpose: 'HMB', extras, on: '2027-01-09' }, 'permit', 'TS', /2 years from 2025-01-10 \(TS\), through 2027-01-09/);
      expectDecision({ consent: 'HMB TS=P2Y', purpose: 'HMB', extras, on: '2027-01-10' }, 'deny', 'TS', /after that/);
    });
    it('reads a bare number as months, and ends a month early rather than spill past its end', () => {
      expectDecision({ consent: 'HMB TS=18', purpose: 'HMB', extras, on: '2026-07-09' }, 'permit', 'TS', /18 months/);
      expectDecision({ consent: 'HMB TS=18', purpose: 'HMB', extras, on: '2026-07-10' }, 'deny', 'TS');
      expectDecision({ consent: 'HMB TS=P6M', purpose: 'HMB', extras: { consentedOn: '2025-08-31' }, on: '2026-02-27' }, 'permit', 'TS', /through 2026-02-27/);
      expectDecision({ consent: 'HMB TS=P6M', purpose: 'HMB', extras: { consentedOn: '2025-08-31' }, on: '2026-02-28' }, 'deny', 'TS');
    });
    it('denies a request dated before the consent was given', () => {
      expectDecision({ consent: 'HMB', purpose: 'HMB', extras, on: '2025-01-09' }, 'deny', 'consent-date', /before the consent was given/);
    });
    it('sends a TS scope with no consent date (built without the schema) to review', () => {
      const scope: ConsentScope = { permission: DUO_PERMISSION.HMB, diseases: [], modifiers: [{ term: DUO_MODIFIER.TS, duration: 'P1Y' }] };
      const purpose = parsePurposeTerms('HMB', { forProfit: false, commercial: false });
      assert.equal(matchPurpose(scope, purpose, { on: '2026-01-01' }).decision, 'review');
    });
  });

  describe('GS (DUO:0000022): where the data may be used', () => {
    const consent = 'HMB DUO:0000022=US,CA';
    it('permits a project in a listed country', () => expectDecision({ consent, purpose: 'HMB', attributes: { country: 'CA' } }, 'permit', 'GS', /United States, Canada \(GS\), and the project is in Canada/));
    it('denies a project elsewhere', () => expectDecision({ consent, purpose: 'HMB', attributes: { country: 'FR' } }, 'deny', 'GS', /in France/));
    it('sends a project that has not said where to review', () => expectDecision({ consent, purpose: 'HMB' }, 'review', 'GS', /has not said where/));
  });

  describe('IRB (DUO:0000021): an ethics approval reference', () => {
    it('permits a project that gives one', () => expectDecision({ consent: 'HMB DUO:0000021', purpose: 'HMB', attributes: { irbReference: 'IRB-2026-114' } }, 'permit', 'IRB'));
    it('denies a project that gives none', () => expectDecision({ consent: 'HMB IRB', purpose: 'HMB' }, 'deny', 'IRB', /no approval reference/));
  });

  describe('PS (DUO:0000027): one approved project', () => {
    it('permits the named project', () => expectDecision({ consent: 'HMB DUO:0000027=project-x', purpose: 'HMB', attributes: { projectId: 'project-x' } }, 'permit', 'PS', /which is this project/));
    it('denies another project', () => expectDecision({ consent: 'HMB PS=project-x', purpose: 'HMB', attributes: { projectId: 'project-y' } }, 'deny', 'PS', /another project/));
    it('reviews a purpose naming no project', () => expectDecision({ consent: 'HMB PS=project-x', purpose: 'HMB' }, 'review', 'PS', /names no project/));
    it('reviews a PS that names no project', () => expectDecision({ consent: 'HMB PS', purpose: 'HMB', attributes: { projectId: 'project-x' } }, 'review', 'PS', /without naming it/));
  });

  describe('COL, PUB and RTN: satisfied by what the project commits to, else review', () => {
    const rows = [
      ['DUO:0000020', 'COL', 'collaboration', /collaboration with the original study investigators/],
      ['DUO:0000019', 'PUB', 'publication', /made available to the scientific community/],
      ['DUO:0000029', 'RTN', 'return-data', /returned to the vault/],
    ] as const;
    for (const [id, rule, commitment, words] of rows) {
      it(`${rule} (${id})`, () => {
        expectDecision({ consent: `HMB ${id}`, purpose: 'HMB', attributes: { commitments: [commitment] } }, 'permit', rule, words);
        expectDecision({ consent: `HMB ${rule}`, purpose: 'HMB', attributes: { commitments: rows.map((r) => r[2]).filter((c) => c !== commitment) } }, 'review', rule, /has not committed/);
      });
    }
    it('shows a COL note to the reviewer', () => expectDecision({ consent: 'HMB COL=dr-lee-cohort', purpose: 'HMB' }, 'review', 'COL', /\(dr-lee-cohort\)/));
  });

  describe('US, IS and RS: only a person can check them', () => {
    const all = { forProfit: false, commercial: false, irbReference: 'IRB-1', country: 'US', projectId: 'p-1', commitments: ['collaboration', 'publication', 'return-data'] as const };
    for (const [id, rule] of [['DUO:0000026', 'US'], ['DUO:0000028', 'IS'], ['DUO:0000012', 'RS']] as const) {
      it(`${rule} (${id}) is review whatever the project declares`, () => {
        expectDecision({ consent: `GRU ${id}`, purpose: 'HMB', attributes: { ...all, commitments: [...all.commitments] } }, 'review', rule, /a person decides/);
      });
    }
    it('shows an IS note to the reviewer', () => expectDecision({ consent: 'GRU IS=st-olaf-hospital', purpose: 'HMB' }, 'review', 'IS', /\(st-olaf-hospital\)/));
  });

  describe('NMDS (DUO:0000015): no general methods development', () => {
    it('permits research that is not methods development', () => expectDecision({ consent: 'GRU DUO:0000015', purpose: 'HMB' }, 'permit', 'NMDS'));
    it('permits methods development tied to the diseases the purpose names', () => {
      expectDecision({ consent: 'GRU NMDS', purpose: 'DUO:0000031 DS DOID:162' }, 'permit', 'NMDS', /tied to the diseases/);
    });
    it('denies methods development tied to no disease', () => expectDecision({ consent: 'GRU NMDS', purpose: 'DUO:0000031 HMB' }, 'deny', 'NMDS', /tied to no disease/));
  });

  describe('GSO (DUO:0000016): genetic studies only', () => {
    it('permits genetic research', () => expectDecision({ consent: 'HMB DUO:0000016', purpose: 'DUO:0000038' }, 'permit', 'GSO'));
    it('reviews research that does not say it is genetic', () => expectDecision({ consent: 'HMB GSO', purpose: 'HMB' }, 'review', 'GSO', /does not say it is genetic/));
  });

  describe('NPOA (DUO:0000044): population origins or ancestry research prohibited', () => {
    it('denies it even on a GRU consent', () => expectDecision({ consent: 'GRU DUO:0000044', purpose: 'DUO:0000032' }, 'deny', 'NPOA'));
    it('permits other research', () => expectDecision({ consent: 'GRU NPOA', purpose: 'HMB' }, 'permit', 'NPOA'));
  });

  it('CC (DUO:0000043) allows clinical care too and neither widens nor narrows research use', () => {
    expectDecision({ consent: 'HMB DUO:0000043', purpose: 'HMB' }, 'permit', 'CC', /no bearing on research/);
    expectDecision({ consent: 'HMB CC', purpose: 'GRU' }, 'deny', 'permission');
  });

  it('restrictions written in words always go to review', () => {
    expectDecision({ consent: 'GRU', purpose: 'HMB', extras: { restrictionsText: 'not for research on addiction' } }, 'review', 'free-text', /written in words/);
  });

  it('a deny outweighs reviews, and the reasons are the denying findings only', () => {
    const result = decide({ consent: 'HMB NPU COL GS=US', purpose: 'HMB', attributes: { forProfit: true } });
    assert.equal(result.decision, 'deny');
    assert.deepEqual(result.findings.map((f) => [f.rule, f.outcome]), [['permission', 'permit'], ['NPU', 'deny'], ['COL', 'review'], ['GS', 'review']]);
    assert.equal(result.reasons.length, 1);
    assert.match(result.reasons[0]!, /NPU/);
  });
});
