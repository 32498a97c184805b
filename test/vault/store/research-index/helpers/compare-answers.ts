// The research index's answers held to the per-sample partitions' for one region and allowed set:
// the operator's carriers and allele counts, and the gateway's aggregate, count, carriers and records.
import { strict as assert } from 'node:assert';
import type { PatientQueries } from '../../../../../vault/store/patient-queries.ts';
import type { Vault } from '../../../../../vault/store/vault.ts';
import { vaultCohortData } from '../../../../../vault/service/research-sources.ts';

const key = (v: { pos: number; ref: string; alt: string }) => `${v.pos}:${v.ref}:${v.alt}`;

export async function compare(q: PatientQueries, samples: readonly string[], r: { chrom: string; start: number; length: number }, bits: boolean[] | undefined): Promise<void> {
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
    assert.deepEqual(idsAt(request.sampleIds, v.carrierPositions), [...new Set(carriers.map((c) => c.sampleId))].sort());
    assert.deepEqual(idsAt(request.sampleIds, v.homAltPositions), [...new Set(carriers.filter((c) => c.zygosity === 'hom_alt').map((c) => c.sampleId))].sort());
    const by = (z: string) => new Set(carriers.filter((c) => c.zygosity === z).map((c) => c.sampleId)).size;
    assert.deepEqual(v.zygosity, { het: by('het'), homAlt: by('hom_alt'), hemizygous: by('hemizygous'), missing: by('missing') });
    for (const c of carriers) records.push(`${key(v)}:${c.sampleId}:${c.zygosity}:${c.genotype}`);
  });
  const fromIndex = await index.records(request);
  assert.deepEqual(fromIndex.records.map((x) => `${key(x)}:${x.sampleId}:${x.zygosity}:${x.genotype}`).sort(), records.sort());
  const count = await index.count(request);
  assert.deepEqual([...count.carrierSampleIds].sort(), [...new Set(aggregate.variants.flatMap((v) => idsAt(request.sampleIds, v.carrierPositions)))].sort());
  // the carriers alone (the gateway's count level): the same samples, named by their positions in the request
  assert.deepEqual(idsAt(request.sampleIds, (await index.carriers(request)).carrierPositions), [...count.carrierSampleIds].sort());
  // no sample outside the allowed set appears in any answer
  const may = new Set(allowed ?? samples);
  for (const id of [...count.carrierSampleIds, ...fromIndex.records.map((x) => x.sampleId)]) assert.ok(may.has(id), 'a sample outside the allowed set answered');
}


/** The sample ids at these positions of a request's ids, sorted as text; positions must ascend, each once, within the request. */
export function idsAt(sampleIds: readonly string[], positions: Int32Array): string[] {
  positions.forEach((p, i) => assert.ok(p >= 0 && p < sampleIds.length && (i === 0 || p > positions[i - 1]!), 'positions ascend, each once, within the request'));
  return [...positions].map((p) => sampleIds[p]!).sort();
}

/**
 * Who did not cover each allele's position (the aggregate's allele number leaves them out): the
 * index's list held to the per-sample reading (each sample's targets BED or gVCF blocks, and its calls).
 */
export async function compareNotCovering(vault: Vault, q: PatientQueries, samples: readonly string[], r: { chrom: string; start: number; length: number }, bits: boolean[] | undefined): Promise<number> {
  const allowed = bits ? samples.filter((_, i) => bits[i % bits.length]) : [...samples];
  const patientOf = new Map(vault.catalog.data.samples.map((s) => [s.sampleId, s.patientId]));
  const region = { chrom: r.chrom, start: r.start, end: r.start + r.length };
  const perSample = await vaultCohortData(vault, q.engine).calls({ assembly: 'GRCh38', patientIds: new Set(allowed.map((id) => patientOf.get(id)!)), locus: { kind: 'region', ...region } });
  const expected = new Map(perSample.notCovering.map((n) => [n.pos, [...n.sampleIds].sort()]));
  const fromIndex = await q.cohortIndex!.aggregate({ build: 'GRCh38', target: { region }, sampleIds: allowed, notCovering: true });
  let listed = 0;
  for (const v of fromIndex.variants) {
    assert.deepEqual(idsAt(allowed, v.notCoveringPositions ?? new Int32Array()), expected.get(v.pos) ?? [], `who did not cover ${v.pos}`);
    listed += v.notCoveringPositions?.length ?? 0;
  }
  return listed;
}
