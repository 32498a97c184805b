// The gateway reuses a project's consent decisions and cohort between questions only while the
// consent ledger, the clinical record and the vault's samples report the same versions: over a
// real vault (ledger, clinical store, research index), a withdrawal and a changed record each count
// on the very next question, and a source without a version is read every time.
import assert from 'node:assert/strict';
import { runProjectCohort, type CohortRunDeps } from '../../research-gateway/cohort/cohort-runner.ts';
import { CohortCache } from '../../research-gateway/cohort/cohort-cache.ts';
import { specOf } from '../../research-gateway/cohort-queries.ts';
import type { CohortDataSource, ResearchConsentSource } from '../../research-gateway/ports.ts';
import type { CohortIndexPort } from '../../schemas/cohort-index.ts';
import { decideConsents } from '../../research-gateway/cohort/consent-decisions.ts';
import { purposeOf } from '../../research-gateway/projects/project-purpose.ts';
import { clinicalDemographics, ledgerResearchConsents, vaultCohortData, vaultCohortIndex } from '../../vault/service/research-sources.ts';
import { openSecureDuckDB, type DuckDBSession } from '../../vault/store/duckdb-session.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { buildResearchWorld, withdrawResearchConsent, type ResearchWorld } from './helpers/research-world.ts';
import { KEYS, proposal } from './helpers/gateway-harness.ts';
import { SCOPES } from './helpers/population.ts';

const NOW = Date.parse('2026-06-01T08:00:00Z');
const project = { projectId: 'rp_00000000000000c1', proposal: proposal(['DUO:0000042']), approval: { at: '2026-01-01T00:00:00Z', by: '', reason: '', budget: 1, reviewGroups: {} as Record<string, 'include' | 'exclude'>, start: '2026-01-01', end: '2026-12-31' } };
const countSpec = (extra: { sex?: 'female' | 'male' } = {}) => specOf({ variant: { gene: 'BRCA1' }, assembly: 'GRCh38', ...extra }, 'count');

describe('research gateway: what a project derives from its sources is reused only while they are unchanged', function () {
  this.timeout(600_000);
  let world: ResearchWorld;
  let session: DuckDBSession;
  let dir: { path: string; remove: () => Promise<void> };

  before(async () => {
    dir = await makeTempDir('genovault-cohort-cache-');
    world = await buildResearchWorld(dir.path, { size: 30, consentOf: () => ['DUO:0000042'] });
    session = await openSecureDuckDB({ memoryLimitBytes: 256 * 1024 * 1024, threads: 1 });
  });
  after(async () => {
    session?.close();
    await world?.close();
    await dir?.remove();
  });

  /** The runner's dependencies over the real vault, counting how often the consents and the samples are read. */
  function counted(options: { versions: boolean }) {
    const { service } = world;
    const reads = { consents: 0, samples: 0 };
    const ledger = ledgerResearchConsents(service.consents);
    const consents: ResearchConsentSource = {
      currentResearchConsents: () => (reads.consents++, ledger.currentResearchConsents()),
      ...(options.versions && { version: () => ledger.version?.() }),
    };
    const source = vaultCohortData(service.vault, service.queries.engine);
    const cohortData: CohortDataSource = { ...source, calls: (request) => (reads.samples++, source.calls(request)) };
    if (!options.versions) delete cohortData.version;
    const deps: CohortRunDeps = {
      cohortData, consents, demographics: clinicalDemographics(service.clinical), cohortIndex: vaultCohortIndex(service.queries.cohortIndex!),
      sql: session.connection, keys: KEYS, now: () => NOW,
    };
    return { deps, reads };
  }


  it('decides the consents and picks the cohort once while nothing changes, and gives the same answer', async () => {
    const { deps, reads } = counted({ versions: true });
    const cache = new CohortCache();
    const first = await runProjectCohort(deps, project, countSpec(), cache);
    const again = await runProjectCohort(deps, project, countSpec(), cache);
    assert.deepEqual(reads, { consents: 1, samples: 1 }, 'the second question reads neither the consents nor the samples');
    assert.deepEqual(again.carrierPatients, first.carrierPatients);
    assert.deepEqual(again.base, first.base);
    assert.ok(first.base.length >= 20, 'the cohort is the consented patients');
    // another kind of question about the same cohort reuses it too
    await runProjectCohort(deps, project, specOf({ variant: { gene: 'BRCA1' }, assembly: 'GRCh38' }, 'aggregate'), cache);
    assert.deepEqual(reads, { consents: 1, samples: 1 });
  });

  it('a withdrawal counts on the next question', async () => {
    const { deps, reads } = counted({ versions: true });
    const cache = new CohortCache();
    const before = await runProjectCohort(deps, project, countSpec(), cache);
    const leaving = before.base[0]!;
    await withdrawResearchConsent(world.service, leaving);
    const after = await runProjectCohort(deps, project, countSpec(), cache);
    assert.equal(reads.consents, 2, 'the ledger changed: the consents are decided again');
    assert.ok(!after.base.includes(leaving) && !after.takingPart.has(leaving), 'the patient who withdrew takes no part');
    assert.equal(after.base.length, before.base.length - 1);
    assert.ok(!(after.carrierPatients ?? []).includes(leaving));
  });

  it('a changed clinical record counts on the next question', async () => {
    const { deps, reads } = counted({ versions: true });
    const cache = new CohortCache();
    const females = await runProjectCohort(deps, project, countSpec({ sex: 'female' }), cache);
    const patient = females.base[0]!;
    await world.service.clinical.updatePatient(patient, { sex: 'male' }, 'test');
    const after = await runProjectCohort(deps, project, countSpec({ sex: 'female' }), cache);
    assert.equal(reads.samples, 2, 'the record changed: the cohort is picked again');
    assert.ok(!after.base.includes(patient), 'a patient recorded as male no longer matches sex=female');
    assert.equal(reads.consents, 1, 'the consents did not change: their decisions are kept');
  });

  it('reads every source afresh when one reports no version', async () => {
    const { deps, reads } = counted({ versions: false });
    const cache = new CohortCache();
    await runProjectCohort(deps, project, countSpec(), cache);
    await runProjectCohort(deps, project, countSpec(), cache);
    assert.deepEqual(reads, { consents: 2, samples: 2 });
  });
});

