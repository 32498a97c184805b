// The cohort index as the research gateway calls it: only the allowed samples count (others of the
// vault never appear, whatever they carry), samples of another build or unknown ids are left out and
// counted, zygosity and significance filters choose the calls, the answer says what coverage its
// samples have, and a malformed request is refused without echoing it. A window cache under a
// tiny budget still answers a whole chromosome, evicting windows as the query moves on.
import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '../../../helpers/temp-dir.ts';
import { Vault } from '../../../../vault/store/vault.ts';
import { ingestVcf } from '../../../../vault/ingest/ingest-vcf.ts';
import { openQueries, type PatientQueries } from '../../../../vault/store/patient-queries.ts';
import { QueryInputError } from '../../../../vault/store/query-input-error.ts';
import { ingestPopulation, vcfText, type RandomBatch } from './helpers/random-population.ts';

// BRCA1 spans chr17:43,044,295-43,170,245 on GRCh38
const B = 43_050_000;
const brca1 = (samples: number, gts: (pos: number) => string[], clnsig: (pos: number) => string | null): RandomBatch => ({
  coverage: 'wgs', samples, blocks: [],
  records: [B, B + 10, B + 2_000_000].map((pos) => ({ chrom: 'chr1', pos, ref: 'A', alts: ['G'], clnsig: clnsig(pos), gts: gts(pos) })),
});

