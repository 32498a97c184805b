// Sensitive aspects of a project send the match to a person, on any consent; population and
// ancestry research follows the permission term instead.
import assert from 'node:assert/strict';
import { SENSITIVE_ASPECTS } from '../../../schemas/duo.ts';
import { decide, expectDecision } from './duo-kit.ts';

describe('DUO sensitive aspects', () => {
  for (const aspect of SENSITIVE_ASPECTS.filter((a) => a !== 'population')) {
    it(`${aspect}: review even under GRU`, () => {
      expectDecision({ consent: 'GRU', purpose: 'HMB', attributes: { sensitive: [aspect] } }, 'review', `sensitive:${aspect}`, /sensitive use, so a person on the ethics board decides/);
    });
  }

  it('non-health research is outside HMB and DS (deny), and sensitive under GRU (review)', () => {
    expectDecision({ consent: 'HMB', purpose: 'HMB', attributes: { sensitive: ['non-health'] } }, 'deny', 'permission');
    expectDecision({ consent: 'DS DOID:162', purpose: 'DS DOID:162', attributes: { sensitive: ['non-health'] } }, 'deny', 'permission');
    expectDecision({ consent: 'NRES', purpose: 'GRU', attributes: { sensitive: ['non-health'] } }, 'review', 'sensitive:non-health');
  });

  it('declared population research: permitted by POA, denied by HMB and DS, review under GRU', () => {
    const attributes = { sensitive: ['population' as const] };
    expectDecision({ consent: 'POA', purpose: 'POA', attributes }, 'permit');
    expectDecision({ consent: 'HMB', purpose: 'HMB', attributes }, 'deny', 'population');
    expectDecision({ consent: 'DS DOID:162', purpose: 'DS DOID:162', attributes }, 'deny', 'population');
    expectDecision({ consent: 'GRU', purpose: 'HMB', attributes }, 'review', 'population');
  });

  it('the purpose terms for age categories, one gender and controls are sensitive too', () => {
    expectDecision({ consent: 'GRU', purpose: 'HMB DUO:0000034' }, 'review', 'sensitive:age-category', /specific age category/);
    expectDecision({ consent: 'GRU', purpose: 'HMB DUO:0000035' }, 'review', 'sensitive:gender', /one gender/);
    expectDecision({ consent: 'DS DOID:162', purpose: 'DUO:0000036 DS DOID:1612' }, 'review', 'sensitive:controls', /controls/);
    expectDecision({ consent: 'POA', purpose: 'POA DUO:0000035' }, 'review', 'sensitive:gender');
  });

  it('a term and a declared aspect that say the same give one finding', () => {
    const result = decide({ consent: 'GRU', purpose: 'HMB DUO:0000035', attributes: { sensitive: ['gender'] } });
    assert.equal(result.findings.filter((f) => f.rule === 'sensitive:gender').length, 1);
  });

  it('a sensitive aspect never lifts a deny to review', () => {
    const result = decide({ consent: 'HMB NPU', purpose: 'HMB', attributes: { forProfit: true, sensitive: ['children', 'vulnerable'] } });
    assert.equal(result.decision, 'deny');
    assert.deepEqual(result.findings.filter((f) => f.outcome === 'review').map((f) => f.rule), ['sensitive:children', 'sensitive:vulnerable']);
  });
});
