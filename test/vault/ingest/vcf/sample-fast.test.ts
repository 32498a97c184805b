// The sample-column fast path against the general checker it stands in for: on generated columns (valid
// and broken) it either declines or gives exactly the genotype and DP/GQ/AD slots checkSample gives, never
// accepting what checkSample refuses or warns about. And whole records parsed with the shortcuts equal
// records parsed without them: same calls, coverage, warnings and first error (line, column, message).
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseHeader, type VcfHeader } from '../../../../vault/ingest/vcf/vcf-header.ts';
import { checkSample, FormatChecker, type FormatSpec, type SampleContext } from '../../../../vault/ingest/vcf/sample-columns.ts';
import { FastSampleReader } from '../../../../vault/ingest/vcf/sample-fast.ts';
import { Genotype } from '../../../../vault/ingest/vcf/genotype.ts';
import { LineCursor } from '../../../../vault/ingest/vcf/line-cursor.ts';
import { VcfProblemError } from '../../../../vault/ingest/vcf/vcf-format-error.ts';
import { ChunkParser } from '../../../../vault/ingest/vcf/chunk-parser.ts';

/** Declared FORMAT keys, with the kind of value the generator writes for each. */
const KEYS: Record<string, { line: string; value: 'gt' | 'int' | 'ints' | 'float' | 'string' | 'char' }> = {
  GT: { line: 'Number=1,Type=String', value: 'gt' },
  DP: { line: 'Number=1,Type=Integer', value: 'int' },
  GQ: { line: 'Number=1,Type=Integer', value: 'int' },
  AD: { line: 'Number=R,Type=Integer', value: 'ints' },
  PL: { line: 'Number=G,Type=Integer', value: 'ints' },
  HQ: { line: 'Number=2,Type=Integer', value: 'ints' },
  XA: { line: 'Number=A,Type=Integer', value: 'ints' },
  XI: { line: 'Number=.,Type=Integer', value: 'ints' },
  XF: { line: 'Number=A,Type=Float', value: 'float' },
  GL: { line: 'Number=G,Type=Float', value: 'float' },
  FT: { line: 'Number=1,Type=String', value: 'string' },
  XS: { line: 'Number=2,Type=String', value: 'string' },
  XC: { line: 'Number=1,Type=Character', value: 'char' },
};
const NAMES = Object.keys(KEYS);

function header(version: string, strict: boolean, samples: number): VcfHeader {
  const lines = [`##fileformat=VCFv${version}`, '##INFO=<ID=END,Number=1,Type=Integer,Description="End">'];
  for (const [id, key] of Object.entries(KEYS)) lines.push(`##FORMAT=<ID=${id},${key.line},Description="${id}">`);
  const names = Array.from({ length: samples }, (_, i) => `S${i + 1}`);
  lines.push(['#CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO', 'FORMAT', ...names].join('\t'));
  return parseHeader(lines, strict);
}

// -- generated text --------------------------------------------------------------------------------
// Each generator mostly writes what the declaration allows; `noisy` mixes in what it does not.

const pick = <T>(clean: fc.Arbitrary<T>, odd: fc.Arbitrary<T>, noisy: boolean): fc.Arbitrary<T> => (noisy ? fc.oneof({ weight: 8, arbitrary: clean }, { weight: 1, arbitrary: odd }) : clean);

/** A GT; when clean, its allele indexes are within the record's ALT count (any index when ALT is '.'). */
function gtValue(altCount: number, noisy: boolean): fc.Arbitrary<string> {
  const indexes = altCount === 0 ? ['1', '2', '7'] : Array.from({ length: altCount }, (_, i) => String(i + 1));
  const allele = pick(fc.constantFrom('0', '0', '0', '.', ...indexes, ...indexes), fc.constantFrom(String(altCount + 1), '4', '9', '10', '01', '', '-1', 'a'), noisy);
  const separator = pick(fc.constantFrom('/', '/', '|'), fc.constantFrom('', '\\', '-', ',', '//'), noisy);
  const lead = pick(fc.constant(''), fc.constantFrom('/', '|'), noisy);
  return fc
    .tuple(lead, fc.oneof({ weight: 6, arbitrary: fc.constant(2) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }) }).chain((n) => fc.array(fc.tuple(allele, separator), { minLength: n, maxLength: n })))
    .map(([head, parts]) => head + parts.map(([a, sep], i) => (i === parts.length - 1 ? a : a + sep)).join(''));
}

