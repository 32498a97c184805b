// Synthetic patients: deterministic, unique MRNs, plausible demographics, and the edge cases
// de-identification must handle (ages over 89, low-population ZIP prefixes) present on purpose.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FAMILY_NAMES, FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES } from '../../../vault/demo/synthetic/name-lists.ts';
import { CONDITIONS, LOW_POPULATION_ZIP3, SyntheticDataError, ageOn, generatePatients, sexBySample } from '../../../vault/demo/synthetic/index.ts';

describe('generatePatients', function () {
  const population = generatePatients(1000, 42);

  it('gives the same people for the same seed and different people for another', function () {
    assert.deepEqual(generatePatients(50, 42), population.slice(0, 50));
    const other = generatePatients(50, 43);
    const sameMrn = other.filter((p, i) => p.mrn === population[i]!.mrn).length;
    assert.equal(sameMrn, 0);
  });

  it('issues unique MRNs of the form MRN + 7 digits, for any seed and size', function () {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 400 }), (seed, count) => {
        const mrns = generatePatients(count, seed).map((p) => p.mrn);
        assert.ok(mrns.every((m) => /^MRN\d{7}$/.test(m)));
        assert.equal(new Set(mrns).size, count);
      }),
      { numRuns: 40 },
    );
  });

  it('gives stable, unique sample names and marks everyone synthetic', function () {
    const names = population.map((p) => p.sampleName);
    assert.equal(new Set(names).size, names.length);
    assert.ok(names.every((n) => /^SYN-[0-9a-f]{4}-\d{6}$/.test(n)));
    assert.equal(generatePatients(3, 42)[2]!.sampleName, names[2]);
    assert.ok(population.every((p) => p.synthetic === true));
  });

  it('draws ages 0 to 100 with some over 89, counted to a fixed day', function () {
    const ages = population.map((p) => ageOn(p.birthDate, '2025-01-01'));
    assert.ok(ages.every((a) => Number.isInteger(a) && a >= 0 && a <= 100));
    const over89 = ages.filter((a) => a > 89).length;
    assert.ok(over89 >= 20 && over89 <= 120, `${over89} aged 90+`);
    assert.ok(ages.some((a) => a < 18), 'children too');
    assert.ok(population.every((p) => /^\d{4}-\d{2}-\d{2}$/.test(p.birthDate)));
    const later = generatePatients(200, 42, { asOf: '2030-06-15' });
    const laterAges = later.map((p) => ageOn(p.birthDate, '2030-06-15'));
    assert.ok(laterAges.every((a) => a >= 0 && a <= 100));
    assert.deepEqual(laterAges, ages.slice(0, 200), 'the same ages, counted to another day');
  });

  it('uses 5-digit ZIP codes and includes HIPAA low-population prefixes', function () {
    assert.ok(population.every((p) => /^\d{5}$/.test(p.zip)));
    const low = population.filter((p) => (LOW_POPULATION_ZIP3 as readonly string[]).includes(p.zip.slice(0, 3)));
    assert.ok(low.length >= 50 && low.length <= 160, `${low.length} in low-population prefixes`);
    assert.ok(new Set(low.map((p) => p.zip.slice(0, 3))).size >= 8, 'several different low-population prefixes');
  });

  it('draws both sexes with matching given names, and known ICD-10-CM conditions without repeats', function () {
    const females = population.filter((p) => p.sex === 'female').length;
    assert.ok(females > 400 && females < 600);
    for (const p of population) {
      const names: readonly string[] = p.sex === 'female' ? FEMALE_GIVEN_NAMES : MALE_GIVEN_NAMES;
      assert.ok(names.includes(p.givenName), `${p.sex} given name`);
      assert.ok((FAMILY_NAMES as readonly string[]).includes(p.familyName));
    }
    const known = new Map(CONDITIONS.map((c) => [c.code, c.display]));
    for (const p of population) {
      assert.ok(p.conditions.length <= 3);
      assert.equal(new Set(p.conditions.map((c) => c.code)).size, p.conditions.length);
      for (const c of p.conditions) assert.equal(known.get(c.code), c.display);
    }
    for (const code of ['Z80.3', 'C50.9', 'I42.1', 'E78.01']) assert.ok(population.some((p) => p.conditions.some((c) => c.code === code)), code);
    const bySample = sexBySample(population);
    assert.equal(bySample[population[7]!.sampleName], population[7]!.sex);
  });

  it('hands out copies: changing one patient does not change the shared condition list', function () {
    const [first] = generatePatients(20, 3).filter((p) => p.conditions.length > 0);
    const condition = first!.conditions[0]!;
    const code = condition.code;
    condition.code = 'changed';
    assert.ok(CONDITIONS.some((c) => c.code === code));
    assert.ok(!CONDITIONS.some((c) => c.code === 'changed'));
  });

  it('refuses a bad count, seed or day with a typed error naming it', function () {
    for (const [count, seed, asOf, option] of [
      [-1, 1, undefined, 'count'],
      [1.5, 1, undefined, 'count'],
      [2_000_000, 1, undefined, 'count'],
      [5, Number.NaN, undefined, 'seed'],
      [5, 1, '2025-02-30', 'asOf'],
      [5, 1, 'yesterday', 'asOf'],
    ] as const) {
      assert.throws(() => generatePatients(count, seed, asOf === undefined ? {} : { asOf }), (err) => err instanceof SyntheticDataError && err.option === option);
    }
  });
});
