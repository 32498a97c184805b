// `genovault duo match` and `duo terms`, run as a reviewer runs them: the vault's own matcher,
// permit / deny / review with reasons and versions, and bad input refused with exit 2.
import { strict as assert } from 'node:assert';
import { DuoDecisionSchema } from '../../../schemas/duo.ts';
import { matchPurpose } from '../../../consent/duo/match.ts';
import { parseConsentTerms, parsePurposeTerms } from '../../../consent/duo/parse-terms.ts';
import { todayUtc } from '../../../consent/duo/dates.ts';
import { runCli } from '../../helpers/run-cli.ts';

async function matchJson(args: string[]) {
  const r = await runCli(['duo', 'match', ...args, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  return DuoDecisionSchema.parse(JSON.parse(r.stdout));
}

describe('genovault duo', function () {
  this.timeout(120_000);

  it('permits the example: intestinal cancer research on a cancer consent, requester not for-profit', async () => {
    const result = await matchJson(['--consent', 'DUO:0000007 DOID:162 DUO:0000045', '--purpose', 'DUO:0000007 DOID:10155']);
    assert.equal(result.decision, 'permit');
    assert.ok(result.reasons.some((r) => /Intestinal cancer \(DOID:10155\) is within the consent's disease cancer \(DOID:162\)/.test(r)));
    assert.ok(result.reasons.some((r) => /NPU/.test(r)));
    assert.match(result.versions.duo, /2021-02-23/);
    assert.equal(result.on, todayUtc());
  });

  it('gives exactly what the matcher gives in the service, flags mapped to the project attributes', async () => {
    const consent = 'HMB NPU MOR=2027-01-31 GS=US,CA';
    const purpose = 'DS DOID:1612';
    const result = await matchJson(['--consent', consent, '--purpose', purpose, '--for-profit', '--publish-after', '2026-12-01', '--country', 'fr', '--at', '2026-06-15']);
    const expected = matchPurpose(
      parseConsentTerms(consent),
      parsePurposeTerms(purpose, { forProfit: true, commercial: false, publishAfter: '2026-12-01', country: 'FR' }),
      { on: '2026-06-15' },
    );
    assert.deepEqual(result, expected);
    assert.equal(result.decision, 'deny');
    assert.deepEqual(result.findings.filter((f) => f.outcome === 'deny').map((f) => f.rule), ['NPU', 'MOR', 'GS']);
  });

  it('checks the modifiers against the project flags; with all satisfied, a sensitive project goes to review', async () => {
    const result = await matchJson([
      '--consent', 'DS MONDO:0004992 TS=P2Y GS=US,CA IRB PS=project-x COL NCU', '--consented', '2025-01-10',
      '--purpose', 'DUO:0000040 DOID:3910 DUO:0000038', '--irb', 'IRB-7', '--country', 'CA', '--project', 'project-x',
      '--commitments', 'collaboration', '--commercial', '--sensitive', 'children', '--at', '2026-06-15',
    ]);
    assert.equal(result.decision, 'deny', 'NCU refuses the commercial use');
    const noncommercial = await matchJson([
      '--consent', 'DS MONDO:0004992 TS=P2Y GS=US,CA IRB PS=project-x COL NCU', '--consented', '2025-01-10',
      '--purpose', 'DUO:0000040 DOID:3910 DUO:0000038', '--irb', 'IRB-7', '--country', 'CA', '--project', 'project-x',
      '--commitments', 'collaboration', '--sensitive', 'children', '--at', '2026-06-15',
    ]);
    assert.equal(noncommercial.decision, 'review');
    assert.deepEqual(noncommercial.findings.filter((f) => f.outcome !== 'permit').map((f) => f.rule), ['sensitive:children']);
  });

  it('prints a plain-language answer by default', async () => {
    const r = await runCli(['duo', 'match', '--consent', 'GRU COL', '--purpose', 'HMB', '--at', '2026-06-15']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^REVIEW \(a person on the ethics board decides\)\n {2}- The consent requires collaboration/);
    assert.match(r.stdout, /Also found:\n {2}- permit: The consent allows general research use/);
    assert.match(r.stdout, /Decided for 2026-06-15 under DUO release 2021-02-23/);
  });

  it('refuses bad input with exit 2, naming the bad term or option, and prints no decision', async () => {
    const cases: [args: string[], message: RegExp][] = [
      [['--consent', 'GRU FOO', '--purpose', 'HMB'], /--consent: FOO: not a DUO term/],
      [['--consent', 'DS DOID:99999999', '--purpose', 'HMB'], /--consent: DOID:99999999: is not in the Human Disease Ontology/],
      [['--consent', 'GRU', '--purpose', 'HMB MONDO:9999999'], /--purpose: MONDO:9999999: has no exact match/],
      [['--consent', 'HMB TS=P2Y', '--purpose', 'HMB'], /--consent: TS: counts from the day consent was given/],
      [['--consent', 'GRU', '--purpose', 'HMB', '--sensitive', 'children,secret'], /--sensitive: secret is not one of controls/],
      [['--consent', 'GRU', '--purpose', 'HMB', '--country', 'XX'], /--country: not a known country code/],
      [['--consent', 'GRU', '--purpose', 'HMB', '--at', '2026-13-01'], /--at: 2026-13-01 is not a date/],
      [['--consent', 'GRU'], /--purpose is required/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(['duo', 'match', ...args, '--format', 'json'])));
    results.forEach((r, i) => {
      assert.equal(r.code, 2, `${cases[i]![0].join(' ')}: ${r.stderr}`);
      assert.match(r.stderr.split('\n')[0]!, cases[i]![1]);
      assert.equal(r.stdout, '');
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    });
  });

  it('lists the DUO terms it knows', async () => {
    const r = await runCli(['duo', 'terms', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const terms = JSON.parse(r.stdout) as { id: string; shorthand?: string; kind: string }[];
    assert.equal(terms.length, 33);
    assert.deepEqual(terms.filter((t) => t.kind === 'permission').map((t) => t.shorthand), ['NRES', 'GRU', 'HMB', 'DS', 'POA']);
  });
});
