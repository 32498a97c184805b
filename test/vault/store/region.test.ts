import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseRegion, formatRegion, normaliseChrom, overlaps, RegionError, MAX_POSITION } from '../../../vault/store/region.ts';

describe('regions', () => {
  it('parses chrom:start-end with or without chr, and thousands separators', () => {
    assert.deepEqual(parseRegion('17:43044295-43125483'), { chrom: 'chr17', start: 43044295, end: 43125483 });
    assert.deepEqual(parseRegion('chr17:43,044,295-43,125,483'), { chrom: 'chr17', start: 43044295, end: 43125483 });
    assert.deepEqual(parseRegion(' chrX:5 '), { chrom: 'chrX', start: 5, end: 5 });
  });

  it('reads a bare chromosome as the whole chromosome', () => {
    assert.deepEqual(parseRegion('chr17'), { chrom: 'chr17', start: 1, end: MAX_POSITION });
    assert.deepEqual(parseRegion('MT'), { chrom: 'chrM', start: 1, end: MAX_POSITION });
  });

  it('normalises chromosome names and keeps other contigs as written', () => {
    assert.equal(normaliseChrom('CHR1'), 'chr1');
    assert.equal(normaliseChrom('y'), 'chrY');
    assert.equal(normaliseChrom('GL000220.1'), 'GL000220.1');
    assert.equal(normaliseChrom('chr23'), 'chr23');
  });

  it('refuses bad regions with a RegionError that names the problem', () => {
    const refused = (text: string, message: RegExp) => assert.throws(() => parseRegion(text), (e: unknown) => e instanceof RegionError && message.test(e.message));
    refused('', /empty/);
    refused('chr17:200-100', /end position is before the start position/);
    refused('chr17:0-5', /start position must be between 1/);
    refused('chr17:abc-5', /start position is not a whole number/);
    refused('chr17:1-99999999999', /end position must be between/);
    refused("chr17';--:1-2", /not a valid contig name/);
  });

  it('never repeats the region text in an error, whatever was typed (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (before, after) => {
        const marker = 'Zq7Xv';
        try {
          parseRegion(`${before}${marker}${after}`);
        } catch (err) {
          assert.ok(err instanceof RegionError);
          assert.ok(!err.message.includes(marker), err.message);
        }
      }),
      { numRuns: 500 },
    );
    assert.throws(() => parseRegion("17:1-2' OR 1=1--"), (e: Error) => !e.message.includes('OR 1=1'));
  });

  it('round-trips any valid region through its text form (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 22 }), fc.integer({ min: 1, max: MAX_POSITION }), fc.integer({ min: 0, max: 1_000_000 }), (c, start, len) => {
      const region = { chrom: `chr${c}`, start, end: Math.min(MAX_POSITION, start + len) };
      assert.deepEqual(parseRegion(formatRegion(region)), region);
    }));
  });

  it('overlap is inclusive at both ends', () => {
    assert.equal(overlaps(1, 10, 10, 20), true);
    assert.equal(overlaps(1, 10, 11, 20), false);
    assert.equal(overlaps(5, 5, 1, 10), true);
  });
});
