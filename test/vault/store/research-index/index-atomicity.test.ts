// The research index changes with its ingest or not at all: an ingest that fails after windows were
// written leaves the index (and the whole directory) as it was; a crash after windows were written
// but before the manifest commit leaves the old index readable (the new files are referenced by
// nothing) and the next writer removes them.
import { strict as assert } from 'node:assert';
import { readdirSync, watch } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '../../../helpers/temp-dir.ts';
import { hashTree } from '../../../helpers/hash-tree.ts';
import { Vault } from '../../../../vault/store/vault.ts';
import { ingestVcf } from '../../../../vault/ingest/ingest-vcf.ts';
import { openQueries } from '../../../../vault/store/patient-queries.ts';
import { IndexChange } from '../../../../vault/store/research-index/index-change.ts';
import { IngestIndex } from '../../../../vault/store/research-index/ingest-index.ts';
import { AlleleTableBuilder } from '../../../../vault/ingest/allele-table-builder.ts';
import { ingestPopulation, vcfText, type RandomBatch } from './helpers/random-population.ts';

const indexFiles = (dataDir: string): string[] => (readdirSync(join(dataDir, 'index'), { recursive: true }) as string[]).filter((f) => f.endsWith('.gvk')).sort();

const batch = (shift: number): RandomBatch => ({
  coverage: 'wgs', samples: 3, blocks: [],
  records: [10, 1200, 2500, 4100].map((pos) => ({ chrom: 'chr1', pos: pos + shift, ref: 'A', alts: ['G'], clnsig: null, gts: ['0/1', '1/1', '0/0'] })),
});

describe('research index: all or nothing', function () {
  this.timeout(120_000);
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  beforeEach(async () => (dir = await makeTempDir()));
  afterEach(() => dir.remove());

  it('an ingest that fails after its windows were written leaves the index and the directory as they were', async () => {
    const made = await ingestPopulation(dir.path, [batch(0)]);
    const vault = await Vault.open(made.dir, made.kek, { write: true });
    const indexBefore = structuredClone(vault.catalog.data.index);
    // the commit fails at its last step: a folder where the next catalog version's file must go
    const current = readdirSync(join(made.dir, 'catalog')).map((f) => Number(/^catalog\.v(\d+)\.gvs$/.exec(f)?.[1] ?? 0));
    await mkdir(join(made.dir, 'catalog', `catalog.v${Math.max(...current) + 1}.gvs`));
    const before = await hashTree(made.dir);
    const file = join(dir.path, 'second.vcf');
    await writeFile(file, vcfText({ ...batch(7), records: [...batch(7).records, { chrom: 'chr2', pos: 50, ref: 'A', alts: ['T'], clnsig: null, gts: ['0/1', '0/0', '1/1'] }] }, ['X0', 'X1', 'X2']));
    // the new key's folder appearing under index/ shows the windows were written before the failure
    const created: string[] = [];
    const watcher = watch(join(made.dir, 'index'), (_event, name) => void (name && created.push(name)));
    try {
      await assert.rejects(ingestVcf(vault, file, { map: new Map([['X0', 'L-0'], ['X1', 'L-1'], ['X2', 'L-2']]), workers: 0, build: 'GRCh38' }));
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      watcher.close();
    }
    assert.ok(created.some((name) => !indexBefore!.segments.some((s) => s.keyId === name)), 'the ingest wrote index windows before it failed');
    assert.deepEqual(vault.catalog.data.index, indexBefore);
    assert.deepEqual(await hashTree(made.dir), before);
    await vault.close();
  });

  it('a write that fails inside the index aborts the ingest and leaves nothing behind', async () => {
    const made = await ingestPopulation(dir.path, []);
    // a file where the index folder belongs: the first index write fails, whatever the user's rights
    await writeFile(join(made.dir, 'index'), '');
    const vault = await Vault.open(made.dir, made.kek, { write: true });
    const before = await hashTree(made.dir);
    const file = join(dir.path, 'ok.vcf');
    await writeFile(file, vcfText(batch(3), ['X0', 'X1', 'X2']));
    await assert.rejects(ingestVcf(vault, file, { map: new Map([['X0', 'W-0'], ['X1', 'W-1'], ['X2', 'W-2']]), workers: 0, build: 'GRCh38' }), /ENOTDIR|EEXIST|not a directory/);
    assert.deepEqual(await hashTree(made.dir), before);
    assert.deepEqual(vault.catalog.data.samples, []);
    await vault.close();
  });

  it('a crash between writing windows and the commit leaves the old index readable; the next writer removes the new files', async () => {
    const made = await ingestPopulation(dir.path, [batch(0), batch(5)]);
    const reader = await Vault.open(made.dir, made.kek, { write: false });
    const queries = await openQueries(reader, { cacheBudgetMb: 64 });
    const answer = await queries.alleleCounts('chr1:1-5000', { build: 'GRCh38' });
    await queries.close();
    await reader.close();
    const committed = await hashTree(made.dir);
    const filesBefore = indexFiles(made.dir);

    // an ingest's index work, written and fsynced, then the process dies before Vault.commit
    const vault = await Vault.open(made.dir, made.kek, { write: true });
    const change = vault.beginChange();
    const ids = [change.addSample({ patientId: change.patientIdFor('CRASH-1'), name: 'C', build: 'GRCh38', fileformat: 'VCFv4.2', ingestedAt: 'now', sourceSha256: '', coverage: { source: 'assumed_wgs', partitionId: null, intervals: 0 } })];
    const ingest = new IngestIndex(IndexChange.forAddition(change, vault)!, 'GRCh38', ids);
    const table = new AlleleTableBuilder('chr1');
    const sites = { pos: [10, 3000], qual: [NaN, NaN], id: [null, null], ref: ['A', 'A'], alts: [['G'], ['G']], filter: [null, null], gene: [null, null], consequence: [null, null], clnsig: [null, null], chrom: ['chr1', 'chr1'], hgvsC: [null, null], hgvsP: [null, null] };
    table.add(sites as never, 0, 1);
    table.add(sites as never, 1, 1);
    await ingest.chromosome(table.finish(['0/1']), { sample: Int32Array.of(0, 0), allele: Int32Array.of(0, 1), zygosity: Uint8Array.of(1, 1), gt: Int32Array.of(0, 0) })();
    await ingest.finish();
    assert.ok(indexFiles(made.dir).length > filesBefore.length, 'the new windows are on disk');
    await vault.close(); // the crash: no commit, no abort
    // a crashed process's marker names a pid no longer running, which clean-up ignores (vault-sharing.test.ts)
    await rm(join(made.dir, '.changes'), { recursive: true, force: true });

    const after = await Vault.open(made.dir, made.kek, { write: false });
    const again = await openQueries(after, { cacheBudgetMb: 64 });
    assert.deepEqual(await again.alleleCounts('chr1:1-5000', { build: 'GRCh38' }), answer);
    await again.close();
    await after.close();
    // the next writer finds the new files referenced by nothing and removes them
    await (await Vault.open(made.dir, made.kek, { write: true })).close();
    assert.deepEqual(indexFiles(made.dir), filesBefore);
    assert.deepEqual(await hashTree(made.dir), committed);
  });
});
