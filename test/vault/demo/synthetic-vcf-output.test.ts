// How a generated VCF is written: deterministic bytes, the other build, subsets, gzip and BGZF
// that bcftools reads, streaming in bounded memory, and refusals that leave no file behind.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gunzipSync } from 'node:zlib';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { SyntheticDataError, writeSyntheticVcf, type SyntheticVcfOptions } from '../../../vault/demo/synthetic/index.ts';
import { scanVcf } from './scan-vcf.ts';

const SAMPLES = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'];
const small: SyntheticVcfOptions = { samples: SAMPLES, seed: 5, variantsPerSample: 800 };
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const hasBcftools = spawnSync('bcftools', ['--version'], { stdio: 'ignore' }).status === 0;

describe('writeSyntheticVcf: output', function () {
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  beforeEach(async () => {
    temp = await makeTempDir();
  });
  afterEach(() => temp.remove());

  async function generate(name: string, options: SyntheticVcfOptions): Promise<Buffer> {
    const path = join(temp.path, name);
    await writeSyntheticVcf(path, options);
    return readFile(path);
  }

  it('writes the same bytes for the same seed and different bytes for another seed', async function () {
    const a = await generate('a.vcf', small);
    const b = await generate('b.vcf', small);
    const c = await generate('c.vcf', { ...small, seed: 6 });
    assert.equal(sha256(a), sha256(b));
    assert.notEqual(sha256(a), sha256(c));
  });

  it('writes GRCh37 with b37 contig names and lengths, and its own gene coordinates', async function () {
    const vcf = scanVcf((await generate('b37.vcf', { ...small, build: 'GRCh37' })).toString('latin1'));
    assert.ok(vcf.meta.includes('##reference=GRCh37'));
    assert.equal(vcf.contigs.get('1'), 249250621);
    assert.equal(vcf.contigs.get('17'), 81195210);
    assert.ok(vcf.records.every((r) => !r.chrom.startsWith('chr')));
    const brca1 = vcf.records.filter((r) => r.info.get('GENEINFO') === 'BRCA1:672');
    assert.ok(brca1.length > 0);
    for (const r of brca1) assert.ok(r.chrom === '17' && r.pos >= 41196312 && r.pos <= 41277500, `BRCA1 at GRCh37 17:${r.pos}`);
  });

  it('keeps to the chromosomes asked for (either naming) and leaves annotations out on request', async function () {
    const vcf = scanVcf((await generate('sub.vcf', { ...small, chromosomes: ['17', 'chr13'], annotate: false })).toString('latin1'));
    assert.deepEqual([...new Set(vcf.records.map((r) => r.chrom))], ['chr13', 'chr17']);
    assert.ok(vcf.records.every((r) => !r.info.has('GENEINFO') && !r.info.has('CLNSIG')));
    assert.ok(!vcf.meta.some((m) => m.includes('ID=CLNSIG')));
  });

  it('writes gzip and BGZF that decompress to exactly the plain text', async function () {
    const plain = await generate('p.vcf', small);
    assert.ok(plain.equals(gunzipSync(await generate('g.vcf.gz', { ...small, gzip: true }))));
    assert.ok(plain.equals(gunzipSync(await generate('b.vcf.gz', { ...small, gzip: 'bgzf' }))));
    assert.ok(plain.equals(gunzipSync(await generate('b1.vcf.gz', { ...small, gzip: 'bgzf', compressionLevel: 1 }))));
  });

  it('is read by bcftools, which counts the same records (skipped when bcftools is not installed)', async function () {
    if (!hasBcftools) {
      console.log('      note: bcftools not installed; BGZF was checked structurally only');
      this.skip();
    }
    const path = join(temp.path, 'cohort.vcf.gz');
    const report = await writeSyntheticVcf(path, { ...small, gzip: 'bgzf' });
    const body = execFileSync('bcftools', ['view', '-H', path], { maxBuffer: 1 << 28 }).toString('latin1');
    assert.equal(body.split('\n').filter((l) => l.length > 0).length, report.records);
    // BGZF is what makes it indexable: tabix builds an index and answers a region
    execFileSync('bcftools', ['index', '--tbi', path]);
    assert.ok(existsSync(`${path}.tbi`));
    const brca1 = execFileSync('bcftools', ['view', '-H', '-r', 'chr17:43044295-43125483', path]).toString('latin1');
    assert.match(brca1, /GENEINFO=BRCA1:672/);
  });

  it('streams: live memory stays a few chunks while a file many times that size is written', async function () {
    this.timeout(120_000);
    // a forced collection before each sample measures what is alive, not garbage awaiting collection
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const samples = Array.from({ length: 150 }, (_, i) => `P${i}`);
    gc();
    const base = process.memoryUsage();
    let peak = 0;
    const timer = setInterval(() => {
      gc();
      const m = process.memoryUsage();
      peak = Math.max(peak, m.heapUsed + m.arrayBuffers - base.heapUsed - base.arrayBuffers);
    }, 20);
    const report = await writeSyntheticVcf(join(temp.path, 'big.vcf'), { samples, seed: 1, variantsPerSample: 12_000 });
    clearInterval(timer);
    assert.ok(report.bytes > 60e6, `wrote ${report.bytes} bytes`);
    assert.ok(peak < 24e6, `live memory grew by ${(peak / 1e6).toFixed(1)} MB while writing ${(report.bytes / 1e6).toFixed(1)} MB`);
    assert.ok(report.megabytesPerSecond > 0);
  });

  it('refuses bad options with a typed error naming the option, and writes no file', async function () {
    const cases: [Partial<SyntheticVcfOptions>, string][] = [
      [{ samples: [] }, 'samples'],
      [{ samples: ['A', 'A'] }, 'samples[1]'],
      [{ samples: ['A', 'has space'] }, 'samples[1]'],
      [{ variantsPerSample: 0 }, 'variantsPerSample'],
      [{ variantsPerSample: 2.5 }, 'variantsPerSample'],
      [{ chromosomes: ['chr23'] }, 'chromosomes[0]'],
      [{ chromosomes: [] }, 'chromosomes'],
      [{ seed: 1.5 }, 'seed'],
      [{ build: 'hg19' as 'GRCh37' }, 'build'],
      [{ gzip: 'zip' as 'bgzf' }, 'gzip'],
      [{ sexes: { S1: 'unknown' as 'male' } }, 'sexes[samples[0]]'],
      [{ gzip: 'bgzf', compressionLevel: 12 }, 'compressionLevel'],
    ];
    for (const [bad, option] of cases) {
      const path = join(temp.path, 'refused.vcf');
      await assert.rejects(writeSyntheticVcf(path, { ...small, ...bad }), (err) => err instanceof SyntheticDataError && err.option === option, `refuses ${option}`);
      assert.equal(existsSync(path), false, `no file after refusing ${option}`);
    }
  });
});