describe('research index: the gateway port', function () {
  this.timeout(120_000);
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let vault: Vault;
  let q: PatientQueries;
  let ids: Record<string, string>;
  before(async () => {
    dir = await makeTempDir();
    // the helper writes chr1: the lines are renamed to chr17, where BRCA1 is
    const batch = brca1(4, (pos) => (pos === B ? ['0/1', '1/1', '0/0', '1'] : ['0/0', '0/1', '0/1', '0']), (pos) => (pos === B ? 'Pathogenic' : 'Benign'));
    const made = await ingestPopulation(dir.path, []);
    const writer = await Vault.open(made.dir, made.kek, { write: true });
    const names = ['A', 'B', 'C', 'D'];
    const file = join(dir.path, 'brca.vcf');
    await writeFile(file, vcfText(batch, names).replace(/^chr1\t/gm, 'chr17\t').replace('##contig=<ID=chr1,length=248956422>', '##contig=<ID=chr17,length=83257441>'));
    await ingestVcf(writer, file, { map: new Map(names.map((n) => [n, `P-${n}`])), workers: 0, build: 'GRCh38' });
    // one more sample, on GRCh37
    const other = join(dir.path, 'grch37.vcf');
    await writeFile(other, vcfText(brca1(1, () => ['1/1'], () => null), ['E']).replace('##reference=GRCh38', '##reference=GRCh37').replace(/^##contig.*\n/gm, ''));
    await ingestVcf(writer, other, { map: new Map([['E', 'P-E']]), workers: 0, build: 'GRCh37' });
    await writer.close();
    vault = await Vault.open(made.dir, made.kek, { write: false });
    q = await openQueries(vault, { cacheBudgetMb: 64 });
    ids = Object.fromEntries(['A', 'B', 'C', 'D', 'E'].map((n) => [n, vault.catalog.samplesOf(vault.catalog.patientByMrn(`P-${n}`)!.patientId)[0]!.sampleId]));
  });
  after(async () => {
    await q?.close();
    await vault?.close();
    await dir?.remove();
  });

  it('counts only the allowed samples: a sample left out contributes nothing, not even to the allele number', async () => {
    const port = q.cohortIndex!;
    const all = await port.aggregate({ build: 'GRCh38', target: { gene: 'BRCA1' }, sampleIds: [ids.A!, ids.B!, ids.C!, ids.D!] });
    assert.deepEqual(all.region, { chrom: 'chr17', start: 43044295, end: 43170245 });
    assert.deepEqual(all.variants.map((v) => [v.pos, v.alleleCount, v.carriers, v.alleleNumber]), [[B, 4, 3, 8], [B + 10, 2, 2, 8]]);
    const some = await port.aggregate({ build: 'GRCh38', target: { gene: 'BRCA1' }, sampleIds: [ids.A!, ids.C!] });
    // carriers named by their positions in the request: A is at 0, C at 1
    assert.deepEqual(some.variants.map((v) => [v.pos, v.alleleCount, v.carriers, v.alleleNumber, [...v.carrierPositions]]), [[B, 1, 1, 4, [0]], [B + 10, 1, 1, 4, [1]]]);
    assert.equal(some.samplesInScope, 2);
    // in any order, a sample named twice: its first position, once; B's hom_alt call listed apart
    const shuffled = await port.aggregate({ build: 'GRCh38', target: { gene: 'BRCA1' }, sampleIds: [ids.C!, ids.B!, ids.A!, ids.C!] });
    assert.deepEqual(shuffled.variants.map((v) => [v.pos, [...v.carrierPositions], [...v.homAltPositions]]), [[B, [1, 2], [1]], [B + 10, [0, 1], []]]);
    const none = await port.aggregate({ build: 'GRCh38', target: { gene: 'BRCA1' }, sampleIds: [] });
    assert.deepEqual([none.variants, none.samplesInScope, none.samplesCovering], [[], 0, 0]);
    const records = await port.records({ build: 'GRCh38', target: { gene: 'BRCA1' }, sampleIds: [ids.B!] });
    assert.deepEqual(records.records.map((r) => [r.pos, r.sampleId, r.zygosity, r.genotype]), [[B, ids.B, 'hom_alt', '1/1'], [B + 10, ids.B, 'het', '0/1']]);
  });

  it('leaves out samples of another build and unknown ids, and counts them', async () => {
    const answer = await q.cohortIndex!.count({ build: 'GRCh38', target: { region: { chrom: '17', start: B, end: B } }, sampleIds: [ids.A!, ids.E!, 's_0000000000000000'] });
    assert.deepEqual(answer.samplesLeftOut, { otherBuild: 1, unknown: 1 });
    assert.deepEqual(answer.carrierSampleIds, [ids.A]);
    assert.deepEqual(answer.coverage, { wholeGenome: 1, targets: 0, gvcf: 0 });
  });

  it('filters calls by zygosity and ClinVar significance, and finds one allele', async () => {
    const port = q.cohortIndex!;
    const everyone = [ids.A!, ids.B!, ids.C!, ids.D!];
    const hom = await port.count({ build: 'GRCh38', target: { gene: 'BRCA1' }, sampleIds: everyone, zygosity: ['hom_alt', 'hemizygous'] });
    assert.deepEqual([...hom.carrierSampleIds].sort(), [ids.B, ids.D].sort());
    // the carriers alone name positions in the request's ids, ascending
    const reversed = [...everyone].reverse();
    const positions = (await port.carriers({ build: 'GRCh38', target: { gene: 'BRCA1' }, sampleIds: reversed, zygosity: ['hom_alt', 'hemizygous'] })).carrierPositions;
    assert.deepEqual([...positions], [...positions].sort((a, b) => a - b));
    assert.deepEqual([...positions].map((p) => reversed[p]).sort(), [ids.B, ids.D].sort());
    assert.deepEqual([...(await port.carriers({ build: 'GRCh38', target: { gene: 'BRCA1' }, sampleIds: [ids.A!], zygosity: ['hom_alt', 'hemizygous'] })).carrierPositions], [], 'only the allowed samples');
    // C alone, named twice: A and B (numbered before it) and D (after it) carry BRCA1 alleles too, and are never named
    assert.deepEqual([...(await port.carriers({ build: 'GRCh38', target: { gene: 'BRCA1' }, sampleIds: [ids.C!, ids.C!] })).carrierPositions], [0]);
    const onlyC = await port.aggregate({ build: 'GRCh38', target: { gene: 'BRCA1' }, sampleIds: [ids.C!, ids.C!] });
    assert.deepEqual(onlyC.variants.map((v) => [v.pos, [...v.carrierPositions], [...v.homAltPositions]]), [[B + 10, [0], []]]);
    const pathogenic = await port.aggregate({ build: 'GRCh38', target: { gene: 'BRCA1' }, sampleIds: everyone, significance: ['pathogenic'] });
    assert.deepEqual(pathogenic.variants.map((v) => [v.pos, v.zygosity]), [[B, { het: 1, homAlt: 1, hemizygous: 1, missing: 0 }]]);
    const one = await port.aggregate({ build: 'GRCh38', target: { variant: { chrom: 'chr17', pos: B + 10, ref: 'A', alt: 'G' } }, sampleIds: everyone });
    assert.deepEqual(one.variants.map((v) => [v.pos, v.carriers, v.samplesCovering]), [[B + 10, 2, 4]]);
    const absent = await port.aggregate({ build: 'GRCh38', target: { variant: { chrom: 'chr17', pos: B + 10, ref: 'A', alt: 'T' } }, sampleIds: everyone });
    assert.deepEqual([absent.variants, absent.samplesCovering], [[], 4]);
  });

  it('refuses a malformed request naming the field, never its value', async () => {
    const port = q.cohortIndex!;
    const bad = [
      { build: 'GRCh38', target: { gene: 'BRCA1' }, sampleIds: '<script>' },
      { build: 'GRCh38', target: { gene: '<script>' }, sampleIds: [] },
      { build: 'hg99', target: { gene: 'BRCA1' }, sampleIds: [] },
      { build: 'GRCh38', target: { region: { chrom: 'chr17', start: 10, end: 5 } }, sampleIds: [] },
      { build: 'GRCh38', target: { gene: 'NOT_A_GENE_SYMBOL_XYZ' }, sampleIds: [] },
      { build: 'GRCh38', target: { gene: 'BRCA1' }, sampleIds: [], significance: ['pathogenicish'] },
    ];
    for (const request of bad) {
      await assert.rejects(port.aggregate(request as never), (err: Error) => {
        assert.ok(err instanceof QueryInputError, err.message);
        assert.doesNotMatch(err.message, /script|hg99|XYZ|pathogenicish/);
        return true;
      });
    }
  });

  it('a tiny budget still answers a whole chromosome, evicting windows as the query moves on', async () => {
    const made = await ingestPopulation(join(dir.path, 'small'), Array.from({ length: 3 }, (_, b): RandomBatch => ({
      coverage: 'wgs', samples: 5, blocks: [],
      records: Array.from({ length: 25 }, (_, i) => ({ chrom: 'chr1', pos: 1 + i * 240 + b, ref: 'A', alts: ['C'], clnsig: null, gts: ['0/1', '1/1', '0/0', '0/1', '0/1'] })),
    })));
    const small = await Vault.open(made.dir, made.kek, { write: false });
    const tiny = await openQueries(small, { cacheBudgetMb: 1 });
    try {
      const samples = small.catalog.data.samples.map((s) => s.sampleId);
      const answer = await tiny.cohortIndex!.aggregate({ build: 'GRCh38', target: { region: { chrom: 'chr1', start: 1, end: 10_000 } }, sampleIds: samples });
      assert.equal(answer.variants.length, 75);
      const stats = tiny.cohortIndex!.engine.stats();
      assert.ok(stats.windowsLoaded >= 6, `${stats.windowsLoaded} windows read`);
      assert.ok(stats.cachedWindows < stats.windowsLoaded, `${stats.cachedWindows} of ${stats.windowsLoaded} windows kept`);
      // all but the window in use fit the cache's share of the budget (index-memory.test.ts)
      assert.ok(stats.cachedBytes - stats.cachedBytes / stats.cachedWindows <= 0.75 * 1024 * 1024, `${stats.cachedBytes} bytes kept`);
    } finally {
      await tiny.close();
      await small.close();
    }
  });
});
