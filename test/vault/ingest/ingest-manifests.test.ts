// Every file the shared test-data manifests call valid ingests into a real vault (default mode), each
// sample under its own MRN, and reads back with as many calls as the reader found; the invalid ones
// were refused by the reader tests (check-vcf.test.ts runs the same checks on all of them). A file the
// suite repeats byte for byte is refused the second time, as already ingested.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { DuplicateIngestError, ingestVcf } from '../../../vault/ingest/ingest-vcf.ts';
import { readVcf } from '../../../vault/ingest/vcf/read-vcf.ts';
import { Vault } from '../../../vault/store/vault.ts';
import { newMasterKey } from '../../../vault/crypto/master-key.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { buildForTest } from './build-for-test.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures');

function validFiles(folder: string, prefix: RegExp, valid: (expect: string) => boolean): string[] {
  const [head = '', ...lines] = readFileSync(join(FIXTURES, folder, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
  const names = head.split('\t');
  return lines
    .map((line) => line.split('\t'))
    .filter((cells) => valid(cells[names.indexOf('expect')] ?? ''))
    .map((cells) => join(FIXTURES, folder, (cells[names.indexOf('file')] ?? '').replace(prefix, '')));
}

const FILES = [
  ...validFiles('conformance', /^hts-specs-conformance\//, (e) => e === 'accept'),
  ...validFiles('vcf', /^vcf\//, (e) => e === 'valid'),
  ...validFiles('vcf-tolerated', /^$/, (e) => e === 'valid'),
];

describe('every valid file of the test-data manifests ingests', function () {
  this.timeout(300_000);

  it(`ingests all ${FILES.length} of them, storing every call the reader reads`, async () => {
    assert.ok(FILES.length >= 90);
    const dir = await makeTempDir();
    try {
      const kek = newMasterKey('test');
      await (await Vault.init(dir.path, kek)).close();
      const vault = await Vault.open(dir.path, kek, { write: true });
      try {
        const seen = new Set<string>();
        for (const [f, file] of FILES.entries()) {
          const parsed = await readVcf(file, { workers: 0 });
          const map = new Map(parsed.samples.map((s, i) => [s.name, `MRN${f}-${i}`]));
          const options = { workers: 0, map, ...buildForTest(file) };
          // the suite repeats some files byte for byte across versions: the second copy is the same file
          const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
          if (seen.has(sha) && parsed.samples.length > 0) {
            await assert.rejects(ingestVcf(vault, file, options), DuplicateIngestError, file);
            continue;
          }
          seen.add(sha);
          const report = await ingestVcf(vault, file, options).catch((err: unknown) => assert.fail(`${file}: ${(err as Error).message}`));
          assert.equal(report.samples.length, parsed.samples.length, file);
          report.samples.forEach((s, i) => {
            const expected = (parsed.samples[i]?.batches ?? []).reduce((n, b) => n + b.rows, 0);
            assert.equal(s.calls, expected, `${file} sample ${s.name}`);
            const stored = vault.catalog.callPartitions(new Set([s.sampleId])).reduce((n, p) => n + p.rows, 0);
            assert.equal(stored, expected, `${file} sample ${s.name} in the catalog`);
          });
        }
      } finally {
        await vault.close();
      }
    } finally {
      await dir.remove();
    }
  });
});