/** Numbers of 9 digits and more, either side of the Integer range. */
const LONG = ['123456789', '999999999', '1234567890', '2147483647', '2147483648', '4294967296', '9999999999', '99999999999'];

function number(noisy: boolean): fc.Arbitrary<string> {
  const clean = fc.oneof({ weight: 8, arbitrary: fc.nat(120).map(String) }, { weight: 1, arbitrary: fc.constantFrom('.', '0', '00', '123456789') });
  const odd = fc.constantFrom('', '-1', '+3', '-0', '1.5', '.5', '5.', '1e3', '1E-2', 'nan', 'Inf', '..', '.1.', 'x', '1x');
  return noisy ? fc.oneof({ weight: 6, arbitrary: clean }, { weight: 1, arbitrary: odd }, { weight: 1, arbitrary: fc.constantFrom(...LONG) }) : clean;
}

function decimal(noisy: boolean): fc.Arbitrary<string> {
  const clean = fc.oneof(fc.nat(99).map(String), fc.constantFrom('.', '0.5', '5.', '.25', '12.0'));
  return pick(clean, fc.constantFrom('', '-1.5', '+2', '1e3', '1E-2', 'nan', 'Inf', '..', '.1.', 'x', '5,'), noisy);
}

function list(value: fc.Arbitrary<string>, count: number, noisy: boolean): fc.Arbitrary<string> {
  const n = pick(fc.constant(Math.max(1, count)), fc.integer({ min: 1, max: 5 }), noisy);
  return fc.oneof({ weight: 9, arbitrary: n.chain((k) => fc.array(value, { minLength: k, maxLength: k }).map((v) => v.join(','))) }, { weight: 1, arbitrary: fc.constant('.') });
}

function text(noisy: boolean): fc.Arbitrary<string> {
  return pick(fc.constantFrom('PASS', 'q10', '.', 'x;y', '\u00e9'), fc.constantFrom('', ',', 'a,', ',b', 'a,,b', '\r'), noisy);
}

/** A value for one key, with the count its Number asks for when `altCount` ALT alleles and diploid GTs. */
function valueFor(key: string, altCount: number, noisy: boolean): fc.Arbitrary<string> {
  const alleles = altCount + 1;
  switch (key) {
    case 'GT':
      return gtValue(altCount, noisy);
    case 'DP':
    case 'GQ':
      return number(noisy);
    case 'AD':
      return list(number(noisy), alleles, noisy);
    case 'PL':
      return list(number(noisy), (alleles * (alleles + 1)) / 2, noisy);
    case 'GL':
      return list(decimal(noisy), (alleles * (alleles + 1)) / 2, noisy);
    case 'HQ':
      return list(number(noisy), 2, noisy);
    case 'XA':
      return list(number(noisy), altCount, noisy);
    case 'XI':
      return list(number(noisy), 3, true);
    case 'XF':
      return list(decimal(noisy), altCount, noisy);
    case 'FT':
      return text(noisy);
    case 'XS':
      return list(text(noisy), 2, noisy);
    default:
      return pick(fc.constantFrom('A', '.'), fc.constantFrom('AB', '\u00e9', ''), noisy);
  }
}

/** A FORMAT: GT first or absent, then a few other keys; often one real files use. */
const formatKeys = fc.oneof(
  fc.constantFrom<string[]>(['GT', 'DP', 'GQ'], ['GT', 'GQ', 'DP'], ['GT', 'DP'], ['GT'], ['DP', 'GQ'], ['GT', 'AD', 'DP', 'GQ', 'PL'], ['GT', 'FT', 'GL']),
  fc.tuple(fc.boolean(), fc.shuffledSubarray(NAMES.slice(1), { minLength: 0, maxLength: 4 })).map(([gt, rest]) => (gt || rest.length === 0 ? ['GT', ...rest] : rest)),
);

