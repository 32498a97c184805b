// The cohort index gives the gateway the same answers as the per-sample partitions: over a real
// vault of synthetic exomes (chr17, a targets BED, its research index kept from the first ingest)
// with generated research consents and cohort queries, a run read through the index and one read
// from every consented sample's calls name the same cohort, the same carriers of each allele with
// the same copies and the same patients not covering it, and for records the same call (zygosity)
// of each carrier; so the true counts, and the answers built from them (count, aggregate, records,
// Beacon), are equal before and after noise. The index run reads no sample's calls; only a build
// the index does not hold sends the runner to every consented sample's calls.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runProjectCohort, type CohortRunDeps } from '../../research-gateway/cohort/cohort-runner.ts';
import { specOf } from '../../research-gateway/cohort-queries.ts';
import { decideConsents } from '../../research-gateway/cohort/consent-decisions.ts';
import { purposeOf } from '../../research-gateway/projects/project-purpose.ts';
import { carriersOf } from '../../research-gateway/answers/disclosure-result.ts';
import type { CohortRun } from '../../research-gateway/cohort/run-cohort.ts';
import type { CohortDataSource, ResearchConsentSource } from '../../research-gateway/ports.ts';
import type { CohortIndexPort } from '../../schemas/cohort-index.ts';
import { countAnswer } from '../../research-gateway/answers/count-answer.ts';
import { aggregateAnswer } from '../../research-gateway/answers/aggregate-answer.ts';
import { recordsAnswer } from '../../research-gateway/answers/records-answer.ts';
import { beaconAnswer } from '../../research-gateway/beacon/beacon-queries.ts';
import { CohortQuerySchema, type CohortQuery } from '../../schemas/research.ts';
import { clinicalDemographics, vaultCohortData, vaultCohortIndex } from '../../vault/service/research-sources.ts';
import { openSecureDuckDB, type DuckDBSession } from '../../vault/store/duckdb-session.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { buildResearchWorld, type ResearchWorld } from './helpers/research-world.ts';
import { KEYS, proposal } from './helpers/gateway-harness.ts';
import { PURPOSES, SCOPES } from './helpers/population.ts';

const PATIENTS = 60;
const NOW = Date.parse('2026-06-01T08:00:00Z');
const BRCA1_REGION = '17:43044295-43125483';

type Consent = number | 'none' | 'unreadable';

function consentSource(world: ResearchWorld, consents: readonly Consent[]): ResearchConsentSource {
  return {
    *currentResearchConsents() {
      for (const [i, { patientId }] of world.cohort.entries()) {
        const c = consents[i]!;
        if (c !== 'none') yield { patientId, scope: c === 'unreadable' ? null : SCOPES[c]! };
      }
    },
  };
}

/** What must agree: the cohort, each allele's carriers and copies (records: and zygosity), and who did not cover an allele's position (aggregate). */
/** `onlyCarriers`: the count level, where the index names only the patients carrying any allele */
function comparableRun(run: CohortRun, coverage: boolean, zygosity: boolean, onlyCarriers = false) {
  if (onlyCarriers) return { build: run.build, base: run.base, coverageMethods: run.coverageMethods, carriers: run.carrierPatients ?? carriersOf(run.alleles) };
  return {
    build: run.build, base: run.base, coverageMethods: run.coverageMethods,
    alleles: run.alleles.map((a) => ({ pos: a.pos, ref: a.ref, alt: a.alt, carriers: [...a.carriers].map(([id, c]) => [id, c.copies, zygosity ? c.zygosity : '']).sort() })),
    notCovering: coverage ? run.alleles.map((a) => [...(run.notCovering.get(a.pos) ?? [])].sort()) : null,
  };
}

