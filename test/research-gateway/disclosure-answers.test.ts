// What an answer releases, and what it is charged and checked for, through the gateway over a
// population built for it: 90 patients with general research consent; at BRCA1 two common alleles
// with different carriers, a third common one, and a rare one (3 carriers outside the others).
//   allele 0: patients 0-24 homozygous, 25-49 heterozygous (50 carriers)
//   allele 1: patients 70-72 (rare: withheld everywhere)
//   allele 2: patients 30-69 (40 carriers)
//   allele 3: patients 10-59 (50 carriers)
import assert from 'node:assert/strict';
import { ResearchError } from '../../research-gateway/research-error.ts';
import { aggregateAnswer, type AggregateBody } from '../../research-gateway/answers/aggregate-answer.ts';
import type { RecordsBody } from '../../research-gateway/answers/records-answer.ts';
import { ANSWER_COST, EPSILON_PER_STATISTIC } from '../../research-gateway/disclosure/settings.ts';
import type { CohortRun } from '../../research-gateway/cohort/run-cohort.ts';
import type { CohortQuery } from '../../schemas/research.ts';
import { openSecureDuckDB, type DuckDBSession } from '../../vault/store/duckdb-session.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { ALLELES, cohortSource, consentSource, demographicsSource, type TestPatient } from './helpers/population.ts';
import { KEYS, RESEARCHER, approvedProject, openHarness, proposal, type Harness } from './helpers/gateway-harness.ts';

const K = 20;
const id = (i: number) => `p_${(i + 1).toString(16).padStart(16, '0')}`;
const PATIENTS: TestPatient[] = Array.from({ length: 90 }, (_, i) => {
  const genotypes = new Map<number, 'het' | 'hom_alt'>();
  if (i < 50) genotypes.set(0, i < 25 ? 'hom_alt' : 'het');
  if (i >= 70 && i < 73) genotypes.set(1, 'het');
  if (i >= 30 && i < 70) genotypes.set(2, 'het');
  if (i >= 10 && i < 60) genotypes.set(3, 'het');
  return { patientId: id(i), sex: i % 2 ? 'female' : 'male', birthYear: 1950 + (i % 40), zip: '02139', conditions: [], consent: 0, build: 'GRCh38', genotypes, uncovered: new Set() };
});
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => id(from + i));
const allele = (a: number) => ({ chrom: 'chr17', pos: ALLELES[a]!.pos, ref: ALLELES[a]!.ref, alt: ALLELES[a]!.alt });
/** alleles 0 and 1 only: carriers 0-49 and 70-72 */
const FIRST_TWO = { region: `chr17:${ALLELES[0].pos}-${ALLELES[1].pos}` };

async function outcome<T>(work: Promise<T>): Promise<T | string> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof ResearchError) return err.code;
    throw err;
  }
}

