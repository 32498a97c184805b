// Impossible dates and hidden characters are refused at the door (security review, item 11),
// replayed over HTTPS against the vault: each answer is a 400 naming the field, and nothing is
// stored, for the review's own inputs and for any name with a forbidden character in it.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { HttpResult } from '../helpers/http-client.ts';
import { worldForSuite } from './service-world.ts';

const record = { mrn: 'MRN-TI-0001', givenName: 'Ada', familyName: 'Lovelace', birthDate: '1980-02-03', sex: 'female', zip: '02139', conditions: [] };

function assertRefused(r: HttpResult<Record<string, unknown>>, field: string): void {
  assert.equal(r.status, 400, r.text);
  assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.deepEqual((r.body.errors as { path: string }[]).map((e) => e.path), [field], r.text);
}

const forbidden = fc.oneof(
  fc.integer({ min: 0, max: 0x9f }).filter((c) => c < 0x20 || c >= 0x7f).map((c) => String.fromCharCode(c)),
  fc.constantFrom(...'\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069'),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
);
const name = fc.stringMatching(/^[A-Z][a-z]{1,12}$/);

describe('typed input over HTTPS (security review, item 11)', function () {
  this.timeout(180_000);
  const suite = worldForSuite({ https: true });
  const tokens: Record<string, string> = {};
  before(async () => {
    for (const user of ['clin_a', 'clin_b']) tokens[user] = await suite.w.login(user);
  });

  const create = (body: Record<string, unknown>) => suite.w.http('/patients', { method: 'POST', token: tokens.clin_a!, body: { ...record, ...body } });
  const stored = (mrn: string) => suite.w.service.clinical.patientIdByMrn(mrn) ?? suite.w.service.vault.catalog.patientByMrn(mrn)?.patientId;

  it('refuses the review\u2019s birth date of 2999-02-30, a future one and one before 1900, storing nothing', async () => {
    const tomorrowPlusOne = new Date(Date.now() + 2 * 86_400_000 + 14 * 3_600_000).toISOString().slice(0, 10);
    for (const [i, birthDate] of ['2999-02-30', '2023-02-29', tomorrowPlusOne, '1899-12-31', '1980-2-3'].entries()) {
      const mrn = `MRN-TI-D${i}`;
      assertRefused(await create({ mrn, birthDate }), 'body.birthDate');
      assert.equal(stored(mrn), undefined, birthDate);
    }
  });

  it('refuses NUL, bidirectional overrides and unpaired surrogates in names, storing nothing', async () => {
    const cases: [string, Record<string, string>][] = [
      ['body.givenName', { givenName: 'Ada\u0000' }],
      ['body.familyName', { familyName: 'Love\u202Eecal' }],
      ['body.givenName', { givenName: 'Ada\uD800' }],
      ['body.familyName', { familyName: '\u2066Lovelace\u2069' }],
      ['body.givenName', { givenName: '   ' }],
      ['body.givenName', { givenName: '1234' }],
    ];
    for (const [i, [field, fields]] of cases.entries()) {
      const mrn = `MRN-TI-N${i}`;
      assertRefused(await create({ mrn, ...fields }), field);
      assert.equal(stored(mrn), undefined);
    }
    const display = await create({ mrn: 'MRN-TI-C1', conditions: [{ system: 'icd10', code: 'Z80.3', display: 'family history\u0007' }] });
    assertRefused(display, 'body.conditions.0.display');
  });

  it('refuses a break-glass reason of ten NULs, or of no real text, and grants nothing', async () => {
    const { w } = suite;
    const grants = w.service.clinical.breakGlassGrants().length;
    for (const reason of ['\u0000'.repeat(10), ' '.repeat(12), '.'.repeat(12), '\u202E'.repeat(10) + 'emergency']) {
      const r = await w.http(`/patients/${w.patientA}/break-glass`, { method: 'POST', token: tokens.clin_b!, body: { reason } });
      assertRefused(r, 'body.reason');
    }
    assert.equal(w.service.clinical.breakGlassGrants().length, grants);
  });

  it('refuses an update with a hidden character and keeps the record as it was', async () => {
    const { w } = suite;
    const before = w.service.clinical.get(w.patientA)!;
    const r = await w.http(`/patients/${w.patientA}`, { method: 'PATCH', token: tokens.clin_a!, body: { familyName: 'Love\u202Dlace' } });
    assertRefused(r, 'body.familyName');
    assert.deepEqual(w.service.clinical.get(w.patientA), before);
  });

  it('refuses any name with a forbidden character anywhere, naming the field and storing nothing (property)', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(name, forbidden, fc.nat(), fc.constantFrom('givenName', 'familyName'), async (valid, bad, at, field) => {
        const i = at % (valid.length + 1);
        const mrn = `MRN-TI-P${n++}`;
        assertRefused(await create({ mrn, [field]: valid.slice(0, i) + bad + valid.slice(i) }), `body.${field}`);
        assert.equal(stored(mrn), undefined);
      }),
      { numRuns: 60 },
    );
  });

  it('accepts the same names without the forbidden character (the schema lets real names through)', async () => {
    for (const [i, given] of ['Ada', 'José', "O'Neil", 'Nguyễn Văn', 'محمد'].entries()) {
      const r = await create({ mrn: `MRN-TI-OK${i}`, givenName: given });
      assert.notEqual(r.status, 400, r.text);
    }
  });
});
