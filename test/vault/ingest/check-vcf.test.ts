// checkVcf (what `genovault validate` runs) accepts exactly what ingest accepts, on every file of the
// shared test-data manifests: valid files pass, invalid ones are refused with file:line:column.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkVcf } from '../../../vault/ingest/check-vcf.ts';
import { ingestVcf } from '../../../vault/ingest/ingest-vcf.ts';
import { Vault } from '../../../vault/store/vault.ts';
import { newMasterKey } from '../../../vault/crypto/master-key.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { hashTree } from '../../helpers/hash-tree.ts';
import { scanVcf } from './vcf/vcf-scan.ts';
import { buildForTest } from './build-for-test.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures');

interface Row {
  path: string;
  /** what default mode (ingest) must do */
  accept: boolean;
}

function rows(folder: string, prefix: RegExp, accepted: (expect: string, file: string) => boolean | null): Row[] {
  const [head = '', ...lines] = readFileSync(join(FIXTURES, folder, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
  const names = head.split('\t');
  const out: Row[] = [];
  for (const line of lines) {
    const cells = line.split('\t');
    const file = cells[names.indexOf('file')] ?? '';
    const accept = accepted(cells[names.indexOf('expect')] ?? '', file);
    if (accept !== null) out.push({ path: join(FIXTURES, folder, file.replace(prefix, '')), accept });
  }
  return out;
}

/** Invalid conformance files default mode accepts with a warning (listed, with reasons, in conformance.test.ts). */
const TOLERATED_INVALID = /failed_body_(duplicated_00[013]|sample_00[45]|sample_010|format_003|info_034)\.vcf$|failed_meta_info_0(10|09|15)\.vcf$/;

const MANIFEST_ROWS: Row[] = [
  ...rows('conformance', /^hts-specs-conformance\//, (expect, file) => (expect === 'accept' ? true : TOLERATED_INVALID.test(file) ? null : false)),
  ...rows('vcf', /^vcf\//, (expect, file) => (expect === 'valid' ? true : expect === 'invalid' ? false : expect === 'lenient' ? /empty-info-values/.test(file) : null)),
  ...rows('vcf-tolerated', /^$/, (expect) => expect === 'valid'),
];

describe('checkVcf: ingest\'s checks without storing anything', function () {
  this.timeout(120_000);

  it('covers the manifests (valid and invalid files alike)', () => {
    assert.ok(MANIFEST_ROWS.filter((r) => r.accept).length >= 90);
    assert.ok(MANIFEST_ROWS.filter((r) => !r.accept).length >= 380);
  });

  it('accepts every valid file and refuses every invalid one, errors and warnings located as file:line:column', async () => {
    for (const row of MANIFEST_ROWS) {
      const check = await checkVcf(row.path, { workers: 0, ...buildForTest(row.path) });
      assert.equal(check.accepted, row.accept, `${row.path}: ${check.errors[0] ?? 'accepted'}`);
      if (!row.accept) for (const error of check.errors) assert.match(error, /^[^/:]+:\d+:\d+: \S/, row.path);
      for (const w of check.warnings) assert.match(w, /^[^/:]+:\d+:\d+: \S/, w);
    }
  });

  it('keeps the warnings found before the error that refuses a file', async () => {
    const dir = await makeTempDir();
    try {
      const path = join(dir.path, 'warn-then-fail.vcf');
      await writeFile(path, [
        '##fileformat=VCFv4.2',
        '##INFO=<ID=DP,Number=1,Type=Integer,Description="Depth">',
        '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO',
        '1\t100\t.\tA\tG\t.\t.\tDP=',
        '1\t200\t.\tQ\tT\t.\t.\tDP=3',
        '',
      ].join('\n'));
      for (const workers of [0, 2]) {
        const check = await checkVcf(path, { workers, build: 'GRCh38' });
        assert.deepEqual([check.accepted, check.errors], [false, ["warn-then-fail.vcf:5:9: REF has a base other than A, C, G, T, N: 'Q'"]]);
        assert.deepEqual(check.warnings, ['warn-then-fail.vcf:4:20: INFO DP has an empty value (accepted: read as missing, as bcftools does)']);
      }
    } finally {
      await dir.remove();
    }
  });

  it('reports every error in file order (ingest stops at the first), across chunks and workers', async () => {
    const dir = await makeTempDir();
    try {
      const path = join(dir.path, 'many.vcf');
      const body = Array.from({ length: 400 }, (_, i) => `1\t${1000 + i}\t.\t${i % 100 === 7 ? 'Q' : 'A'}\tG\t.\t.\t.`);
      body.splice(250, 0, '1\t5\t.\tA\tG\t.\t.\t.'); // out of order
      await writeFile(path, ['##fileformat=VCFv4.2', '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO', ...body, ''].join('\n'));
      const refs = [10, 110, 210, 311].map((line) => `many.vcf:${line}:10: REF has a base other than A, C, G, T, N: 'Q'`);
      for (const workers of [0, 2]) {
        const check = await checkVcf(path, { workers, chunkBytes: 1024, build: 'GRCh38' });
        assert.deepEqual(check.errors, refs, `workers ${workers}`);
        assert.ok(check.warnings.some((w) => w.startsWith('many.vcf:253:3: records are not sorted')), 'default mode tolerates the order');
        const strict = await checkVcf(path, { workers, chunkBytes: 1024, strict: true, build: 'GRCh38' });
        assert.deepEqual(strict.errors, [...refs.slice(0, 3), 'many.vcf:253:3: records are not sorted: POS 5 comes after 1249', refs[3]], `strict, workers ${workers}`);
      }
      const header = join(dir.path, 'bad-header.vcf');
      await writeFile(header, ['##fileformat=VCFv4.2', '##INFO=<ID=A,Number=X,Type=Integer,Description="a">', '##INFO=<ID=B,Number=1,Type=Number,Description="b">', '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO', '1\t1\t.\tQ\tG\t.\t.\t.', ''].join('\n'));
      const check = await checkVcf(header, { workers: 0 });
      assert.deepEqual(check.errors.map((e) => e.split(': ')[0]), ['bad-header.vcf:2:14', 'bad-header.vcf:3:23'], 'header errors only: the body is not read against a broken header');
    } finally {
      await dir.remove();
    }
  });

  it('decides the build as ingest does: a header naming none is refused first, and the body is still checked', async () => {
    const dir = await makeTempDir();
    try {
      const path = join(dir.path, 'no-build.vcf');
      await writeFile(path, ['##fileformat=VCFv4.2', '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO', '1\t100\t.\tA\tG\t.\t.\t.', '1\t200\t.\tQ\tT\t.\t.\t.', ''].join('\n'));
      const check = await checkVcf(path, { workers: 0 });
      assert.equal(check.accepted, false);
      assert.equal(check.build, null);
      assert.match(check.errors[0] ?? '', /^no-build\.vcf: the header does not say which reference build/);
      assert.deepEqual(check.errors.slice(1), ["no-build.vcf:4:9: REF has a base other than A, C, G, T, N: 'Q'"]);
      const dataDir = join(dir.path, 'vault');
      const kek = newMasterKey('test');
      await (await Vault.init(dataDir, kek)).close();
      const vault = await Vault.open(dataDir, kek, { write: true });
      try {
        await assert.rejects(ingestVcf(vault, path, { workers: 0 }), (err: Error) => err.message === check.errors[0]);
      } finally {
        await vault.close();
      }
      const given = await checkVcf(path, { workers: 0, build: 'GRCh37' });
      assert.deepEqual([given.build, given.errors], [{ name: 'GRCh37', from: '--build' }, ["no-build.vcf:4:9: REF has a base other than A, C, G, T, N: 'Q'"]]);
      const named = join(FIXTURES, 'vcf/real/hapmap-exome_chr22_22samples.vcf.gz');
      assert.deepEqual((await checkVcf(named, { workers: 0 })).build, { name: 'GRCh37', from: "the header's ##reference/##assembly lines" });
      const contradicted = await checkVcf(named, { workers: 0, build: 'GRCh38' });
      assert.equal(contradicted.accepted, false);
      assert.match(contradicted.errors.join('\n'), /^hapmap-exome_chr22_22samples\.vcf\.gz: --build GRCh38 contradicts the header/);
    } finally {
      await dir.remove();
    }
  });

  it('names a file that cannot be read, without its directory', async () => {
    const check = await checkVcf(join(FIXTURES, 'no-such-file.vcf'));
    assert.deepEqual([check.accepted, check.errors], [false, ['no-such-file.vcf: no such file']]);
  });

  it('agrees with ingest on a valid, a tolerated and an invalid file; ingest of a refused file changes nothing', async () => {
    const dir = await makeTempDir();
    try {
      const kek = newMasterKey('test');
      const dataDir = join(dir.path, 'vault');
      await (await Vault.init(dataDir, kek)).close();
      const cases = [
        join(FIXTURES, 'vcf/real/gatk-ug_chr22_7samples.vcf.gz'),
        join(FIXTURES, 'vcf-tolerated/cyvcf2_gatk3-spanning-deletion-ALT.vcf'),
        join(FIXTURES, 'conformance/vcf/4.2/failed/failed_body_sample_002.vcf'),
      ];
      for (const [i, path] of cases.entries()) {
        const check = await checkVcf(path, { workers: 0, ...buildForTest(path) });
        const before = await hashTree(dataDir);
        const vault = await Vault.open(dataDir, kek, { write: true });
        const map = new Map(scanVcf(path).samples.map((name, s) => [name, `MRN${i}-${s}`]));
        const ingested = await ingestVcf(vault, path, { workers: 0, map, ...buildForTest(path) }).then(() => true, (err: unknown) => {
          assert.equal((err as Error).message, check.errors[0], 'ingest stops at the first error validate reports');
          return false;
        }).finally(() => vault.close());
        assert.equal(ingested, check.accepted, path);
        if (!ingested) assert.deepEqual(await hashTree(dataDir), before);
      }
    } finally {
      await dir.remove();
    }
  });
});