describe('research gateway: the cohort cache against sources that change under it', () => {
  // small sources whose data and versions the test changes: 30 patients, one whole-genome sample each, every one a carrier
  let session: DuckDBSession;
  before(async () => {
    session = await openSecureDuckDB({ memoryLimitBytes: 128 * 1024 * 1024, threads: 1 });
  });
  after(() => session?.close());

  function world() {
    const patients = Array.from({ length: 30 }, (_, i) => `p_${(i + 1).toString(16).padStart(16, '0')}`);
    const state = { consented: new Set(patients), consentVersion: 0, samples: patients.map((p) => ({ sampleId: `s_${p.slice(2)}`, patientId: p, coverage: 'whole_genome' as const })), catalogVersion: 0, withdrawWhileDeciding: null as string | null };
    const consents: ResearchConsentSource = {
      *currentResearchConsents() {
        for (const patientId of state.consented) yield { patientId, scope: { permission: 'DUO:0000042', diseases: [], modifiers: [] } as never };
        const who = state.withdrawWhileDeciding;
        if (who) {
          state.withdrawWhileDeciding = null;
          // a ledger commit landing one microtask later, between the gateway's two lookups
          queueMicrotask(() => {
            state.consented.delete(who);
            state.consentVersion++;
          });
        }
      },
      version: () => state.consentVersion,
    };
    const cohortData: CohortDataSource = {
      buildsOf: () => ['GRCh38'],
      canonicalBuild: (b) => (b === 'GRCh38' ? b : null),
      calls: ({ patientIds }) => Promise.resolve({ build: 'GRCh38', chrom: null, samples: state.samples.filter((x) => patientIds.has(x.patientId)), calls: [], notCovering: [] }),
      version: () => state.catalogVersion,
    };
    const cohortIndex: CohortIndexPort = {
      builds: () => ['GRCh38'],
      count: () => Promise.reject(new Error('not asked')),
      carriers: (r) => Promise.resolve({ build: 'GRCh38', region: { chrom: 'chr17', start: 1, end: 2 }, carrierPositions: Int32Array.from(r.sampleIds.keys()) }),
      aggregate: () => Promise.reject(new Error('not asked')),
      records: () => Promise.reject(new Error('not asked')),
    };
    const deps: CohortRunDeps = {
      cohortData, consents, cohortIndex, sql: session.connection, keys: KEYS, now: () => NOW,
      demographics: { demographics: (ids) => [...ids].map((patientId) => ({ patientId, sex: 'female' as const, birthYear: 1970, zip: null, conditions: [] })), version: () => 1 },
    };
    return { patients, state, deps };
  }

  it('a withdrawal committed between deciding the consents and picking the cohort counts on the next question', async () => {
    const { patients, state, deps } = world();
    const cache = new CohortCache();
    state.withdrawWhileDeciding = patients[0]!;
    await runProjectCohort(deps, project, countSpec(), cache);
    assert.equal(state.consentVersion, 1, 'the withdrawal committed during the first question');
    const next = await runProjectCohort(deps, project, countSpec(), cache);
    assert.ok(!next.takingPart.has(patients[0]!) && !next.base.includes(patients[0]!) && !next.carrierPatients!.includes(patients[0]!), 'the patient who withdrew takes no part');
  });

  it('an erased sample (a new catalog) counts on the next question', async () => {
    const { patients, state, deps } = world();
    const cache = new CohortCache();
    assert.ok((await runProjectCohort(deps, project, countSpec(), cache)).carrierPatients!.includes(patients[3]!));
    state.samples = state.samples.filter((x) => x.patientId !== patients[3]);
    state.catalogVersion++;
    const after = await runProjectCohort(deps, project, countSpec(), cache);
    assert.ok(!after.base.includes(patients[3]!) && !after.carrierPatients!.includes(patients[3]!));
  });

  it('a board decision on review groups, or a new approval, is a new cohort', async () => {
    const { deps } = world();
    const cache = new CohortCache();
    // every consent now needs review: free-text restrictions the matcher cannot decide alone
    const review = { ...deps, consents: { currentResearchConsents: () => world().patients.map((patientId) => ({ patientId, scope: SCOPES[8]! })), version: () => 7 } };
    const excluded = await runProjectCohort(review, project, countSpec(), cache);
    assert.equal(excluded.base.length, 0, 'review consents take no part until the board includes them');
    const group = decideConsents(purposeOf(project.projectId, project.proposal), review.consents.currentResearchConsents(), '2026-06-01', KEYS.noise).find((d) => d.reviewGroup)?.reviewGroup;
    assert.ok(group, 'the consents form a review group');
    const included = { ...project, approval: { ...project.approval, at: '2026-02-01T00:00:00Z', reviewGroups: { [group]: 'include' as const } } };
    assert.equal((await runProjectCohort(review, included, countSpec(), cache)).base.length, 30, 'the board included them: they take part at once');
  });
});