/** One column for a FORMAT; when noisy, also empty, missing, dropped, extra and edited fields. */
function column(keys: string[], altCount: number, noisy: boolean): fc.Arbitrary<string> {
  const values = fc.tuple(...keys.map((k) => pick(valueFor(k, altCount, noisy), fc.constantFrom('', '.'), noisy)));
  if (!noisy) return values.map((v) => v.join(':'));
  return fc
    .record({
      values,
      keep: fc.oneof({ weight: 5, arbitrary: fc.constant(keys.length) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: keys.length }) }),
      extra: fc.option(fc.oneof(gtValue(altCount, true), number(true), text(true)), { freq: 8 }),
      edit: fc.option(fc.tuple(fc.nat(), fc.constantFrom('0', '1', '.', ':', ',', '/', '|', '-', 'e', ' ', '')), { freq: 6 }),
    })
    .map(({ values: v, keep, extra, edit }) => {
      const fields = v.slice(0, keep);
      if (extra !== null) fields.push(extra);
      let out = fields.join(':');
      if (edit) {
        const [at, ch] = edit;
        const i = out.length === 0 ? 0 : at % out.length;
        out = out.slice(0, i) + ch + out.slice(i + 1);
      }
      return out;
    });
}

// -- one column: fast reader vs checkSample ---------------------------------------------------------

interface Seen {
  gt: { ploidy: number; alleles: number[]; phased: boolean; anyMissing: boolean; anyCalled: boolean; anyAlt: boolean };
  slots: number[];
}

function snapshot(gt: Genotype, slots: Int32Array): Seen {
  return {
    gt: { ploidy: gt.ploidy, alleles: [...gt.alleles.subarray(0, gt.ploidy)], phased: gt.phased, anyMissing: gt.anyMissing, anyCalled: gt.anyCalled, anyAlt: gt.anyAlt },
    slots: [...slots],
  };
}

/** A genotype left in some state by an earlier column, so leftovers would show. */
function dirty(gt: Genotype, slots: Int32Array, seed: number): void {
  gt.ploidy = seed % 4;
  gt.alleles.fill(seed % 7);
  gt.phased = seed % 2 === 0;
  gt.anyMissing = seed % 3 === 0;
  gt.anyCalled = seed % 5 !== 0;
  gt.anyAlt = seed % 2 === 1;
  slots.fill(seed % 11);
}

function specFor(cursor: LineCursor, h: VcfHeader, keys: string[]): FormatSpec {
  const format = Buffer.from(keys.join(':'));
  cursor.setBuffer(format);
  return new FormatChecker(h).spec(cursor, 0, format.length);
}

const columnCase = fc
  .record({ version: fc.constantFrom('4.1', '4.2', '4.3', '4.4'), strict: fc.boolean(), keys: formatKeys, altCount: fc.integer({ min: 0, max: 3 }), seed: fc.nat(1000), next: fc.boolean(), noisy: fc.boolean() })
  .chain((c) => column(c.keys, c.altCount, c.noisy).map((value) => ({ ...c, value })));

