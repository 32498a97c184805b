// Property tests: for generated small VCFs (random genotypes: multi-allelic, phased, haploid, polyploid,
// missing) the rows per sample equal the alternate alleles carried, zygosity follows the rule, and plain,
// gzip and BGZF encodings of the same text give identical output. Plus worker/single-thread parity.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { readVcf, VcfFormatError } from '../../../../vault/ingest/vcf/read-vcf.ts';
import { Zygosity, type ParsedVcf } from '../../../../vault/ingest/call-columns.ts';
import { bgzf, largeVcfText } from './synthetic-vcf.ts';
import { carriedAlleles, scanVcf } from './vcf-scan.ts';

const BASES = ['A', 'C', 'G', 'T'];

const genotype = (altCount: number): fc.Arbitrary<string> =>
  fc
    .record({
      alleles: fc.array(fc.oneof(fc.constant('.'), fc.integer({ min: 0, max: altCount }).map(String)), { minLength: 1, maxLength: 3 }),
      phased: fc.boolean(),
    })
    .map(({ alleles, phased }) => alleles.join(phased ? '|' : '/'));

const record = fc.integer({ min: 1, max: 3 }).chain((altCount) =>
  fc.record({
    ref: fc.constantFrom(...BASES),
    altCount: fc.constant(altCount),
    chromX: fc.boolean(),
    gts: fc.array(genotype(altCount), { minLength: 3, maxLength: 3 }),
    dp: fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }),
  }),
);

const vcfText = fc.record({ samples: fc.integer({ min: 1, max: 3 }), records: fc.array(record, { minLength: 1, maxLength: 25 }) }).map(({ samples, records }) => {
  const names = Array.from({ length: samples }, (_, i) => `S${i + 1}`);
  const header = ['##fileformat=VCFv4.2', '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">', '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">'];
  header.push(['#CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO', 'FORMAT', ...names].join('\t'));
  const sorted = [...records].sort((a, b) => Number(a.chromX) - Number(b.chromX));
  const lines = sorted.map((r, i) => {
    const alts = BASES.filter((b) => b !== r.ref).slice(0, r.altCount);
    const cells = r.gts.slice(0, samples).map((gt) => (r.dp === undefined ? gt : `${gt}:${r.dp}`));
    return [r.chromX ? 'X' : '1', String(100 + i * 10), '.', r.ref, alts.join(','), '50', 'PASS', '.', r.dp === undefined ? 'GT' : 'GT:DP', ...cells].join('\t');
  });
  return `${header.join('\n')}\n${lines.join('\n')}\n`;
});

/** Reference zygosity: haploid → hemizygous; beside a missing allele → missing; all this allele → homAlt; else het. */
function expectedZygosity(gt: string, allele: number): number {
  const alleles = gt.split(/[/|]/);
  if (alleles.length === 1) return Zygosity.hemizygous;
  if (alleles.includes('.')) return Zygosity.missing;
  return alleles.every((a) => a === String(allele)) ? Zygosity.homAlt : Zygosity.het;
}

function withoutBytes(parsed: ParsedVcf): Omit<ParsedVcf, 'bytesRead'> {
  const { bytesRead: _ignored, ...rest } = parsed;
  return rest;
}

describe('readVcf properties', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'genovault-vcf-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stores one row per alternate allele carried, with the zygosity of the rule (property)', async () => {
    await fc.assert(
      fc.asyncProperty(vcfText, async (text) => {
        const path = join(dir, 'gen.vcf');
        writeFileSync(path, text);
        const parsed = await readVcf(path, { workers: 0 });
        const scan = scanVcf(path);
        scan.samples.forEach((_, s) => {
          const expected = scan.records.flatMap((r) => carriedAlleles(r, s).map((a) => ({ r, a })));
          const batches = parsed.samples[s]?.batches ?? [];
          const got = batches.flatMap((b) => [...b.pos.keys()].map((i) => ({ pos: b.pos[i], alt: b.altIndex[i], zyg: b.zygosity[i], gt: b.gt[i], phased: b.phased[i] })));
          assert.equal(got.length, expected.length);
          got.sort((x, y) => (x.pos ?? 0) - (y.pos ?? 0) || (x.alt ?? 0) - (y.alt ?? 0));
          expected.sort((x, y) => x.r.pos - y.r.pos || x.a - y.a);
          expected.forEach(({ r, a }, i) => {
            const gt = (r.samples[s] ?? '').split(':')[0] ?? '';
            assert.deepEqual(got[i], { pos: r.pos, alt: a, zyg: expectedZygosity(gt, a), gt, phased: gt.includes('|') && !gt.includes('/') ? 1 : 0 });
          });
          for (const b of batches) assert.ok(b.chrom === 'chr1' || b.chrom === 'chrX');
        });
      }),
      { numRuns: 150 },
    );
  });

  it('plain, gzip and BGZF encodings of the same text give identical output (property)', async () => {
    await fc.assert(
      fc.asyncProperty(vcfText, fc.integer({ min: 7, max: 400 }), async (text, blockBytes) => {
        const bytes = Buffer.from(text);
        writeFileSync(join(dir, 'a'), bytes);
        writeFileSync(join(dir, 'b'), Buffer.concat([gzipSync(bytes.subarray(0, 10)), gzipSync(bytes.subarray(10))])); // multi-member gzip
        writeFileSync(join(dir, 'c'), bgzf(bytes, blockBytes));
        const [plain, gzip, blocked] = await Promise.all(['a', 'b', 'c'].map((f) => readVcf(join(dir, f), { workers: 0 })));
        assert.deepEqual(withoutBytes(gzip as ParsedVcf), withoutBytes(plain as ParsedVcf));
        assert.deepEqual(withoutBytes(blocked as ParsedVcf), withoutBytes(plain as ParsedVcf));
      }),
      { numRuns: 40 },
    );
  });

  describe('worker threads', () => {
    const source = join(import.meta.dirname, '../../../fixtures/vcf/real/1000g-phase1_chr22_5samples_phased.vcf.gz');

    it('give the same output as the single-thread path over many chunks', async function () {
      this.timeout(120000);
      const path = join(dir, 'large.vcf.gz');
      writeFileSync(path, bgzf(largeVcfText(source, 14 << 20)));
      const single = await readVcf(path, { workers: 0 });
      const pooled = await readVcf(path, { workers: 2 });
      assert.ok(single.records > 40000, `only ${single.records} records`);
      assert.deepEqual(withoutBytes(pooled), withoutBytes(single));
    });

    it('report the same exact line and column for an error deep in the file', async function () {
      this.timeout(120000);
      const text = largeVcfText(source, 10 << 20).toString('utf8').split('\n');
      const badLine = text.length - 50;
      const cols = (text[badLine - 1] ?? '').split('\t');
      cols[5] = 'abc';
      text[badLine - 1] = cols.join('\t');
      const path = join(dir, 'bad.vcf');
      writeFileSync(path, text.join('\n'));
      const column = (cols.slice(0, 5).join('\t').length + 2);
      for (const workers of [0, 2]) {
        await assert.rejects(readVcf(path, { workers }), (err: unknown) => {
          assert.ok(err instanceof VcfFormatError);
          assert.equal(err.message, `bad.vcf:${badLine}:${column}: QUAL is not a number: 'abc'`);
          return true;
        });
      }
    });
  });
});
