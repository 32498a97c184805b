// Shortcuts for the usual fixed-column values must give what the general code gives: QUAL read without
// Number() equals Number(), and refusals keep their message.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { checkQual } from '../../../../vault/ingest/vcf/typed-values.ts';
import { LineCursor } from '../../../../vault/ingest/vcf/line-cursor.ts';
import { VcfProblemError } from '../../../../vault/ingest/vcf/vcf-format-error.ts';

function qual(text: string): number | string {
  const cursor = new LineCursor(true);
  const buf = Buffer.from(`x\t${text}\t.`);
  cursor.setBuffer(buf);
  cursor.lineNo = 3;
  try {
    return checkQual(cursor, 2, 2 + Buffer.byteLength(text));
  } catch (err) {
    if (!(err instanceof VcfProblemError)) throw err;
    return `${err.problem.column}: ${err.problem.message}`;
  }
}

describe('fixed-column shortcuts', () => {
  it('QUAL of plain decimals is exactly Number(text) (property)', () => {
    const digits = fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '5', '7', '9'), minLength: 0, maxLength: 18 });
    const decimal = fc.tuple(digits, fc.boolean(), digits).map(([a, dot, b]) => (dot ? `${a}.${b}` : a + b)).filter((t) => /[0-9]/.test(t));
    fc.assert(
      fc.property(decimal, (text) => {
        assert.ok(Object.is(qual(text), Number(text)), `${text}: ${String(qual(text))} != ${Number(text)}`);
      }),
      { numRuns: 20000 },
    );
  });

  it('QUAL still refuses, and reads, everything else as before', () => {
    assert.ok(Number.isNaN(qual('.')));
    assert.equal(qual('1e3'), 1000);
    assert.equal(qual('+5'), 5);
    assert.equal(qual('0.1000000000000000055511151231257827'), 0.1);
    assert.equal(qual('12345678901234567890'), Number('12345678901234567890'));
    assert.equal(qual('-1'), "3: QUAL cannot be negative: '-1'");
    assert.equal(qual('1.2.3'), "3: QUAL is not a number: '1.2.3'");
    assert.equal(qual('..'), "3: QUAL is not a number: '..'");
    assert.equal(qual(''), "3: QUAL is not a number: ''");
  });
});