describe('CohortCache', () => {
  it('keeps a value per key while the versions are the same, and derives it again when one differs', async () => {
    const cache = new CohortCache();
    let derived = 0;
    const derive = () => Promise.resolve(++derived);
    assert.equal(await cache.get('k', [1, 'a'], derive), 1);
    assert.equal(await cache.get('k', [1, 'a'], derive), 1);
    assert.equal(await cache.get('k', [2, 'a'], derive), 2);
    assert.equal(await cache.get('other', [2, 'a'], derive), 3);
    assert.equal(await cache.get('k', null, derive), 4, 'no versions: never cached');
    assert.equal(await cache.get('k', null, derive), 5);
  });

  it('does not keep a failed derivation', async () => {
    const cache = new CohortCache();
    await assert.rejects(cache.get('k', [1], () => Promise.reject(new Error('no'))));
    assert.equal(await cache.get('k', [1], () => Promise.resolve('yes')), 'yes');
  });

  it('drops the least recently used entries beyond the patients they hold in all, keeping the one just derived', async () => {
    const cache = new CohortCache(64, 100);
    const list = (n: number) => () => Promise.resolve(Array.from({ length: n }, (_, i) => `p_${i}`));
    const weigh = (v: string[]) => v.length;
    await cache.get('a', [1], list(40), weigh);
    await cache.get('b', [1], list(40), weigh);
    assert.equal(cache.patientsHeld, 80);
    await cache.get('c', [1], list(40), weigh);
    await Promise.resolve();
    assert.equal(cache.patientsHeld, 80, 'a dropped: 120 would be over 100');
    let derived = 0;
    await cache.get('a', [1], () => (derived++, Promise.resolve(['x'])), weigh);
    assert.equal(derived, 1, 'a was derived again');
    await cache.get('huge', [1], list(500), weigh);
    await Promise.resolve();
    assert.equal(cache.patientsHeld, 500, 'one entry over the bound alone is kept, the rest dropped');
  });

  it('drops the least recently used entry beyond its capacity', async () => {
    const cache = new CohortCache(2);
    let derived = 0;
    const derive = () => Promise.resolve(++derived);
    await cache.get('a', [1], derive);
    await cache.get('b', [1], derive);
    await cache.get('a', [1], derive);
    await cache.get('c', [1], derive);
    assert.equal(derived, 3);
    assert.equal(await cache.get('a', [1], derive), 1, 'a was used last: kept');
    assert.equal(await cache.get('b', [1], derive), 4, 'b was dropped');
  });
});
