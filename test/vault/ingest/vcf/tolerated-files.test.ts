// Real files that break a rule of the specification in a way bcftools reads (test/fixtures/vcf-tolerated,
// each with its provenance in MANIFEST.tsv): default mode (what ingest uses) reads every one, saying what it
// tolerated as file:line:column; strict mode keeps the conformance suite's behaviour.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { makeTempDir } from '../../../helpers/temp-dir.ts';
import { readVcf, VcfFormatError } from '../../../../vault/ingest/vcf/read-vcf.ts';
import { validUrl } from '../../../../vault/ingest/vcf/header-rules.ts';
import { carriedAlleles, scanVcf } from './vcf-scan.ts';

const ROOT = join(import.meta.dirname, '../../../fixtures/vcf-tolerated');

interface Row {
  file: string;
  strict: 'accept' | 'reject';
  warns: string;
  sha256: string;
}

function manifest(): Row[] {
  const [head = '', ...lines] = readFileSync(join(ROOT, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
  const names = head.split('\t');
  return lines.map((line) => {
    const cells = line.split('\t');
    const cell = (name: string): string => cells[names.indexOf(name)] ?? '';
    return { file: cell('file'), strict: cell('strict') as Row['strict'], warns: cell('warns'), sha256: cell('sha256') };
  });
}

describe('real files that bcftools reads and the specification does not allow (test/fixtures/vcf-tolerated)', () => {
  for (const row of manifest()) {
    describe(row.file, () => {
      const path = join(ROOT, row.file);

      it('is the file the manifest names', () => {
        assert.equal(createHash('sha256').update(readFileSync(path)).digest('hex'), row.sha256);
      });

      it('is read in default mode, every sample call kept, each tolerated deviation named at file:line:column', async () => {
        const parsed = await readVcf(path, { workers: 0 });
        const scan = scanVcf(path);
        assert.equal(parsed.records, scan.records.length);
        scan.samples.forEach((_, s) => {
          const expected = scan.records.reduce((sum, r) => sum + carriedAlleles(r, s).length, 0);
          const stored = (parsed.samples[s]?.batches ?? []).reduce((sum, b) => sum + b.rows, 0);
          assert.equal(stored, expected, `sample ${s} calls`);
        });
        for (const w of parsed.warnings) assert.match(w, new RegExp(`^${row.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: .+ \\(accepted`), w);
        if (row.warns) assert.ok(parsed.warnings.some((w) => w.includes(row.warns)), `no warning about '${row.warns}': ${parsed.warnings.join(' | ')}`);
      });

      it(`is ${row.strict === 'accept' ? 'accepted' : 'refused'} in strict mode`, async () => {
        const reading = readVcf(path, { workers: 0, strict: true });
        if (row.strict === 'accept') await reading;
        else await assert.rejects(reading, (err: unknown) => err instanceof VcfFormatError && err.message.startsWith(`${row.file}:`));
      });
    });
  }

  it('reads the same with parse workers (chunks crossing the tolerated lines)', async () => {
    for (const row of manifest()) {
      const path = join(ROOT, row.file);
      const one = await readVcf(path, { workers: 0 });
      const two = await readVcf(path, { workers: 2, chunkBytes: 4096 });
      assert.deepEqual(two.samples.map((s) => s.batches.map((b) => [b.chrom, [...b.pos], b.gt])), one.samples.map((s) => s.batches.map((b) => [b.chrom, [...b.pos], b.gt])), row.file);
      assert.deepEqual(new Set(two.warnings.map((w) => w.replace(/:\d+:\d+:/, ':'))), new Set(one.warnings.map((w) => w.replace(/:\d+:\d+:/, ':'))), row.file);
    }
  });

  it('Complete Genomics: calls come from GT where it stands (the last key), with their genotype text', async () => {
    const path = join(ROOT, 'bioc_completegenomics-GT-last.vcf.gz');
    const parsed = await readVcf(path, { workers: 0 });
    const scan = scanVcf(path);
    const carrier = scan.records.find((r) => carriedAlleles(r, 0).length > 0 && r.format.at(-1) === 'GT');
    assert.ok(carrier);
    const batch = parsed.samples[0]?.batches.find((b) => b.chrom === 'chr7');
    const at = [...(batch?.pos ?? [])].indexOf(carrier.pos);
    assert.ok(at >= 0);
    assert.equal(batch?.gt[at], (carrier.samples[0] ?? '').split(':').at(-1));
  });

  it('an empty INFO column and empty INFO values are read as missing, with a warning; strict mode refuses them', async () => {
    const dir = await makeTempDir();
    try {
      const path = join(dir.path, 'empty-info.vcf');
      await writeFile(path, [
        '##fileformat=VCFv4.2',
        '##INFO=<ID=DP,Number=1,Type=Integer,Description="Depth">',
        '##INFO=<ID=NOTE,Number=1,Type=String,Description="Note">',
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
        '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1',
        '1\t100\t.\tA\tG\t.\t.\t\tGT\t0/1',
        '1\t200\t.\tC\tT\t.\t.\tDP=;NOTE=x\tGT\t1/1',
        '',
      ].join('\n'));
      const parsed = await readVcf(path, { workers: 0 });
      assert.deepEqual([...(parsed.samples[0]?.batches[0]?.pos ?? [])], [100, 200]);
      assert.ok(parsed.warnings.includes('empty-info.vcf:6:17: INFO is empty (accepted: read as \'.\', as bcftools does)'), parsed.warnings.join(' | '));
      assert.ok(parsed.warnings.includes('empty-info.vcf:7:20: INFO DP has an empty value (accepted: read as missing, as bcftools does)'), parsed.warnings.join(' | '));
      await assert.rejects(readVcf(path, { workers: 0, strict: true }), /empty-info\.vcf:6:17: INFO is empty/);
    } finally {
      await dir.remove();
    }
  });

  describe('URLs in meta lines', () => {
    it('accepts user information and a port (RFC 3986 authority)', () => {
      assert.ok(validUrl('ftp://user@host:8080/path'));
      assert.ok(validUrl('ftp://anonymous:secret@ftp.example.org/pub/ref.fa'));
    });
    it('still refuses a host that is only digits, a second @, or no host', () => {
      assert.ok(!validUrl('ftp://8080:8080/not-valid/host/to/file.fastq'));
      assert.ok(!validUrl('ftp://a@b@c/x'));
      assert.ok(!validUrl('http:///x'));
    });
  });
});
