import assert from 'node:assert/strict';
import fc from 'fast-check';
import { QueryEngine, QueryInputError, budgetGroups, type VariantRow } from '../../../vault/store/query-engine.ts';
import { expectedBytes } from '../../../vault/store/loaded-partition.ts';
import { parseRegion } from '../../../vault/store/region.ts';
import type { PartitionRef } from '../../../vault/store/partition-ref.ts';
import { makeBatch, MemorySource } from './helpers/call-batches.ts';
import { resolveGene } from '../../../vault/store/gene-query.ts';

/** A gene as the query layer resolves it on GRCh38 (approved symbol and its span). */
const gene = (symbol: string) => resolveGene(symbol, 'GRCh38').filter;
/** A gene filter by annotation only, for symbols the table does not know. */
const annotated = (symbol: string) => ({ symbols: [symbol.trim().toUpperCase()] });

const BRCA1 = { start: 43044295, end: 43125483 };

/** Two patients: A has BRCA1 calls (annotated and not), a TP53 call and a chr13 call; B has chr17 and chr2 calls. */
function population(): { source: MemorySource; a: PartitionRef[]; b: PartitionRef[] } {
  const source = new MemorySource();
  const a = [
    source.add('sA', makeBatch('chr17', [
      { pos: 7674220, ref: 'C', alt: 'T', gene: 'TP53', clnsig: 'Pathogenic', id: 'rs11540652', dp: 40, gq: 99, qual: 812.5, filter: 'PASS' },
      { pos: 43045712, ref: 'C', alt: 'T', gene: 'BRCA1', clnsig: 'Pathogenic/Likely_pathogenic', zygosity: 1, gt: '0|1', phased: true, dp: 31, gq: 99, qual: 300, filter: 'PASS', consequence: 'stop_gained' },
      { pos: 43057062, ref: 'G', alt: 'A', gene: null, clnsig: 'Likely_pathogenic', zygosity: 2, gt: '1/1', dp: null, gq: null, qual: null },
      { pos: 43093449, ref: 'TG', alt: 'T', gene: 'BRCA1', clnsig: 'Benign', filter: 'q10;s50' },
      { pos: 43200000, ref: 'A', alt: 'G', gene: null, clnsig: 'Conflicting_classifications_of_pathogenicity' },
    ])),
    source.add('sA', makeBatch('chr13', [{ pos: 32340300, ref: 'A', alt: 'G', gene: 'BRCA2', clnsig: 'Uncertain_significance' }])),
  ];
  const b = [
    source.add('sB', makeBatch('chr17', [
      { pos: 43045712, ref: 'C', alt: 'T', gene: 'BRCA1', zygosity: 2, gt: '1/1' },
      { pos: 43045712, ref: 'C', alt: 'G', gene: 'BRCA1', zygosity: 1, gt: '1/2', altIndex: 2 },
    ])),
    source.add('sB', makeBatch('chr2', [{ pos: 47403100, ref: 'A', alt: 'C', gene: 'MSH2' }])),
  ];
  return { source, a, b };
}

const positions = (rows: VariantRow[]): number[] => rows.map((r) => r.pos);

