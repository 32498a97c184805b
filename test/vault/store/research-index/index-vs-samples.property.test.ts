// The research index gives the answers the per-sample partitions give, for every generated
// population (several ingests of whole genomes, exomes with a targets BED and gVCFs; merged
// windows; deletions reaching across windows), region, allele and allowed set of samples: the
// operator's carriers and allele counts, and the gateway's aggregate (with who did not cover each
// allele), count and records built from them.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { makeTempDir } from '../../../helpers/temp-dir.ts';
import { Vault } from '../../../../vault/store/vault.ts';
import { openQueries } from '../../../../vault/store/patient-queries.ts';
import { CHROMS, SPAN, ingestPopulation, population, type RandomBatch } from './helpers/random-population.ts';
import { compare, compareNotCovering } from './helpers/compare-answers.ts';

const region = fc.record({ chrom: fc.constantFrom(...CHROMS), start: fc.integer({ min: 1, max: SPAN + 200 }), length: fc.integer({ min: 0, max: 3_000 }) });
const allowedBits = fc.option(fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }), { nil: undefined });
const queries = fc.array(fc.record({ region, allowed: allowedBits }), { minLength: 1, maxLength: 4 });

/** Five files with calls in one window (FANOUT 4: a merge), one an exome whose targets miss the calls. */
const fixedCase: [RandomBatch[], { region: { chrom: 'chr1'; start: number; length: number }; allowed: undefined }[]] = [
  [0, 1, 2, 3, 4].map((n): RandomBatch => ({
    coverage: n === 4 ? 'targets' : 'wgs', samples: 2, blocks: n === 4 ? [{ chrom: 'chr1', start: 2_000, end: 2_500 }] : [],
    records: [{ chrom: 'chr1', pos: 100 + n, ref: 'A', alts: ['C'], clnsig: null, gts: ['0/1', '1/1'] }, { chrom: 'chr1', pos: 2_100, ref: 'G', alts: ['T'], clnsig: null, gts: ['0/1', '0/0'] }],
  })),
  [{ region: { chrom: 'chr1', start: 1, length: 1_000 }, allowed: undefined }],
];

describe('research index: the same answers as the per-sample partitions', function () {
  this.timeout(900_000);

  it('for generated populations, regions, alleles and allowed sets (fast-check)', async () => {
    let merged = 0;
    let uncovered = 0;
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
          for (const { region: r, allowed } of qs) {
            await compare(q, samples, r, allowed);
            uncovered += await compareNotCovering(vault, q, samples, r, allowed);
          }
        } finally {
          await q.close();
          await vault.close();
        }
      } finally {
        await dir.remove();
      }
    }), { numRuns: 30, examples: [fixedCase] });
    // windows holding several segments (merges pending) were among the cases, and samples not covering an allele (the fixed case has both)
    assert.ok(merged > 0);
    assert.ok(uncovered > 0, 'some allele had samples not covering it');
  });
});
