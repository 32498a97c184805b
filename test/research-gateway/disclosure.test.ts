// The disclosure rules on their own: Safe Harbor generalisation, small counts, seeded noise and
// per-project pseudonyms.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LOW_POPULATION_ZIP3, NINETY_PLUS, ageGroup, birthYearShown, zip3 } from '../../research-gateway/disclosure/safe-harbor.ts';
import { showCount } from '../../research-gateway/disclosure/small-counts.ts';
import { measure } from '../../research-gateway/disclosure/seeded-noise.ts';
import { pseudonym, pseudonymOf } from '../../research-gateway/disclosure/pseudonyms.ts';
import { canonicalJson, canonicalRecordsJson, type DeidentifiedRecord } from '../../research-gateway/answers/records-answer.ts';
import { distinctSets } from '../../research-gateway/answers/disclosure-result.ts';
import { aggregateAnswer } from '../../research-gateway/answers/aggregate-answer.ts';
import type { AlleleCarriers, CohortRun } from '../../research-gateway/cohort/run-cohort.ts';
import { describedSet, idsOfOneLength, madeFromRanks } from '../../research-gateway/projects/described-sets.ts';

const KEY = Buffer.alloc(32, 1);

describe('Safe Harbor', () => {
  it('reports the 17 low-population ZIP prefixes (HHS, 2000 Census) as 000, and any other as its first three digits', () => {
    const listed = ['036', '059', '063', '102', '203', '556', '692', '790', '821', '823', '830', '831', '878', '879', '884', '890', '893'];
    assert.deepEqual([...LOW_POPULATION_ZIP3].sort(), listed);
    for (const prefix of listed) assert.equal(zip3(`${prefix}42`), '000');
    assert.equal(zip3('02139'), '021');
    assert.equal(zip3('89401'), '894');
    assert.equal(zip3(null), null);
    assert.equal(zip3('0213'), null, 'not a ZIP code: nothing shown');
  });

  it('shows a year of birth only while the person cannot be over 89, and 90+ after', () => {
    assert.equal(birthYearShown(1937, 2026), 1937, 'aged 88 or 89');
    assert.equal(birthYearShown(1936, 2026), NINETY_PLUS, 'aged 89 or 90: may be over 89');
    assert.equal(birthYearShown(1901, 2026), NINETY_PLUS);
    assert.equal(birthYearShown(null, 2026), null);
    assert.equal(ageGroup(1920, 2026), 90, 'everyone 90 or older is one age group for filters too');
    assert.equal(ageGroup(1980, 2026), 46);
  });
});

describe('small counts', () => {
  it('shows 0 to threshold-1 alike, whatever the noise, and never a number below the threshold', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: -20, max: 20 }), fc.integer({ min: 2, max: 30 }), (count, noise, k) => {
        const shown = showCount(count, noise, k);
        if (count < k) assert.deepEqual(shown, { value: `<${k}`, precision: 'below_threshold' });
        if (typeof shown.value === 'number') assert.ok(shown.value >= k && count >= k);
      }),
    );
  });
});