describe('query engine: one patient', () => {
  let engine: QueryEngine;
  let pop: ReturnType<typeof population>;
  beforeEach(async () => {
    pop = population();
    engine = await QueryEngine.open(pop.source, { cacheBudgetBytes: 64 * 1024 * 1024, threads: 2 });
  });
  afterEach(() => engine.close());

  it('returns every call with all its fields, ordered by chromosome and position', async () => {
    const rows = await engine.variantsOfPatient(pop.a);
    assert.deepEqual(rows.map((r) => `${r.chrom}:${r.pos}`), ['chr13:32340300', 'chr17:7674220', 'chr17:43045712', 'chr17:43057062', 'chr17:43093449', 'chr17:43200000']);
    assert.deepEqual(rows[2], {
      sampleId: 'sA', chrom: 'chr17', pos: 43045712, id: null, ref: 'C', alt: 'T', altIndex: 1, zygosity: 'het', phased: true, genotype: '0|1',
      dp: 31, gq: 99, qual: 300, filter: 'PASS', gene: 'BRCA1', consequence: 'stop_gained', clnsig: 'Pathogenic/Likely_pathogenic',
      // a self-contained (format 2) partition keeps no allele depths or HGVS
      adRef: null, adAlt: null, vaf: null, hgvsC: null, hgvsP: null,
    });
    assert.deepEqual(rows[3], {
      sampleId: 'sA', chrom: 'chr17', pos: 43057062, id: null, ref: 'G', alt: 'A', altIndex: 1, zygosity: 'hom_alt', phased: false, genotype: '1/1',
      dp: null, gq: null, qual: null, filter: null, gene: null, consequence: null, clnsig: 'Likely_pathogenic',
      adRef: null, adAlt: null, vaf: null, hgvsC: null, hgvsP: null,
    });
  });

  it('filters by region, inclusive at both ends', async () => {
    assert.deepEqual(positions(await engine.variantsOfPatient(pop.a, { region: parseRegion('17:43045712-43093449') })), [43045712, 43057062, 43093449]);
    assert.deepEqual(positions(await engine.variantsOfPatient(pop.a, { region: parseRegion('chr17:43045713-43093448') })), [43057062]);
    assert.deepEqual(await engine.variantsOfPatient(pop.a, { region: parseRegion('chr1') }), []);
  });

  it('finds a gene by annotation, or by the coordinate table where the call has none', async () => {
    // 43057062 has no annotation but lies in BRCA1's span; 43200000 has none and lies outside
    assert.deepEqual(positions(await engine.variantsOfPatient(pop.a, { gene: gene('brca1') })), [43045712, 43057062, 43093449]);
    assert.deepEqual(positions(await engine.variantsOfPatient(pop.a, { gene: gene('TP53') })), [7674220]);
    assert.deepEqual(await engine.variantsOfPatient(pop.a, { gene: gene('MSH2') }), []);
  });

  it('reads annotations that list several genes (GENEINFO ids, | , & ; separators) and matches symbols whole', async () => {
    // symbols the gene coordinate table does not know, so only the annotations can find them
    const source = new MemorySource();
    const refs = [source.add('sC', makeBatch('chr7', [
      { pos: 100, ref: 'A', alt: 'G', gene: 'GVTESTB:10230|GVTESTA:672' },
      { pos: 200, ref: 'A', alt: 'C', gene: 'gvtestc, gvtestd' },
      { pos: 300, ref: 'A', alt: 'T', gene: 'GVTESTE&GVTESTF;GVTESTG' },
      { pos: 400, ref: 'C', alt: 'T', gene: 'GVTESTA1' },
    ]))];
    const own = await QueryEngine.open(source, { cacheBudgetBytes: 64 * 1024 * 1024 });
    try {
      const byGene = async (symbol: string) => positions(await own.variantsOfPatient(refs, { gene: annotated(symbol) }));
      assert.deepEqual(await byGene('GVTESTA'), [100]);
      assert.deepEqual(await byGene('gvtestb'), [100]);
      assert.deepEqual(await byGene('GVTESTC'), [200]);
      assert.deepEqual(await byGene('GVTESTD'), [200]);
      assert.deepEqual(await byGene('GVTESTF'), [300]);
      assert.deepEqual(await byGene('GVTESTG'), [300]);
      assert.deepEqual(await byGene('GVTEST'), []);
      assert.deepEqual(await byGene('GVTESTA1'), [400]);
      assert.deepEqual(await byGene('GVTESTA'), [100], 'asked again: the remembered match is the same');
    } finally {
      await own.close();
    }
  });

  it('matches significance terms whole and case-insensitively', async () => {
    const sig = async (...terms: string[]) => positions(await engine.variantsOfPatient(pop.a, { significance: terms }));
    assert.deepEqual(await sig('pathogenic'), [7674220, 43045712]);
    assert.deepEqual(await sig('likely_pathogenic'), [43045712, 43057062]);
    assert.deepEqual(await sig('Pathogenic', 'Likely pathogenic'), [7674220, 43045712, 43057062]);
    assert.deepEqual(await sig('benign'), [43093449]);
    assert.deepEqual(positions(await engine.variantsOfPatient(pop.a, { gene: gene('BRCA1'), significance: ['pathogenic'] })), [43045712]);
  });

  it('remembers each filter apart: a term that joins two others is not taken for them', async () => {
    assert.deepEqual(positions(await engine.variantsOfPatient(pop.a, { significance: ['pathogenic', 'benign'] })), [7674220, 43045712, 43093449]);
    assert.deepEqual(await engine.variantsOfPatient(pop.a, { significance: ['pathogenic\u0000benign'] }), []);
    assert.deepEqual(positions(await engine.variantsOfPatient(pop.a, { significance: ['benign', 'pathogenic'] })), [7674220, 43045712, 43093449]);
  });

  it('refuses an empty gene or significance list with a typed error', async () => {
    await assert.rejects(engine.variantsOfPatient(pop.a, { gene: { symbols: [] } }), QueryInputError);
    await assert.rejects(engine.variantsOfPatient(pop.a, { significance: [' '] }), QueryInputError);
  });

  it('a one-gene query decrypts only that patient\'s partition of that chromosome', async () => {
    await engine.variantsOfPatient([...pop.a, ...pop.b].filter((r) => r.sampleId === 'sA'), { gene: gene('BRCA1') });
    assert.deepEqual(pop.source.reads, ['part_sA_chr17']);
    assert.equal(engine.stats().partitionsLoaded, 1);
    await engine.variantsOfPatient(pop.a, { region: { chrom: 'chr17', ...BRCA1 } });
    assert.deepEqual(pop.source.reads, ['part_sA_chr17']);
    assert.equal(engine.stats().cacheHits, 1);
  });

  it('refuses a partition whose bytes do not match its catalog entry, and caches nothing', async () => {
    pop.source.replace('part_sA_chr17', (await pop.source.read(pop.a[1]!)));
    await assert.rejects(engine.variantsOfPatient(pop.a), /does not match its catalog entry/);
    assert.equal(engine.stats().cachedPartitions, 0);
  });
});

