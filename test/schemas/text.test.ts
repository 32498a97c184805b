// Typed text: names and free text refuse control characters, bidirectional controls, unpaired
// surrogates and text without letters, for any input around them (property), and never repeat
// the input in their messages.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { freeText, identifierText, lineText, personName } from '../../schemas/text.ts';

const NAME_LETTERS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéüñçøåßŁłŽžαβγπσωЖжЯяأبتשלוםあいう山田李王'];
const NAME_JOINERS = [' ', '-', "'", '\u2019', '.'];

/** Names as people have them: a letter first, then letters with the odd joiner. */
const validName = fc
  .tuple(fc.constantFrom(...NAME_LETTERS), fc.array(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...NAME_LETTERS) }, { weight: 1, arbitrary: fc.constantFrom(...NAME_JOINERS) }), { maxLength: 40 }))
  .map(([first, rest]) => (first + rest.join('')).trim());

const controlCharacter = fc.integer({ min: 0, max: 0x9f }).filter((c) => c < 0x20 || c >= 0x7f).map((c) => String.fromCharCode(c));
const bidiControl = fc.constantFrom(...'\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069');
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const forbidden = fc.oneof(controlCharacter, bidiControl, loneSurrogate, fc.constantFrom('\u2028', '\u2029', '\uFFFE'));
/** free text keeps tab and line breaks, so those are not forbidden there */
const forbiddenInFreeText = forbidden.filter((c) => !['\t', '\n', '\r'].includes(c));

function insertAt(text: string, at: number, piece: string): string {
  const i = at % (text.length + 1);
  return text.slice(0, i) + piece + text.slice(i);
}

function messages(result: { success: boolean; error?: { issues: { message: string }[] } }): string[] {
  return result.error?.issues.map((issue) => issue.message) ?? [];
}

describe('typed text (schemas/text.ts)', () => {
  it('accepts names in any script with spaces, hyphens, apostrophes and periods, trimmed and in NFC', () => {
    for (const name of ['Ada', "O'Brien", 'Jean-Luc', 'St. John', 'Łukasz', 'José', 'محمد', '山田', 'Nguyễn Văn', 'D\u2019Angelo']) {
      assert.equal(personName().parse(`  ${name} `), name.normalize('NFC'), name);
    }
    assert.equal(personName().parse('Jose\u0301'), 'Jos\u00e9', 'a decomposed accent is stored composed');
  });

  it('accepts any name drawn from letters and joiners (property)', () => {
    fc.assert(fc.property(validName, (name) => assert.equal(personName().safeParse(name).success, true, JSON.stringify(name))), { numRuns: 300 });
  });

  it('refuses a name holding a control, bidirectional or unpaired-surrogate character anywhere, without repeating it (property)', () => {
    fc.assert(
      fc.property(validName, forbidden, fc.nat(), (name, bad, at) => {
        const input = insertAt(name, at, bad);
        const result = personName().safeParse(input);
        assert.equal(result.success, false, JSON.stringify(input));
        for (const message of messages(result)) assert.ok(!message.includes(name) || name.length < 3, message);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses names of digits, symbols or nothing, and says why', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['   ', /empty/],
      ['R2-D2', /letters/],
      ['<script>', /letters/],
      ['Ada\u0000', /control/],
      ['Ada\u202Eecila', /bidirectional/],
      ['Ada\uD800', /unpaired surrogate/],
      ['A'.repeat(101), /at most 100/],
    ];
    for (const [input, why] of cases) assert.match(messages(personName().safeParse(input)).join('; '), why, JSON.stringify(input));
  });

  it('refuses free text of only controls, spaces or symbols, and a break-glass reason of ten NULs', () => {
    const reason = freeText(500, { min: 10, minMessage: 'say why, in at least 10 characters' });
    assert.match(messages(reason.safeParse('\u0000'.repeat(10))).join(), /control/);
    assert.match(messages(reason.safeParse(' '.repeat(12))).join(), /say why/);
    assert.match(messages(reason.safeParse('..........!!')).join(), /letters or digits/);
    assert.match(messages(reason.safeParse('\u202Eunconscious in the ER')).join(), /bidirectional/);
    assert.equal(reason.parse('Unconscious patient in the ER;\nno record on site.\t(bed 4)'), 'Unconscious patient in the ER;\nno record on site.\t(bed 4)');
  });

  it('refuses free text with a forbidden character anywhere, for any text around it (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 10, maxLength: 80 }), forbiddenInFreeText, fc.nat(), (text, bad, at) => {
        const input = insertAt(`Reason ${text}`, at, bad);
        assert.equal(freeText(500).safeParse(input).success, false, JSON.stringify(input));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps labels on one line', () => {
    assert.equal(lineText(64).parse(' EHR feed 2 '), 'EHR feed 2');
    for (const bad of ['two\nlines', 'tab\there', 'line\u2028separator', '']) assert.equal(lineText(64).safeParse(bad).success, false, JSON.stringify(bad));
  });

  it('takes identifiers of letters, digits and _ . : - only', () => {
    assert.equal(identifierText(64).parse('p_0123456789abcdef'), 'p_0123456789abcdef');
    for (const bad of ['', 'p 1', "p'1", 'p\u00001', 'x'.repeat(65)]) assert.equal(identifierText(64).safeParse(bad).success, false, JSON.stringify(bad));
  });
});