describe('seeded noise', () => {
  it('is the same for the same set in any order, and depends on the key and the label', () => {
    const a = measure(KEY, 'count', ['p_1', 'p_2', 'p_3'], 2);
    assert.deepEqual(measure(KEY, 'count', ['p_3', 'p_1', 'p_2'], 2), a);
    assert.notEqual(measure(Buffer.alloc(32, 2), 'count', ['p_1', 'p_2', 'p_3'], 2).digest, a.digest);
    assert.notEqual(measure(KEY, 'ac:chr17:1:A:G', ['p_1', 'p_2', 'p_3'], 2).digest, a.digest);
  });

  it('a set made from a cohort by ranks gets the noise and the content key the same ids given as a plain array get (fast-check)', () => {
    // ids of any length and characters (non-ASCII too): the ranked copy takes each id's bytes from the cohort's
    const cohort = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12, unit: 'binary' }), { maxLength: 60 }).map((ids) => ids.sort());
    fc.assert(fc.property(cohort.chain((base) => fc.tuple(fc.constant(base), fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length }))), ([base, picks]) => {
      Object.freeze(base);
      const ranks = Int32Array.from(base.keys()).filter((i) => picks[i]);
      const ranked = madeFromRanks(base.filter((_, i) => picks[i]), base, ranks);
      const plain = base.filter((_, i) => picks[i]);
      assert.deepEqual(measure(KEY, 'count', ranked, 2), measure(KEY, 'count', plain, 2));
      assert.equal(describedSet(ranked).key, describedSet(plain).key);
      assert.deepEqual(distinctSets([ranked, plain]), [plain]);
    }), { numRuns: 300 });
  });

  it('takes sorted ids of one length followed by any suffix as sorted too (an allele count\'s `id:copies` members), and knows ids of several lengths', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 6 }).chain((n) => fc.uniqueArray(fc.string({ minLength: n, maxLength: n, unit: fc.integer({ min: 0, max: 0xd7ff }).map((c) => String.fromCharCode(c)) }), { minLength: 1 })), fc.array(fc.integer({ min: 1, max: 2 })), (ids, copies) => {
      const base = ids.sort();
      assert.equal(idsOfOneLength(base), true);
      const digits = Uint8Array.from(base, (_, i) => copies[i % Math.max(1, copies.length)] ?? 1);
      const texts = base.map((id, i) => `${id}:${digits[i]}`);
      assert.deepEqual(texts, [...texts].sort());
      // the same texts made from the cohort's bytes by rank: the same noise
      const ranked = madeFromRanks([...texts], Object.freeze([...base]), Int32Array.from(base.keys()), digits);
      assert.deepEqual(measure(KEY, 'ac:chr1:1:A:G', ranked, 2), measure(KEY, 'ac:chr1:1:A:G', texts, 2));
    }));
    const mixed = ['p1', 'p10', 'p2'];
    assert.equal(idsOfOneLength(mixed), false);
    assert.notDeepEqual(mixed.map((id) => `${id}:1`), mixed.map((id) => `${id}:1`).sort(), 'why: p1:1 sorts after p10:1');
  });

  it('is Laplace noise of the stated scale over many sets, centred on zero, independent of the set size', () => {
    const draws = Array.from({ length: 4000 }, (_, i) => measure(KEY, 'count', Array.from({ length: (i % 50) + 1 }, (_, j) => `p_${i}_${j}`), 2).noise);
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    const meanAbsolute = draws.reduce((s, x) => s + Math.abs(x), 0) / draws.length;
    assert.ok(Math.abs(mean) < 0.2, `mean ${mean}`);
    // E|X| = b for Laplace(b); rounding to integers shifts it a little
    assert.ok(meanAbsolute > 1.7 && meanAbsolute < 2.3, `mean absolute ${meanAbsolute}`);
    assert.ok(draws.some((x) => x >= 6) && draws.some((x) => x <= -6), 'heavy tails on both sides');
  });
});

describe('pseudonyms', () => {
  it('are stable within a project, differ across projects and patients, and carry nothing of the id', () => {
    const one = pseudonym(KEY, 'rp_0000000000000001', 'p_00000000000000aa');
    assert.equal(pseudonym(KEY, 'rp_0000000000000001', 'p_00000000000000aa'), one);
    assert.notEqual(pseudonym(KEY, 'rp_0000000000000002', 'p_00000000000000aa'), one);
    assert.notEqual(pseudonym(KEY, 'rp_0000000000000001', 'p_00000000000000ab'), one);
    assert.match(one, /^ps_[0-9a-f]{20}$/);
    assert.ok(!one.includes('aa00'));
  });

  it('remembered ones are the same as computed ones, per key, project and patient', () => {
    fc.assert(fc.property(fc.constantFrom('rp_0000000000000001', 'rp_0000000000000002'), fc.stringMatching(/^p_[0-9a-f]{16}$/), fc.boolean(), (projectId, patientId, otherKey) => {
      const key = otherKey ? Buffer.alloc(32, 2) : KEY;
      assert.equal(pseudonymOf(key, projectId, patientId), pseudonym(key, projectId, patientId));
      assert.equal(pseudonymOf(key, projectId, patientId), pseudonym(key, projectId, patientId));
    }));
  });
});