describe('sample-column fast path', () => {
  it('declines or agrees with checkSample on genotype and DP/GQ/AD slots, never accepting what it refuses (property)', () => {
    const tally = { fast: 0, declined: 0, refused: 0, alt: 0 };
    fc.assert(
      fc.property(columnCase, (c) => {
        const h = header(c.version, c.strict, 2);
        const cursor = new LineCursor(c.strict);
        const spec = specFor(cursor, h, c.keys);
        const modern = c.version === '4.4';
        const ctx: SampleContext = { altCount: c.altCount, altMissing: c.altCount === 0, allowEmpty: modern, allowLeadingPhase: modern };
        // the column sits after a FORMAT column, and before another column or the end of the line
        const line = Buffer.from(`GT\t${c.value}${c.next ? '\t0/1:5' : ''}`);
        const s = 3;
        const end = s + Buffer.byteLength(c.value);
        cursor.setBuffer(line);
        cursor.lineStart = 0;
        cursor.lineNo = 7;

        const gt = new Genotype();
        const slots = new Int32Array(6);
        dirty(gt, slots, c.seed);
        let general: Seen | { column: number; message: string };
        try {
          checkSample(cursor, s, end, spec, ctx, gt, slots);
          general = snapshot(gt, slots);
        } catch (err) {
          if (!(err instanceof VcfProblemError)) throw err;
          general = { column: err.problem.column, message: err.problem.message };
          tally.refused++;
        }
        const warned = cursor.warnings.length > 0;

        const reader = new FastSampleReader(spec);
        reader.startRecord(ctx);
        const fastGt = new Genotype();
        const fastSlots = new Int32Array(6);
        dirty(fastGt, fastSlots, c.seed);
        const got = reader.read(line, s, line.length, fastGt, fastSlots);
        if (got < 0) {
          tally.declined++;
          return;
        }
        tally.fast++;
        if (fastGt.anyAlt && fastGt.ploidy > 0) tally.alt++;
        assert.equal(got, end, 'the column ends at the next TAB or the end of the line');
        assert.ok(!('message' in general), `accepted a column checkSample refuses: ${JSON.stringify(c.value)} (${'message' in general ? general.message : ''})`);
        assert.ok(!warned, `accepted a column checkSample warns about: ${JSON.stringify(c.value)}`);
        assert.deepEqual(snapshot(fastGt, fastSlots), general);
      }),
      { numRuns: 15000 },
    );
    // the generator must exercise both sides, or the property says nothing
    assert.ok(tally.fast > 3000 && tally.alt > 1000, `fast path taken too rarely: ${JSON.stringify(tally)}`);
    assert.ok(tally.refused > 3000 && tally.declined > 4000, `too few unusual columns: ${JSON.stringify(tally)}`);
  });

  it('whole records give the same ChunkResult with and without the shortcuts, errors included (property)', () => {
    const alts = fc.constantFrom('C', 'C', 'C,G', 'C,G,T', '.', '<NON_REF>', 'C,<NON_REF>', '<*>');
    const record = fc
      .record({ keys: fc.oneof({ weight: 3, arbitrary: fc.constant<string[]>(['GT', 'DP', 'GQ']) }, { weight: 2, arbitrary: formatKeys }), alt: alts, end: fc.nat(50), columns: fc.oneof({ weight: 60, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(-1, 1) }), noisy: fc.oneof({ weight: 25, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }) })
      .chain((r) => fc.array(column(r.keys, r.alt === '.' ? 0 : r.alt.split(',').length, r.noisy), { minLength: 4, maxLength: 4 }).map((values) => ({ ...r, values })));
    const body = fc.record({
      version: fc.constantFrom('4.2', '4.4'),
      strict: fc.boolean(),
      records: fc.array(record, { minLength: 1, maxLength: 12 }),
      cuts: fc.array(fc.nat(12), { maxLength: 3 }),
      newline: fc.constantFrom('\n', '\r\n'),
    });
    let errors = 0;
    let calls = 0;
    let blocks = 0;
    fc.assert(
      fc.property(body, ({ version, strict, records, cuts, newline }) => {
        const h = header(version, strict, 3);
        const lines = records.map((r, i) => {
          const pos = 100 + i * 100;
          const info = r.alt.includes('<') ? `END=${pos + r.end}` : '.';
          // mostly three sample columns; sometimes one too few or too many
          const samples = r.values.slice(0, 3 + r.columns);
          return ['1', String(pos), '.', 'A', r.alt, '50', 'PASS', info, r.keys.join(':'), ...samples].join('\t');
        });
        // chunks of whole lines, parsed in order by one parser (as a worker does)
        const bounds = [...new Set([0, ...cuts.map((c) => c % (lines.length + 1)), lines.length])].sort((a, b) => a - b);
        const fast = new ChunkParser(h);
        const plain = new ChunkParser(h, { shortcuts: false });
        for (let i = 1; i < bounds.length; i++) {
          const from = bounds[i - 1] ?? 0;
          const chunk = Buffer.from(lines.slice(from, bounds[i]).map((l) => l + newline).join(''));
          const a = fast.parse(chunk, 12 + from);
          assert.deepStrictEqual(a, plain.parse(chunk, 12 + from));
          if (a.error) errors++;
          calls += a.callSample.length;
          blocks += a.refBlocks;
        }
      }),
      { numRuns: 2000 },
    );
    assert.ok(errors > 300 && calls > 5000 && blocks > 1000, `too little exercised: ${errors} errors, ${calls} calls, ${blocks} reference blocks`);
  });
});
