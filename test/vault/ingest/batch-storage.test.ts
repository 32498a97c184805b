// Ingest stores a VCF as allele tables (one per chromosome, per file) plus per-sample calls, in one
// pack file per chromosome. These tests hold the stored form to the reader's own view of the file:
// every sample and chromosome must decode to exactly the calls readVcf gives, across chunk
// boundaries and worker threads, and nothing of a sample that was not ingested may be stored.
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { appendFile, readdir, readFile, writeFile, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { Vault } from '../../../vault/store/vault.ts';
import { newMasterKey, type MasterKey } from '../../../vault/crypto/master-key.ts';
import { IngestInputError, ingestVcf, type IngestOptions } from '../../../vault/ingest/ingest-vcf.ts';
import { readVcf } from '../../../vault/ingest/vcf/read-vcf.ts';
import { codePartition, type CodedPartition } from '../../../vault/store/partition-codec.ts';
import { decodeCalls } from '../../../vault/store/calls-codec.ts';
import { isRemovedAllele } from '../../../vault/store/allele-table-codec.ts';
import { writeSyntheticVcf } from '../../../vault/demo/synthetic/index.ts';
import type { CallBatch } from '../../../vault/ingest/call-columns.ts';
import { prepareReplacement, eraseSample } from '../../../vault/store/key-operations.ts';
import { SealedObjectError } from '../../../vault/crypto/sealed-object.ts';
import { openQueries } from '../../../vault/store/patient-queries.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { hashTree } from '../../helpers/hash-tree.ts';
import { VcfFormatError } from '../../../vault/ingest/vcf/vcf-format-error.ts';

const SAMPLES = ['S01', 'S02', 'S03', 'S04', 'S05', 'S06'];

async function newVault(dir: string): Promise<{ vault: Vault; kek: MasterKey }> {
  const kek = newMasterKey('test');
  await (await Vault.init(dir, kek)).close();
  return { vault: await Vault.open(dir, kek, { write: true }), kek };
}

function rowsOf(p: CodedPartition): string[] {
  const text = (name: keyof CodedPartition['text'], i: number): string | null => {
    const code = p.text[name].codes[i]!;
    return code < 0 ? null : p.text[name].values[code]!;
  };
  return Array.from({ length: p.rows }, (_, i) => JSON.stringify([
    p.pos[i], p.altIndex[i], p.zygosity[i], p.phased[i], p.dp[i], p.gq[i], Number.isNaN(p.qual[i]) ? 'NaN' : p.qual[i],
    text('id', i), text('ref', i), text('alt', i), text('filter', i), text('gt', i), text('gene', i), text('consequence', i), text('clnsig', i),
  ]));
}

async function assertStoredAsRead(vault: Vault, file: string, names: readonly string[]): Promise<number> {
  const parsed = await readVcf(file, { workers: 0 });
  let compared = 0;
  for (const name of names) {
    const sample = vault.catalog.data.samples.find((s) => s.name === name);
    assert.ok(sample, `${name} is stored`);
    const refs = vault.catalog.callPartitions(new Set([sample.sampleId]));
    const batches = parsed.samples.find((s) => s.name === name)!.batches.filter((b: CallBatch) => b.rows > 0);
    assert.deepEqual(refs.map((r) => r.chrom).sort(), batches.map((b) => b.chrom).sort(), `${name}: one partition per chromosome with calls`);
    for (const batch of batches) {
      const ref = refs.find((r) => r.chrom === batch.chrom)!;
      assert.equal(ref.rows, batch.rows);
      assert.deepEqual(rowsOf(await vault.readPartition(ref)), rowsOf(codePartition(batch)), `${name} ${batch.chrom}`);
      compared++;
    }
  }
  return compared;
}

describe('ingest: allele tables, per-sample calls and pack files', function () {
  this.timeout(120_000);
  let dir: { path: string; remove: () => Promise<void> };
  let vcf: string;
  before(async () => {
    dir = await makeTempDir();
    vcf = join(dir.path, 'cohort.vcf.gz');
    await writeSyntheticVcf(vcf, { samples: SAMPLES, seed: 7, variantsPerSample: 1500, gzip: 'bgzf', chromosomes: ['chr1', 'chr2', 'chr17', 'chrX'] });
  });
  after(() => dir.remove());

  for (const [label, options] of [
    ['on the main thread, many small chunks', { workers: 0, chunkBytes: 16 * 1024 }],
    ['on two worker threads, chunks cut mid-chromosome', { workers: 2, chunkBytes: 40 * 1024 }],
  ] as const) {
    it(`stores every sample exactly as the reader reads it (${label})`, async () => {
      const { vault } = await newVault(join(dir.path, `v-${options.workers}`));
      const map = new Map(SAMPLES.map((s, i) => [s, `MRN00000${i + 10}`]));
      const report = await ingestVcf(vault, vcf, { map, ...options } satisfies IngestOptions);
      assert.equal(await assertStoredAsRead(vault, vcf, SAMPLES), SAMPLES.length * 4);
      assert.deepEqual(report.samples.map((s) => s.partitions), SAMPLES.map(() => 4));
      // one pack per chromosome and one for coverage: a handful of files, not one per sample and chromosome
      const packs = await readdir(join(vault.dataDir, 'packs'), { recursive: true });
      assert.equal(packs.filter((f) => f.endsWith('.gvk')).length, 5);
      await vault.close();
    });
  }

  it('stores nothing of a sample that was not chosen: every stored allele is carried by the chosen one', async () => {
    const { vault } = await newVault(join(dir.path, 'one'));
    await ingestVcf(vault, vcf, { patient: 'MRN0000099', sample: 'S03', workers: 0, chunkBytes: 32 * 1024 });
    await assertStoredAsRead(vault, vcf, ['S03']);
    const parsed = await readVcf(vcf, { workers: 0 });
    const catalog = vault.catalog;
    for (const table of catalog.data.partitions.filter((p) => p.kind === 'alleles')) {
      const decoded = await vault.alleleTable(table.partitionId);
      const used = new Uint8Array(decoded.rows);
      for (const calls of catalog.callsUsing(table.partitionId)) for (const row of decodeCalls(await vault.read(calls)).allele) used[row] = 1;
      for (let row = 0; row < decoded.rows; row++) {
        assert.ok(used[row] === 1 && !isRemovedAllele(decoded, row), `${table.chrom} allele row ${row} is carried by the stored sample`);
      }
      const ownGenotypes = new Set(parsed.samples.find((x) => x.name === 'S03')!.batches.flatMap((b) => b.gt));
      assert.deepEqual(decoded.genotypes.filter((g) => !ownGenotypes.has(g)), [], 'only genotypes the stored sample has are kept');
    }
    await vault.close();
  });

  it('erasing one sample of a file blanks the alleles only it carried, re-keys the batch, and leaves the others as read', async () => {
    const { vault } = await newVault(join(dir.path, 'erase'));
    const map = new Map(SAMPLES.map((s, i) => [s, `MRN00000${i + 10}`]));
    await ingestVcf(vault, vcf, { map, workers: 0 });
    const parsed = await readVcf(vcf, { workers: 0 });
    const alleleKey = (b: CallBatch, i: number) => `${b.chrom}:${b.pos[i]}:${b.ref[i]}:${b.alt[i]}`;
    const carriers = new Map<string, Set<string>>();
    for (const sample of parsed.samples) for (const b of sample.batches) for (let i = 0; i < b.rows; i++) {
      const key = alleleKey(b, i);
      carriers.set(key, (carriers.get(key) ?? new Set()).add(sample.name));
    }
    const privateToS02 = [...carriers].filter(([, who]) => who.size === 1 && who.has('S02')).map(([key]) => key);
    assert.ok(privateToS02.length > 50, 'the fixture gives S02 alleles of its own');
    const storedAlleles = async (): Promise<Set<string>> => {
      const keys = new Set<string>();
      for (const entry of vault.catalog.data.partitions.filter((p) => p.kind === 'alleles')) {
        const t = await vault.alleleTable(entry.partitionId);
        for (let row = 0; row < t.rows; row++) {
          if (isRemovedAllele(t, row)) continue;
          const text = (name: 'ref' | 'alt') => t.text[name].values[t.text[name].codes[row]!];
          keys.add(`${t.chrom}:${t.pos[row]}:${text('ref')}:${text('alt')}`);
        }
      }
      return keys;
    };
    const before = await storedAlleles();
    assert.ok(privateToS02.every((k) => before.has(k)));
    const s02 = vault.catalog.data.samples.find((s) => s.name === 'S02')!.sampleId;
    const batchId = vault.catalog.data.partitions.find((p) => p.kind === 'alleles')!.sampleId;
    const oldBatchKey = vault.keyOf(batchId).toString('base64');

    await eraseSample(vault, s02, await prepareReplacement({ currentKeyFile: null, explicit: newMasterKey('next') }));

    const after = await storedAlleles();
    assert.deepEqual(privateToS02.filter((k) => after.has(k)), [], 'no allele only S02 carried is left');
    const othersGenotypes = new Set(parsed.samples.filter((x) => x.name !== 'S02').flatMap((x) => x.batches.flatMap((b) => b.gt)));
    for (const entry of vault.catalog.data.partitions.filter((p) => p.kind === 'alleles')) {
      const kept = (await vault.alleleTable(entry.partitionId)).genotypes.filter((g) => g !== '');
      assert.deepEqual(kept.filter((g) => !othersGenotypes.has(g)), [], 'no genotype string only S02 had is left');
    }
    assert.equal(after.size, before.size - privateToS02.length, 'every allele another sample carries is kept');
    assert.notEqual(vault.keyOf(batchId).toString('base64'), oldBatchKey, 'the allele tables are sealed under a new batch key');
    assert.equal(vault.catalog.data.partitions.some((p) => p.sampleId === s02), false);
    await assertStoredAsRead(vault, vcf, SAMPLES.filter((s) => s !== 'S02'));
    const referenced = new Set(vault.catalog.data.partitions.map((p) => p.file));
    const onDisk = (await readdir(join(vault.dataDir, 'packs'), { recursive: true })).filter((f) => f.endsWith('.gvk')).map((f) => join('packs', f));
    assert.deepEqual(onDisk.sort(), [...referenced].filter((f) => f.startsWith('packs/')).sort(), 'the old pack files are gone');

    for (const name of SAMPLES.filter((s) => s !== 'S02')) {
      const sampleId = vault.catalog.data.samples.find((s) => s.name === name)!.sampleId;
      await eraseSample(vault, sampleId, await prepareReplacement({ currentKeyFile: null, explicit: newMasterKey('next') }));
    }
    assert.deepEqual(vault.catalog.data.partitions, []);
    assert.throws(() => vault.keyOf(batchId), /no data key/);
    assert.deepEqual((await readdir(join(vault.dataDir, 'packs'), { recursive: true })).filter((f) => f.endsWith('.gvk')), []);
    await vault.close();
  });

  it('detects an edited, truncated or reordered pack file and names it', async () => {
    const { vault, kek } = await newVault(join(dir.path, 'tamper'));
    await ingestVcf(vault, vcf, { map: new Map(SAMPLES.map((s, i) => [s, `MRN00000${i + 10}`])), workers: 0 });
    const calls = vault.catalog.callPartitions().filter((p) => p.chrom === 'chr17');
    const [first, second] = [calls[0]!, calls[1]!];
    assert.equal(first.file, second.file, 'one pack holds the chromosome');
    await vault.close();
    const path = join(vault.dataDir, first.file);
    const original = await readFile(path);
    const v = await Vault.open(vault.dataDir, kek, { write: false });
    const refused = (failure: string) => (e: Error) => e instanceof SealedObjectError && e.failure === failure && e.message.includes(first.file);

    const edited = Buffer.from(original);
    edited[first.offset! + first.length! - 3]! ^= 0x40;
    await writeFile(path, edited);
    await assert.rejects(v.readPartition(first), refused('tampered'));
    await v.readPartition(second); // a neighbour's segment is still whole

    await writeFile(path, original);
    await truncate(path, first.offset! + first.length! - 10);
    await assert.rejects(v.readPartition(first), refused('truncated'));

    // the other sample's segment moved into this one's place
    const swapped = Buffer.concat([original.subarray(0, first.offset), original.subarray(second.offset, second.offset! + second.length!), original.subarray(first.offset! + first.length!)]);
    await writeFile(path, swapped);
    await assert.rejects(v.readPartition(first), (e: Error) => e instanceof SealedObjectError && e.message.includes(first.file));

    await writeFile(path, original);
    assert.equal((await v.readPartition(first)).rows, first.rows);
    await v.close();
  });

  it('a bad line after whole chromosomes were sealed leaves the vault byte-for-byte as it was', async () => {
    const { vault } = await newVault(join(dir.path, 'late-error'));
    await ingestVcf(vault, vcf, { patient: 'MRN0000042', sample: 'S01', workers: 0 });
    const plain = join(dir.path, 'late-error.vcf');
    await writeSyntheticVcf(plain, { samples: SAMPLES, seed: 8, variantsPerSample: 1500, gzip: false, chromosomes: ['chr1', 'chr2', 'chr17', 'chrX'] });
    const lines = (await readFile(plain, 'utf8')).split('\n').length;
    await appendFile(plain, 'chrX\t155000000\t.\tA\tG\tnot-a-number\tPASS\t.\tGT\t0/1\t0/0\t0/0\t0/0\t0/0\t0/0\n');
    const before = await hashTree(vault.dataDir);
    const map = new Map(SAMPLES.map((s, i) => [s, `MRN00001${i + 10}`]));
    const packsNow = () => (readdirSync(join(vault.dataDir, 'packs'), { recursive: true }) as string[]).filter((f) => f.endsWith('.gvk')).length;
    const packsBefore = packsNow();
    let packsSeen = 0;
    const countPacks = () => void (packsSeen = Math.max(packsSeen, packsNow()));
    await assert.rejects(
      ingestVcf(vault, plain, { map, workers: 0, chunkBytes: 16 * 1024, onProgress: countPacks }),
      (e: Error) => e instanceof VcfFormatError && e.line === lines && /QUAL/.test(e.message),
    );
    // chr1 and chr2 are on disk by the time chrX is parsed (chr17's pack may still be in flight)
    assert.ok(packsSeen >= packsBefore + 2, `sealed chromosome packs were written before the bad line (${packsSeen} seen, ${packsBefore} before)`);
    assert.deepEqual(await hashTree(vault.dataDir), before);
    await vault.close();
  });

  it('a bad line just after a chromosome ends, while its pack is still being written, leaves nothing behind', async () => {
    const plain = join(dir.path, 'race-src.vcf');
    await writeSyntheticVcf(plain, { samples: SAMPLES, seed: 9, variantsPerSample: 1500, gzip: false, chromosomes: ['chr1', 'chr2'] });
    const lines = (await readFile(plain, 'utf8')).split('\n').filter((l) => l.length > 0);
    const chr2 = lines.filter((l) => l.startsWith('chr2\t'));
    // chr1 whole, then about one chunk of chr2, then a bad QUAL: the error arrives while chr1's pack is in flight
    const tail: string[] = [];
    for (let bytes = 0, i = 0; bytes < 20_000 && i < chr2.length; i++) {
      tail.push(chr2[i]!);
      bytes += chr2[i]!.length + 1;
    }
    const bad = tail[tail.length - 1]!.split('\t');
    bad[1] = String(Number(bad[1]) + 1);
    bad[5] = 'not-a-number';
    const vcfPath = join(dir.path, 'race.vcf');
    await writeFile(vcfPath, [...lines.filter((l) => l.startsWith('#') || l.startsWith('chr1\t')), ...tail, bad.join('\t')].join('\n') + '\n');
    const map = new Map(SAMPLES.map((s, i) => [s, `MRN00002${i + 10}`]));
    // workers=2 also encodes on the encode worker, so the abort can meet an encoding in flight
    for (const [run, workers] of [0, 0, 0, 2, 2, 2].entries()) {
      const { vault } = await newVault(join(dir.path, `race-${run}`));
      const before = await hashTree(vault.dataDir);
      await assert.rejects(ingestVcf(vault, vcfPath, { map, workers, chunkBytes: 16 * 1024 }), VcfFormatError);
      await new Promise((resolve) => setTimeout(resolve, 200)); // a write that outlived the abort would land by now
      assert.deepEqual(await hashTree(vault.dataDir), before, `run ${run} (workers=${workers})`);
      await vault.close();
    }
  });

  it('a failure to write the vault is reported as what it is, not as a bad VCF, and leaves nothing behind', async () => {
    const { vault } = await newVault(join(dir.path, 'write-failure'));
    // a file where the packs folder belongs: creating a pack fails, whatever the user's rights
    await writeFile(join(vault.dataDir, 'packs'), '');
    const before = await hashTree(vault.dataDir);
    for (const workers of [0, 2]) {
      await assert.rejects(ingestVcf(vault, vcf, { patient: 'MRN0000043', sample: 'S01', workers }), (e: Error) => {
        assert.ok(!(e instanceof IngestInputError) && !(e instanceof VcfFormatError), `workers=${workers}: ${e.name}: ${e.message}`);
        assert.doesNotMatch(e.message, /not a readable VCF/);
        return true;
      });
      assert.deepEqual(await hashTree(vault.dataDir), before);
    }
    await vault.close();
  });

  it('a chromosome that comes back later in the file (accepted with a warning) gets a second partition, and queries see both', async () => {
    const file = join(dir.path, 'noncontiguous.vcf');
    await writeFile(file, ['##fileformat=VCFv4.2', '##contig=<ID=chr1>', '##contig=<ID=chr2>', '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
      '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1',
      'chr1\t100\t.\tA\tG\t50\tPASS\t.\tGT\t0/1', 'chr2\t100\t.\tA\tG\t50\tPASS\t.\tGT\t1/1', 'chr1\t200\t.\tC\tT\t50\tPASS\t.\tGT\t0/1', ''].join('\n'));
    const { vault } = await newVault(join(dir.path, 'noncontiguous'));
    const report = await ingestVcf(vault, file, { patient: 'MRN0000077', build: 'GRCh38' });
    assert.equal(report.samples[0]?.partitions, 3);
    const queries = await openQueries(vault, { cacheBudgetMb: 64 });
    const patientId = report.samples[0].patientId;
    assert.deepEqual((await queries.variantsOfPatient(patientId, {})).variants.map((v) => `${v.chrom}:${v.pos}`), ['chr1:100', 'chr1:200', 'chr2:100']);
    assert.deepEqual((await queries.variantsOfPatient(patientId, { region: 'chr1:1-1000' })).variants.map((v) => `${v.chrom}:${v.pos}`), ['chr1:100', 'chr1:200']);
    await queries.close();
    await vault.close();
  });
});