describe('what answers release, what they cost and what they are checked against', function () {
  this.timeout(120_000);
  let session: DuckDBSession;
  let dir: { path: string; remove: () => Promise<void> };
  let h: Harness;
  /** The answer's JSON, or the refusal's code. */
  const ask = <T = Record<string, unknown>>(projectId: string, query: Omit<CohortQuery, 'assembly'>) =>
    outcome(h.gateway.cohortQuery(RESEARCHER, projectId, { ...query, assembly: 'GRCh38' }, 'json').then((a) => a.json as unknown as T));
  before(async () => {
    session = await openSecureDuckDB({ memoryLimitBytes: 128 * 1024 * 1024, threads: 1 });
    dir = await makeTempDir();
    h = await openHarness({
      dir: dir.path, sql: session.connection, threshold: K,
      cohortData: cohortSource(PATIENTS, { honourPatientIds: true }), consents: consentSource(PATIENTS), demographics: demographicsSource(PATIENTS),
    });
  });
  after(async () => {
    await h?.close();
    session?.close();
    await dir?.remove();
  });

  it('charges an aggregate every noisy statistic it releases (carriers, AC, AN per row), uncapped, and refuses it past the budget', async () => {
    const projectId = await approvedProject(h, proposal(['DUO:0000042']));
    const answer = await ask<AggregateBody & { privacy: { epsilonCharged: number } }>(projectId, { level: 'aggregate', variant: { gene: 'BRCA1' } }) as AggregateBody & { privacy: { epsilonCharged: number } };
    assert.notEqual(typeof answer, 'string', 'answered');
    assert.equal(answer.variants.length, 3, 'the three common alleles');
    // each row its carriers and AC; AN rests on the patients covering the position, here everyone: one statistic shared
    const statistics = 2 * answer.variants.length + 1;
    assert.equal(answer.privacy.epsilonCharged, statistics * EPSILON_PER_STATISTIC);

    const tooPoor = await approvedProject(h, proposal(['DUO:0000042']), { decision: { budget: (statistics - 1) * EPSILON_PER_STATISTIC } });
    assert.equal(await ask(tooPoor, { level: 'aggregate', variant: { gene: 'BRCA1' } }), 'budget_exhausted');
  });

  it('has no cap: forty alleles cost forty times one', () => {
    const base = range(0, 90);
    const alleles = Array.from({ length: 40 }, (_, a) => ({
      pos: 1000 + a, ref: 'A', alt: 'G', carriers: new Map(range(a, a + 30).map((p) => [p, { copies: 1, zygosity: 'het' }])),
    }));
    const run: CohortRun = { build: 'GRCh38', chrom: 'chr1', base, alleles, notCovering: new Map(), otherBuildsLeftOut: false, coverageMethods: ['whole_genome'], demographics: new Map(), takingPart: new Set(base) };
    const answer = aggregateAnswer(run, 'many', { threshold: K, noiseKey: KEYS.noise, released: new Set() });
    const rows = answer.body.variants.length;
    assert.ok(rows >= 30, `${rows} rows`);
    assert.equal(answer.cost, (2 * rows + 1) * ANSWER_COST.statistic);
    assert.ok(answer.cost > 10 * EPSILON_PER_STATISTIC, 'more than the old cap of 5');
    assert.equal(aggregateAnswer(run, 'many', { threshold: K, noiseKey: KEYS.noise, released: new Set(answer.statistics) }).cost, 0, 'the same release again is free');
  });

  it('labels every cell of an aggregate row with its precision, and withholds rare alleles whole without counting them', async () => {
    const projectId = await approvedProject(h, proposal(['DUO:0000042']));
    const answer = await ask<AggregateBody>(projectId, { level: 'aggregate', variant: { gene: 'BRCA1' } }) as AggregateBody;
    for (const row of answer.variants) {
      assert.equal(row.alleleCountPrecision, 'imprecise');
      assert.equal(row.alleleNumberPrecision, 'imprecise');
      assert.equal(row.alleleFrequencyPrecision, 'imprecise');
      assert.equal(row.carriersPrecision, row.carriers === null ? 'withheld' : 'imprecise');
    }
    assert.ok(!answer.variants.some((r) => r.pos === ALLELES[1].pos), 'the rare allele is not listed');
    assert.match(answer.withheld, /withheld whole and not counted/);
  });

  it('refuses a count whose carriers differ by a few from an aggregate row\u2019s: the difference would count the carriers of a withheld rare allele', async () => {
    const projectId = await approvedProject(h, proposal(['DUO:0000042']));
    const aggregate = await ask<AggregateBody>(projectId, { level: 'aggregate', variant: FIRST_TWO }) as AggregateBody;
    assert.equal(aggregate.variants.length, 1, 'allele 0 shown, the rare allele 1 withheld');
    // the 53 carriers of either allele against the 50 of allele 0
    assert.equal(await ask(projectId, { level: 'count', variant: FIRST_TWO }), 'differencing_refused');
    const reversed = await approvedProject(h, proposal(['DUO:0000042']));
    assert.equal(typeof await ask(reversed, { level: 'count', variant: FIRST_TWO }), 'object');
    assert.equal(await ask(reversed, { level: 'aggregate', variant: FIRST_TWO }), 'differencing_refused', 'the other order too');
    assert.ok(h.audit.some((e) => e.projectId === reversed && e.outcome === 'differencing_refused'), 'audited');
  });

  it('checks a Beacon boolean answer\u2019s alleles against the project\u2019s earlier sets', async () => {
    const projectId = await approvedProject(h, proposal(['DUO:0000042']));
    assert.equal(typeof await ask(projectId, { level: 'count', variant: FIRST_TWO }), 'object');
    const beacon = (a: number) => outcome(h.gateway.beaconQuery(RESEARCHER, {
      parameters: { referenceName: 'chr17', start: [allele(a).pos - 1], referenceBases: allele(a).ref, alternateBases: allele(a).alt, assemblyId: 'GRCh38', datasetIds: [projectId] },
      requestedGranularity: 'boolean',
    }));
    assert.equal(await beacon(0), 'differencing_refused', 'allele 0\u2019s 50 carriers against the 53 counted');
    assert.equal(typeof await beacon(2), 'object', 'allele 2\u2019s 40 carriers differ by more');
  });

  it('shows records by variant only for carriers of the variants shown, and counts only them', async () => {
    const projectId = await approvedProject(h, proposal(['DUO:0000042']));
    const answer = await ask<RecordsBody>(projectId, { level: 'records', variant: FIRST_TWO }) as RecordsBody;
    assert.equal(answer.records.length, 50, 'the carriers of allele 0, not the 3 carriers of the rare allele');
    assert.equal(answer.count, 50);
    for (const r of answer.records) assert.ok(r.variants.length > 0, 'no record says "carries a withheld variant"');
    const rareOnly = await approvedProject(h, proposal(['DUO:0000042']));
    const rare = await ask<RecordsBody>(rareOnly, { level: 'records', variant: { ...allele(1) } }) as RecordsBody;
    assert.deepEqual([rare.count, rare.records], [`<${K}`, []]);
  });
});