describe('query engine: user text never becomes SQL', () => {
  let engine: QueryEngine;
  let pop: ReturnType<typeof population>;
  let all: VariantRow[];
  before(async () => {
    pop = population();
    engine = await QueryEngine.open(pop.source, { cacheBudgetBytes: 64 * 1024 * 1024, threads: 2 });
    all = await engine.variantsOfPatient(pop.a);
  });
  after(() => engine.close());

  const hostile = fc.oneof(
    fc.string(),
    fc.constantFrom("BRCA1' OR '1'='1", "x'); DROP TABLE dict; --", '%', '_', 'BRCA1%', "' OR gene IS NULL --", '$1', '\\', 'BRCA1;TP53', '*'),
  );

  it('an arbitrary gene returns only rows annotated with that gene, and never errors', async () => {
    await fc.assert(fc.asyncProperty(hostile, async (text) => {
      if (text.trim() === '') return;
      const rows = await engine.variantsOfPatient(pop.a, { gene: annotated(text) });
      const symbol = text.trim().toUpperCase();
      const expected = all.filter((r) => (r.gene ?? '').toUpperCase().split(/[|,&;]/).map((t) => t.split(':')[0]!.trim()).includes(symbol));
      assert.deepEqual(rows, expected);
    }), { numRuns: 200 });
    assert.equal((await engine.variantsOfPatient(pop.a)).length, all.length);
  });

  it('arbitrary significance terms match only whole terms, and never error', async () => {
    await fc.assert(fc.asyncProperty(fc.array(hostile, { minLength: 1, maxLength: 3 }), async (terms) => {
      const wanted = terms.map((t) => t.trim().toLowerCase().replace(/ /g, '_').replace(/^_+|_+$/g, '')).filter(Boolean);
      if (wanted.length === 0) return;
      const rows = await engine.variantsOfPatient(pop.a, { significance: terms });
      const expected = all.filter((r) => (r.clnsig ?? '').toLowerCase().split(/[/|,]/).some((t) => wanted.includes(t.replace(/ /g, '_').replace(/^_+|_+$/g, ''))));
      assert.deepEqual(rows, expected);
    }), { numRuns: 200 });
  });

  it('an arbitrary region string either parses to a sane region or is refused with a RegionError', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.constantFrom("17:1-2'; DROP TABLE dict;--", 'chr17:-5', 'chr17:10-5', '17:1,000-2,000')), (text) => {
      try {
        const region = parseRegion(text);
        assert.ok(region.start >= 1 && region.start <= region.end);
      } catch (err) {
        assert.equal((err as Error).name, 'RegionError');
      }
    }));
  });
});