describe('research gateway: the cohort index answers as the per-sample partitions', function () {
  this.timeout(900_000);
  let world: ResearchWorld;
  let session: DuckDBSession;
  let dir: { path: string; remove: () => Promise<void> };
  let alleles: { chrom: string; pos: number; ref: string; alt: string }[];
  before(async () => {
    dir = await makeTempDir('genovault-index-equivalence-');
    world = await buildResearchWorld(dir.path, { size: PATIENTS, consentOf: () => null });
    session = await openSecureDuckDB({ memoryLimitBytes: 256 * 1024 * 1024, threads: 1 });
    // alleles the cohort carries in BRCA1, for allele queries
    const everyone = new Set(world.cohort.map((c) => c.patientId));
    const calls = await vaultCohortData(world.service.vault, world.service.queries.engine).calls({ assembly: 'GRCh38', patientIds: everyone, locus: { kind: 'gene', symbol: 'BRCA1' } });
    const seen = new Map(calls.calls.map((c) => [`${c.pos}:${c.ref}:${c.alt}`, { chrom: '17', pos: c.pos, ref: c.ref, alt: c.alt }]));
    alleles = [...seen.values()];
  });
  after(async () => {
    session?.close();
    await world?.close();
    await dir?.remove();
  });

  it('count, aggregate, records and Beacon: the same true counts and the same answers from either path', async () => {
    const { service } = world;
    assert.ok(service.queries.cohortIndex, 'the vault keeps a research index');
    const index = vaultCohortIndex(service.queries.cohortIndex);
    assert.ok(index.builds().includes('GRCh38'), 'the index holds every GRCh38 sample, so the gateway reads it');
    assert.ok(alleles.length >= 5, 'the cohort carries alleles in BRCA1');
    // the runner's reads of the vault's calls, by whether they named a locus (calls read) or not (samples only)
    const reads = { withCalls: 0, samplesOnly: 0 };
    const source = vaultCohortData(service.vault, service.queries.engine);
    const cohortData: CohortDataSource = { ...source, calls: (request) => (request.locus ? reads.withCalls++ : reads.samplesOnly++, source.calls(request)) };
    const common: Omit<CohortRunDeps, 'consents'> = {
      cohortData,
      demographics: clinicalDemographics(service.clinical), sql: session.connection, keys: KEYS, now: () => NOW,
    };
    const consentArbitrary: fc.Arbitrary<Consent> = fc.oneof(
      { arbitrary: fc.constantFrom(0, 1, 2, 6), weight: 6 },
      { arbitrary: fc.integer({ min: 0, max: SCOPES.length - 1 }), weight: 2 },
      { arbitrary: fc.constantFrom('none' as const, 'unreadable' as const), weight: 2 },
    );
    const variantArbitrary = fc.oneof(
      fc.constant({ gene: 'BRCA1' }),
      fc.constant({ region: BRCA1_REGION }),
      fc.constant({ region: '17:43044295-43070000' }),
      fc.constantFrom(...alleles),
    );
    const sometimes = <T>(a: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: a, weight: 1 });
    const queryArbitrary: fc.Arbitrary<CohortQuery> = fc.record({
      level: fc.constantFrom('count' as const, 'aggregate' as const, 'records' as const),
      variant: variantArbitrary,
      sex: sometimes(fc.constantFrom('female' as const, 'male' as const)),
      age: sometimes(fc.record({ min: fc.integer({ min: 20, max: 60 }), max: fc.integer({ min: 61, max: 95 }) })),
      conditions: sometimes(fc.constantFrom(['C50'], ['E11.9', 'I10'])),
      significance: sometimes(fc.constantFrom(['pathogenic'], ['benign', 'likely_benign'], ['uncertain_significance'])),
      zygosity: sometimes(fc.constantFrom(['het'], ['hom_alt'], ['het', 'missing'])),
    }).map((q) => ({ ...Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)), assembly: 'GRCh38' }))
      .filter((q) => CohortQuerySchema.safeParse(q).success)
      .map((q) => CohortQuerySchema.parse(q));

    let withCarriers = 0;
    let withUncovered = 0;
    let withRecords = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(consentArbitrary, { minLength: PATIENTS, maxLength: PATIENTS }), fc.integer({ min: 0, max: PURPOSES.length - 1 }), fc.boolean(), queryArbitrary,
        async (consents, purposeIndex, includeReviews, query) => {
          const consentsNow = consentSource(world, consents);
          const p = PURPOSES[purposeIndex]!;
          const projectId = 'rp_00000000000000e1';
          const input = proposal(p.terms, { forProfit: p.forProfit, commercial: p.commercial, sensitive: p.sensitive });
          const decisions = decideConsents(purposeOf(projectId, input), consentsNow.currentResearchConsents(), '2026-06-01', KEYS.noise);
          const reviewGroups = Object.fromEntries(decisions.flatMap((d) => (d.reviewGroup ? [[d.reviewGroup, includeReviews ? 'include' as const : 'exclude' as const]] : [])));
          const project = { projectId, proposal: input, approval: { at: '', by: '', reason: '', budget: 1, reviewGroups, start: '2026-01-01', end: '2026-12-31' } };
          const spec = specOf(query, query.level);
          const coverage = query.level === 'aggregate';
          const records = query.level === 'records';
          const count = query.level === 'count';
          const before = { ...reads };
          const viaIndex = await runProjectCohort({ ...common, consents: consentsNow, cohortIndex: index }, project, spec);
          assert.deepEqual(reads, { ...before, samplesOnly: before.samplesOnly + 1 }, 'the index run reads the samples alone, no calls');
          const viaSamples = await runProjectCohort({ ...common, consents: consentsNow }, project, spec);
          assert.deepEqual(comparableRun(viaIndex, coverage, records, count), comparableRun(viaSamples, coverage, records, count));
          if (viaSamples.alleles.some((a) => a.carriers.size > 0)) withCarriers++;
          if (coverage && viaSamples.notCovering.size > 0) withUncovered++;
          if (records && viaSamples.alleles.length > 0) withRecords++;

          const ctx = { threshold: 5, noiseKey: KEYS.noise, released: new Set<string>() };
          const answers = (run: CohortRun) => records
            ? recordsAnswer(run, true, { ...ctx, projectId, pseudonymKey: KEYS.pseudonyms, thisYear: 2026 })
            : coverage
              ? aggregateAnswer(run, JSON.stringify(query.variant), ctx)
              : [countAnswer(run, true, ctx)];
          assert.deepEqual(answers(viaIndex), answers(viaSamples));
          if (count) {
            // Beacon asks each allele's carriers of the same cohort
            const beaconSpec = { ...spec, needs: 'carriers' as const };
            const beaconViaIndex = await runProjectCohort({ ...common, consents: consentsNow, cohortIndex: index }, project, beaconSpec);
            const beaconViaSamples = await runProjectCohort({ ...common, consents: consentsNow }, project, beaconSpec);
            assert.deepEqual(comparableRun(beaconViaIndex, false, false), comparableRun(beaconViaSamples, false, false));
            const beacons = (run: CohortRun) => [beaconAnswer(run, 'count', 'q', ctx), beaconAnswer(run, 'boolean', 'q', ctx)];
            assert.deepEqual(beacons(beaconViaIndex), beacons(beaconViaSamples));
          }
        },
      ),
      { numRuns: 90, seed: 12 },
    );
    // the property ran over answers that had something in them
    assert.ok(withCarriers >= 45, `only ${withCarriers} of 90 runs found carriers`);
    assert.ok(withRecords >= 10, `only ${withRecords} of 90 runs were records with alleles`);
    console.log(`      runs with carriers: ${withCarriers} of 90; records runs with alleles: ${withRecords}; aggregate runs with patients not covering an allele: ${withUncovered}`);
  });

  it('reads every consented sample\'s calls only for a build the index does not hold', async () => {
    const { service } = world;
    const index = vaultCohortIndex(service.queries.cohortIndex!);
    const source = vaultCohortData(service.vault, service.queries.engine);
    const loci: (string | undefined)[] = [];
    const cohortData: CohortDataSource = { ...source, calls: (request) => (loci.push(request.locus?.kind), source.calls(request)) };
    const consents = world.cohort.map((_, i): Consent => (i % 4 === 3 ? 'none' : 0));
    const deps = (cohortIndex: CohortIndexPort | undefined): CohortRunDeps => ({
      cohortData, cohortIndex, consents: consentSource(world, consents),
      demographics: clinicalDemographics(service.clinical), sql: session.connection, keys: KEYS, now: () => NOW,
    });
    const project = { projectId: 'rp_00000000000000e2', proposal: proposal(PURPOSES[0]!.terms), approval: { at: '', by: '', reason: '', budget: 1, reviewGroups: {}, start: '2026-01-01', end: '2026-12-31' } };
    // the same index once it no longer holds every GRCh38 sample (as when one was ingested before the index was kept)
    const lacking: CohortIndexPort = { ...index, builds: () => index.builds().filter((b) => b !== 'GRCh38') };
    for (const level of ['count', 'aggregate', 'records'] as const) {
      const spec = specOf({ variant: { gene: 'BRCA1' }, assembly: 'GRCh38' }, level);
      loci.length = 0;
      const held = await runProjectCohort(deps(index), project, spec);
      assert.deepEqual(loci, [undefined], `${level}: the index holds the build, so no sample's calls are read`);
      const notHeld = await runProjectCohort(deps(lacking), project, spec);
      assert.deepEqual(loci, [undefined, 'gene'], `${level}: the index lacks the build, so every consented sample's calls are read`);
      assert.deepEqual(comparableRun(held, level === 'aggregate', level === 'records', level === 'count'), comparableRun(notHeld, level === 'aggregate', level === 'records', level === 'count'));
      assert.ok((held.carrierPatients?.length ?? 0) > 0 || held.alleles.some((a) => a.carriers.size > 0), `${level}: BRCA1 has carriers`);
    }
  });
});
