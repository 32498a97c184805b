// The permission terms (NRES, GRU, HMB, DS, POA) against purposes, and DS's disease hierarchy.
import assert from 'node:assert/strict';
import type { DuoOutcome } from '../../../schemas/duo.ts';
import { decide, expectDecision, type Case } from './duo-kit.ts';

type Row = [consent: string, purpose: string, decision: DuoOutcome, rule: string, reason: RegExp, attributes?: Case['attributes']];

function table(rows: Row[]) {
  for (const [consent, purpose, decision, rule, reason, attributes] of rows) {
    it(`${consent} | ${purpose}${attributes ? ` ${JSON.stringify(attributes)}` : ''} → ${decision}`, () => {
      expectDecision({ consent, purpose, attributes }, decision, rule, reason);
    });
  }
}

describe('DUO permission terms', () => {
  describe('NRES (DUO:0000004) and GRU (DUO:0000042)', () => table([
    ['DUO:0000004', 'HMB', 'permit', 'permission', /no restriction/],
    ['NRES', 'GRU', 'permit', 'permission', /no restriction/],
    ['NRES', 'POA', 'review', 'population', /sensitive use/],
    ['DUO:0000042', 'DUO:0000006', 'permit', 'permission', /general research use/],
    ['GRU', 'DS DOID:162', 'permit', 'permission', /every research purpose/],
    ['GRU', 'GRU', 'permit', 'permission', /general research use/],
    ['GRU', 'DUO:0000031', 'permit', 'permission', /general research use/],
    ['GRU', 'DUO:0000039', 'permit', 'permission', /general research use/],
    ['GRU', 'POA', 'review', 'population', /population origins or ancestry/],
    ['GRU', 'DUO:0000033', 'review', 'population', /population origins or ancestry/],
    ['GRU', 'HMB', 'review', 'population', /population origins or ancestry/, { sensitive: ['population'] }],
  ]));

  describe('HMB (DUO:0000006)', () => table([
    ['HMB', 'HMB', 'permit', 'permission', /HMB\), and the purpose is such research/],
    ['HMB', 'DUO:0000037', 'permit', 'permission', /HMB/],
    ['HMB', 'DUO:0000038', 'permit', 'permission', /HMB/],
    ['HMB', 'DS DOID:162', 'permit', 'permission', /HMB/],
    ['HMB', 'DUO:0000040 DOID:1485', 'permit', 'permission', /HMB/],
    ['HMB', 'GRU', 'deny', 'permission', /general research: it is general research use/],
    ['HMB', 'DUO:0000031', 'deny', 'permission', /names no research area/],
    ['HMB', 'HMB', 'deny', 'permission', /something other than health/, { sensitive: ['non-health'] }],
    ['HMB', 'POA', 'deny', 'population', /excludes/],
    ['HMB', 'DUO:0000032', 'deny', 'population', /excludes/],
    ['HMB', 'DUO:0000038 DUO:0000033', 'deny', 'population', /excludes/],
  ]));

  describe('DS (DUO:0000007): the purpose disease must be the consent disease or below it', () => table([
    ['DS DOID:162', 'DS DOID:162', 'permit', 'disease', /^Cancer \(DOID:162\) is within the consent's disease cancer \(DOID:162\)\.$/],
    ['DUO:0000007 DOID:162 DUO:0000045', 'DUO:0000007 DOID:10155', 'permit', 'disease', /intestinal cancer → gastrointestinal system cancer → organ system cancer → cancer/],
    // six levels down: lung adenocarcinoma → ... → cancer
    ['DS DOID:162', 'DUO:0000040 DOID:3910', 'permit', 'disease', /lung adenocarcinoma → lung non-small cell carcinoma → lung carcinoma → lung cancer → respiratory system cancer → organ system cancer → cancer\.$/],
    ['DS DOID:10155', 'DS DOID:162', 'deny', 'disease', /broader than the consent's disease intestinal cancer/],
    ['DS DOID:3910', 'DS DOID:1324', 'deny', 'disease', /broader/],
    ['DS DOID:162', 'DS DOID:1485', 'deny', 'disease', /cystic fibrosis \(DOID:1485\) is not within the consent's diseases \(cancer \(DOID:162\)\)/i],
    ['DS DOID:162', 'HMB', 'deny', 'permission', /names no disease/],
    ['DS DOID:162', 'DUO:0000038', 'deny', 'permission', /names no disease/],
    ['DS DOID:162', 'GRU', 'deny', 'permission', /general research/],
    ['DS DOID:162', 'POA DS DOID:162', 'deny', 'population', /excludes/],
    // a term with two parents is below both
    ['DS DOID:3479', 'DS DOID:6997', 'permit', 'disease', /within the consent's disease uveal cancer/],
    ['DS DOID:1752', 'DS DOID:6997', 'permit', 'disease', /within the consent's disease ocular melanoma/],
  ]));

  describe('POA (DUO:0000011) stands apart', () => table([
    ['POA', 'POA', 'permit', 'permission', /POA\), and the purpose is such research/],
    ['DUO:0000011', 'DUO:0000033', 'permit', 'permission', /POA/],
    ['POA', 'DUO:0000032', 'permit', 'permission', /POA/],
    ['POA', 'DUO:0000031', 'deny', 'permission', /names no research area/],
    ['POA', 'HMB', 'deny', 'permission', /not such research/],
    ['POA', 'DS DOID:162', 'deny', 'permission', /not such research/],
    ['POA', 'GRU', 'deny', 'permission', /general research/],
    ['POA', 'POA DS DOID:162', 'deny', 'permission', /also health or disease research, which POA does not cover/],
    ['POA', 'DUO:0000033 DUO:0000038', 'deny', 'permission', /also health/],
    ['POA', 'HMB', 'deny', 'permission', /also health/, { sensitive: ['population'] }],
    ['POA', 'DUO:0000031', 'permit', 'permission', /POA/, { sensitive: ['population'] }],
  ]));

  describe('purposes with several diseases: every one must be covered', () => {
    it('permits when each is below some consent disease', () => {
      const result = expectDecision({ consent: 'DS DOID:1612 DOID:1485', purpose: 'DS DOID:3459 DOID:1485' }, 'permit');
      assert.equal(result.findings.filter((f) => f.rule === 'disease' && f.outcome === 'permit').length, 2);
    });

    it('denies when one is not covered, naming it, and still reports the covered one', () => {
      const result = expectDecision({ consent: 'DS DOID:162', purpose: 'DS DOID:10155 DOID:1485' }, 'deny', 'disease', /cystic fibrosis/i);
      assert.equal(result.reasons.length, 1);
      assert.ok(result.findings.some((f) => f.rule === 'disease' && f.outcome === 'permit' && /intestinal cancer/i.test(f.reason)));
    });

    it('denies a purpose spanning a consent disease and its parent', () => {
      expectDecision({ consent: 'DS DOID:9256', purpose: 'DS DOID:9256 DOID:10155' }, 'deny', 'disease', /Intestinal cancer \(DOID:10155\) is broader/);
    });
  });

  describe('MONDO ids, placed through their exact matches', () => table([
    ['DS MONDO:0004992', 'DS DOID:10155', 'permit', 'disease', /within the consent's disease MONDO:0004992 \(cancer, DOID:162\)/],
    ['DS DOID:162', 'DS MONDO:0005061', 'permit', 'disease', /^MONDO:0005061 \(lung adenocarcinoma, DOID:3910\) is within/],
    ['DS MONDO:0005575', 'DS MONDO:0003554', 'permit', 'disease', /adenosquamous colon carcinoma → colon cancer → colorectal cancer/],
    ['DS MONDO:0005814', 'DS MONDO:0004992', 'deny', 'disease', /broader/],
    ['DS MONDO:0007254', 'DS DOID:1485', 'deny', 'disease', /not within/],
    // MONDO:0004950 (gastric carcinoma) matches gastric fundus cancer and stomach carcinoma
    ['DS DOID:3119', 'DS MONDO:0004950', 'permit', 'disease', /MONDO:0004950/],
    ['DS DOID:5517', 'DS MONDO:0004950', 'review', 'disease', /under some of the Disease Ontology terms/],
    ['DS MONDO:0004950', 'DS DOID:5517', 'review', 'disease', /under some of the Disease Ontology terms/],
    ['DS MONDO:0004950', 'DS DOID:1485', 'deny', 'disease', /not within/],
  ]));

  it('never treats an ancestor as covered, whatever the modifiers', () => {
    for (const consent of ['DS DOID:10155', 'DS DOID:10155 NPU', 'DS DOID:10155 IRB']) {
      assert.equal(decide({ consent, purpose: 'DS DOID:162', attributes: { irbReference: 'IRB-1' } }).decision, 'deny', consent);
    }
  });
});