describe('query engine: cohort', () => {
  let engine: QueryEngine;
  let pop: ReturnType<typeof population>;
  beforeEach(async () => {
    pop = population();
    engine = await QueryEngine.open(pop.source, { cacheBudgetBytes: 64 * 1024 * 1024, threads: 2 });
  });
  afterEach(() => engine.close());

  it('finds the carriers of an exact allele, and only among the partitions named', async () => {
    const refs = [...pop.a, ...pop.b];
    assert.deepEqual(await engine.carriersOfVariant(refs, { chrom: '17', pos: 43045712, ref: 'C', alt: 'T' }), [
      { sampleId: 'sA', zygosity: 'het', genotype: '0|1' },
      { sampleId: 'sB', zygosity: 'hom_alt', genotype: '1/1' },
    ]);
    assert.deepEqual(await engine.carriersOfVariant(refs, { chrom: 'chr17', pos: 43045712, ref: 'C', alt: 'G' }), [{ sampleId: 'sB', zygosity: 'het', genotype: '1/2' }]);
    assert.deepEqual(await engine.carriersOfVariant(pop.a, { chrom: 'chr17', pos: 43045712, ref: 'C', alt: 'G' }), []);
    assert.deepEqual(await engine.carriersOfVariant(refs, { chrom: 'chr17', pos: 43045712, ref: 'C', alt: "T' OR 1=1 --" }), []);
    // the second query reused loaded partitions: only chr17 partitions were ever read
    assert.deepEqual([...new Set(pop.source.reads)].sort(), ['part_sA_chr17', 'part_sB_chr17']);
  });

  it('counts allele copies (hom_alt 2, others 1), carriers and samples queried', async () => {
    const counts = await engine.alleleCounts([...pop.a, ...pop.b], { chrom: 'chr17', ...BRCA1 });
    assert.equal(counts.samplesQueried, 2);
    assert.deepEqual(counts.variants, [
      { chrom: 'chr17', pos: 43045712, ref: 'C', alt: 'G', alleleCount: 1, carriers: 1 },
      { chrom: 'chr17', pos: 43045712, ref: 'C', alt: 'T', alleleCount: 3, carriers: 2 },
      { chrom: 'chr17', pos: 43057062, ref: 'G', alt: 'A', alleleCount: 2, carriers: 1 },
      { chrom: 'chr17', pos: 43093449, ref: 'TG', alt: 'T', alleleCount: 1, carriers: 1 },
    ]);
    const outside = await engine.alleleCounts([...pop.a, ...pop.b], { chrom: 'chr2', start: 1, end: 1000 });
    assert.deepEqual(outside, { samplesQueried: 2, variants: [] });
  });

  it('counts only the partitions named, even when the cohort table holds more', async () => {
    await engine.alleleCounts([...pop.a, ...pop.b], { chrom: 'chr17', ...BRCA1 });
    const onlyA = await engine.alleleCounts(pop.a, { chrom: 'chr17', ...BRCA1 });
    assert.equal(onlyA.samplesQueried, 1);
    assert.deepEqual(onlyA.variants.map((v) => [v.pos, v.alt, v.alleleCount, v.carriers]), [[43045712, 'T', 1, 1], [43057062, 'A', 2, 1], [43093449, 'T', 1, 1]]);
    // naming sA's partition twice must not stand in for sB's
    const twice = [...pop.a, ...pop.a];
    assert.deepEqual((await engine.alleleCounts(twice, { chrom: 'chr17', ...BRCA1 })).variants.map((v) => v.alleleCount), [1, 2, 1]);
    assert.deepEqual(await engine.carriersOfVariant(twice, { chrom: 'chr17', pos: 43045712, ref: 'C', alt: 'G' }), []);
  });

  it('sees partitions loaded after the cohort table was built', async () => {
    await engine.alleleCounts(pop.a, { chrom: 'chr17', ...BRCA1 });
    const counts = await engine.alleleCounts([...pop.a, ...pop.b], { chrom: 'chr17', start: 43045712, end: 43045712 });
    assert.deepEqual(counts.variants.map((v) => [v.alt, v.alleleCount]), [['G', 1], ['T', 3]]);
  });

  it('evictSample drops the sample from memory: its next query decrypts again, cohort results follow', async () => {
    await engine.alleleCounts([...pop.a, ...pop.b], { chrom: 'chr17', ...BRCA1 });
    assert.equal(await engine.evictSample('sB'), 1);
    assert.equal(engine.stats().cachedPartitions, 1);
    const counts = await engine.alleleCounts(pop.a, { chrom: 'chr17', ...BRCA1 });
    assert.deepEqual(counts.variants.map((v) => v.alleleCount), [1, 2, 1]);
    const reads = pop.source.reads.length;
    await engine.variantsOfPatient(pop.b);
    assert.equal(pop.source.reads.length, reads + 2);
  });
});