describe('the answers\' building blocks', () => {
  it('writes records as the same canonical JSON as canonicalJson, which the release hash is over', () => {
    const variant = fc.record({ chrom: fc.constantFrom('chr17', 'chrX'), pos: fc.integer({ min: 1, max: 1e9 }), ref: fc.stringMatching(/^[ACGT]{1,4}$/), alt: fc.stringMatching(/^[ACGT]{1,4}$/), zygosity: fc.constantFrom('het', 'hom_alt') });
    const record: fc.Arbitrary<DeidentifiedRecord> = fc.record({
      pseudonym: fc.stringMatching(/^ps_[0-9a-f]{20}$/), sex: fc.constantFrom('female', 'male', 'unknown'),
      birthYear: fc.oneof(fc.integer({ min: 1930, max: 2026 }), fc.constant(NINETY_PLUS), fc.constant(null)),
      zip3: fc.oneof(fc.constant(null), fc.stringMatching(/^[0-9]{3}$/)), conditions: fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }), variants: fc.array(variant, { maxLength: 3 }),
    });
    fc.assert(fc.property(fc.array(record, { maxLength: 8 }), (records) => assert.equal(canonicalRecordsJson(records), canonicalJson(records))));
  });

  it('lists each described set once, sorted, whether given as the same array again, an equal one, or unsorted with repeats', () => {
    const base = ['p_a', 'p_b', 'p_c'];
    const sets = distinctSets([base, ['p_c', 'p_a'], base, new Set(['p_b', 'p_a', 'p_c']), ['p_c', 'p_a', 'p_c']]);
    assert.deepEqual(sets, [['p_a', 'p_b', 'p_c'], ['p_a', 'p_c']]);
  });
});

describe('an aggregate from carriers given by rank', () => {
  it('answers and is charged exactly as from the same carriers given by id, whatever the ids (one length or several, prefixes of each other) (fast-check)', () => {
    const ids = fc.oneof(
      fc.uniqueArray(fc.stringMatching(/^p[0-9a-f]{1,3}$/), { minLength: 25, maxLength: 60 }),
      fc.uniqueArray(fc.stringMatching(/^p_[0-9a-f]{4}$/), { minLength: 25, maxLength: 60 }),
    );
    fc.assert(fc.property(ids.chain((list) => {
      const base = Object.freeze([...list].sort());
      const allele = fc.array(fc.integer({ min: 0, max: 2 }), { minLength: base.length, maxLength: base.length });
      return fc.tuple(fc.constant(base), fc.array(allele, { minLength: 1, maxLength: 4 }));
    }), ([base, alleles]) => {
      const byId: AlleleCarriers[] = [];
      const byRank: AlleleCarriers[] = [];
      alleles.forEach((copiesOf, a) => {
        const ranks = Int32Array.from(base.keys()).filter((r) => copiesOf[r]! > 0);
        const copies = Uint8Array.from(ranks, (r) => copiesOf[r]!);
        const carriers = new Map([...ranks].map((r, i) => [base[r]!, { copies: copies[i]!, zygosity: copies[i] === 2 ? 'hom_alt' : 'het' }]));
        const key = { pos: 1000 + a, ref: 'A', alt: 'G' };
        byId.push({ ...key, carriers });
        byRank.push({ ...key, carriers, ranks, copies });
      });
      const run = (list: AlleleCarriers[]): CohortRun => ({
        build: 'GRCh38', chrom: 'chr1', base, alleles: list, notCovering: new Map(), otherBuildsLeftOut: false, coverageMethods: ['whole_genome'], demographics: new Map(), takingPart: new Set(base),
      });
      const ctx = { threshold: 5, noiseKey: KEY, released: new Set<string>() };
      const [plain, ranked] = [aggregateAnswer(run(byId), 'locus', ctx), aggregateAnswer(run(byRank), 'locus', ctx)];
      assert.deepEqual(ranked.body, plain.body);
      assert.deepEqual(ranked.statistics, plain.statistics);
      assert.deepEqual(ranked.patientSets, plain.patientSets);
    }), { numRuns: 200 });
  });
});
