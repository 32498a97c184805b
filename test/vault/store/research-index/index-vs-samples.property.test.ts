// The research index gives the answers the per-sample partitions give, for every generated
// population (several ingests of whole genomes, exomes with a targets BED and gVCFs; merged
// windows; deletions reaching across windows), region, allele and allowed set of samples: the
// operator's carriers and allele counts, and the gateway's aggregate, count and records built from them.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { makeTempDir } from '../../../helpers/temp-dir.ts';
import { Vault } from '../../../../vault/store/vault.ts';
import { openQueries, type PatientQueries } from '../../../../vault/store/patient-queries.ts';
import { CHROMS, SPAN, ingestPopulation, population } from './helpers/random-population.ts';

const region = fc.record({ chrom: fc.constantFrom(...CHROMS), start: fc.integer({ min: 1, max: SPAN + 200 }), length: fc.integer({ min: 0, max: 3_000 }) });
const allowedBits = fc.option(fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }), { nil: undefined });
const queries = fc.array(fc.record({ region, allowed: allowedBits }), { minLength: 1, maxLength: 4 });

const key = (v: { pos: number; ref: string; alt: string }) => `${v.pos}:${v.ref}:${v.alt}`;

async function compare(q: PatientQueries, samples: readonly string[], r: { chrom: string; start: number; length: number }, bits: boolean[] | undefined): Promise<void> {
  const allowed = bits ? samples.filter((_, i) => bits[i % bits.length]) : undefined;
  const options = { build: 'GRCh38', ...(allowed ? { sampleIds: new Set(allowed) } : {}) };
  const text = `${r.chrom}:${r.start}-${r.start + r.length}`;
  const fromSamples = await q.alleleCounts(text, { ...options, perSample: true });
  assert.deepEqual(await q.alleleCounts(text, options), fromSamples, `allele counts over ${text}`);
  // every allele found, and one nobody carries
  const alleles = [...fromSamples.variants.map((v) => `${r.chrom}:${v.pos}:${v.ref}:${v.alt}`), `${r.chrom}:${r.start}:A:T`];
  const carriersOf = new Map<string, Awaited<ReturnType<PatientQueries['carriers']>>>();
  for (const allele of alleles) {
    const expected = await q.carriers(allele, { ...options, perSample: true });
    assert.deepEqual(await q.carriers(allele, options), expected, `carriers of ${allele}`);
    carriersOf.set(allele.split(':').slice(1).join(':'), expected);
  }
  // the gateway's port over the same samples
  const index = q.cohortIndex!;
  const request = { build: 'GRCh38' as const, target: { region: { chrom: r.chrom, start: r.start, end: r.start + r.length } }, sampleIds: allowed ?? [...samples] };
  const aggregate = await index.aggregate(request);
  assert.equal(aggregate.samplesCovering, fromSamples.samplesQueried);
  assert.equal(aggregate.samplesInScope, (allowed ?? samples).length);
  assert.deepEqual(aggregate.variants.map(key), fromSamples.variants.map(key));
  const records: string[] = [];
  aggregate.variants.forEach((v, i) => {
    const want = fromSamples.variants[i]!;
    assert.deepEqual([v.alleleCount, v.carriers, v.samplesCovering, v.alleleNumber], [want.alleleCount, want.carriers, want.samplesCovering, 2 * want.samplesCovering], key(v));
    const carriers = carriersOf.get(key(v))!.carriers;
    assert.deepEqual([...v.carrierSampleIds].sort(), [...new Set(carriers.map((c) => c.sampleId))].sort());
    const by = (z: string) => new Set(carriers.filter((c) => c.zygosity === z).map((c) => c.sampleId)).size;
    assert.deepEqual(v.zygosity, { het: by('het'), homAlt: by('hom_alt'), hemizygous: by('hemizygous'), missing: by('missing') });
    for (const c of carriers) records.push(`${key(v)}:${c.sampleId}:${c.zygosity}:${c.genotype}`);
  });
  const fromIndex = await index.records(request);
  assert.deepEqual(fromIndex.records.map((x) => `${key(x)}:${x.sampleId}:${x.zygosity}:${x.genotype}`).sort(), records.sort());
  const count = await index.count(request);
  assert.deepEqual([...count.carrierSampleIds].sort(), [...new Set(aggregate.variants.flatMap((v) => v.carrierSampleIds))].sort());
  // no sample outside the allowed set appears in any answer
  const may = new Set(allowed ?? samples);
  for (const id of [...count.carrierSampleIds, ...fromIndex.records.map((x) => x.sampleId)]) assert.ok(may.has(id), 'a sample outside the allowed set answered');
}

describe('research index: the same answers as the per-sample partitions', function () {
  this.timeout(900_000);

  it('for generated populations, regions, alleles and allowed sets (fast-check)', async () => {
    let merged = 0;
    await fc.assert(fc.asyncProperty(population, queries, async (batches, qs) => {
      const dir = await makeTempDir('genovault-index-prop-');
      try {
        const made = await ingestPopulation(dir.path, batches);
        const vault = await Vault.open(made.dir, made.kek, { write: false });
        const q = await openQueries(vault, { cacheBudgetMb: 64 });
        try {
          assert.ok(q.cohortIndex?.answersFor('GRCh38'), 'a new vault keeps its index from the first ingest');
          const index = vault.catalog.data.index!;
          if (new Set(index.segments.map((s) => `${s.kind}:${s.chrom}:${s.window}`)).size < index.segments.length) merged++;
          const samples = vault.catalog.data.samples.map((s) => s.sampleId);
          for (const { region: r, allowed } of qs) await compare(q, samples, r, allowed);
        } finally {
          await q.close();
          await vault.close();
        }
      } finally {
        await dir.remove();
      }
    }), { numRuns: 30 });
    // windows holding several segments (merges pending) were among the cases
    assert.ok(merged > 0);
  });
});