describe('query engine: cache budget', () => {
  it('a cache hit makes the partition the most recently used: the next eviction takes the other one', async () => {
    const source = new MemorySource();
    const calls = Array.from({ length: 2000 }, (_, i) => ({ pos: 1000 + i * 10, ref: 'A', alt: 'G' }));
    const [s1, s2, s3] = ['s1', 's2', 's3'].map((s) => source.add(s, makeBatch('chr1', calls)));
    const engine = await QueryEngine.open(source, { cacheBudgetBytes: 4_300_000, threads: 1 }); // holds two
    try {
      await engine.variantsOfPatient([s1!]);
      await engine.variantsOfPatient([s2!]);
      await engine.variantsOfPatient([s1!]); // hit: s1 is now more recent than s2
      await engine.variantsOfPatient([s3!]); // evicts s2
      const before = engine.stats();
      await engine.variantsOfPatient([s1!]);
      assert.equal(engine.stats().partitionsLoaded, before.partitionsLoaded, 's1 stayed cached');
      await engine.variantsOfPatient([s2!]);
      assert.equal(engine.stats().partitionsLoaded, before.partitionsLoaded + 1, 's2 was the one evicted');
    } finally {
      await engine.close();
    }
  });

  it('evicts least recently used partitions beyond the budget, and reloads them on demand', async () => {
    const source = new MemorySource();
    const calls = Array.from({ length: 2000 }, (_, i) => ({ pos: 1000 + i * 10, ref: 'A', alt: 'G' }));
    const refs = ['s1', 's2', 's3'].map((s) => source.add(s, makeBatch('chr1', calls)));
    // one partition is counted at 2 MiB (DuckDB's eight 256 KiB blocks for a table of 2,000 rows): a 4.3 MB budget holds two
    const budget = 4_300_000;
    const engine = await QueryEngine.open(source, { cacheBudgetBytes: budget, threads: 1 });
    try {
      for (const ref of refs) await engine.variantsOfPatient([ref]);
      let stats = engine.stats();
      assert.equal(stats.partitionsLoaded, 3);
      assert.equal(stats.evictions, 1);
      assert.equal(stats.cachedPartitions, 2);
      assert.ok(stats.cachedBytes <= budget);
      await engine.variantsOfPatient([refs[2]!]); // hit
      await engine.variantsOfPatient([refs[0]!]); // evicted earlier: reload, evicting s2 (least recent)
      stats = engine.stats();
      assert.equal(stats.cacheHits, 1);
      assert.equal(stats.partitionsLoaded, 4);
      await engine.variantsOfPatient([refs[2]!]);
      assert.equal(engine.stats().cacheHits, 2);
      // a query needing more than the budget still completes, then the cache trims back
      const rows = await engine.carriersOfVariant(refs, { chrom: 'chr1', pos: 1000, ref: 'A', alt: 'G' });
      assert.equal(rows.length, 3);
      assert.ok(engine.stats().cachedBytes <= budget);
    } finally {
      await engine.close();
    }
  });

  it('reads a cohort\'s partitions for variant rows a group at a time within the budget, however many', async () => {
    const source = new MemorySource();
    const calls = Array.from({ length: 2000 }, (_, i) => ({ pos: 1000 + i * 10, ref: 'A', alt: 'G' }));
    const refs = Array.from({ length: 12 }, (_, i) => source.add(`s${i}`, makeBatch('chr1', calls)));
    const budget = 4_300_000;
    const engine = await QueryEngine.open(source, { cacheBudgetBytes: budget, threads: 1 });
    // how many partitions were held when each was read: all twelve at once would be ~25 MB against a 4.3 MB budget
    const heldAtRead: number[] = [];
    const read = source.readPartition.bind(source);
    source.readPartition = (ref) => {
      heldAtRead.push(engine.stats().cachedPartitions);
      return read(ref);
    };
    try {
      const answer = await engine.patientVariants(refs, { region: parseRegion('chr1:1000-1100') });
      assert.equal(answer.rows.length, 12 * 11, 'every sample\'s rows in the region');
      assert.equal(answer.samplesRead.size, 12);
      assert.equal(heldAtRead.length, 12);
      assert.ok(Math.max(...heldAtRead) <= 2, `at most two partitions held when one was read (saw ${Math.max(...heldAtRead)})`);
      assert.ok(engine.stats().cachedBytes <= budget);
    } finally {
      await engine.close();
    }
  });

  it('budget groups keep the partitions in order, each group within the size unless one partition alone exceeds it (property)', () => {
    const ref = (rows: number, i: number): PartitionRef => ({ partitionId: `p${i}`, sampleId: `s${i}`, chrom: 'chr1', minPos: 1, maxPos: 2, rows, build: 'GRCh38' });
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 400_000 }), { maxLength: 40 }), fc.integer({ min: 1, max: 64 * 1024 * 1024 }), (rows, bytes) => {
      const refs = rows.map(ref);
      const groups = budgetGroups(refs, bytes);
      assert.deepEqual(groups.flat(), refs);
      for (const g of groups) {
        assert.ok(g.length > 0);
        if (g.length > 1) assert.ok(g.reduce((n, r) => n + expectedBytes(r), 0) <= bytes);
      }
      // a group is cut only where the next partition would not have fitted
      for (let i = 1; i < groups.length; i++) assert.ok(groups[i - 1]!.reduce((n, r) => n + expectedBytes(r), 0) + expectedBytes(groups[i]![0]!) > bytes);
    }));
  });
});
