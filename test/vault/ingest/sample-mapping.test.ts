// --map may name a subset of a file's samples (a joint-called cohort holds non-patients): the others
// are skipped and reported; a map naming a sample the file lacks is refused before anything is stored.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { mapSamples, SampleMappingError } from '../../../vault/ingest/sample-mapping.ts';
import { ingestVcf } from '../../../vault/ingest/ingest-vcf.ts';
import { Vault } from '../../../vault/store/vault.ts';
import { newMasterKey } from '../../../vault/crypto/master-key.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { hashTree } from '../../helpers/hash-tree.ts';

const REAL_5 = join(import.meta.dirname, '../../fixtures/vcf/real/1000g-phase1_chr22_5samples_phased.vcf.gz');
const NAMES = ['HG00096', 'HG00097', 'HG00099', 'HG00100', 'HG00101'];

describe('sample mapping', () => {
  it('a map naming a subset maps only those samples', () => {
    const mapping = mapSamples(NAMES, { map: new Map([['HG00097', 'MRN2'], ['HG00101', 'MRN5']]) });
    assert.deepEqual([...mapping], [['HG00097', 'MRN2'], ['HG00101', 'MRN5']]);
  });

  it('a map naming a sample the file does not have is refused, naming it', () => {
    assert.throws(() => mapSamples(NAMES, { map: new Map([['HG00097', 'MRN2'], ['NA12878', 'MRN9']]) }), (err: unknown) => err instanceof SampleMappingError && err.message === 'the map names 1 sample(s) the file does not have: NA12878');
  });

  describe('ingest with a subset map (real vault, real file)', function () {
    this.timeout(60_000);
    let dir: { path: string; remove: () => Promise<void> };
    beforeEach(async () => (dir = await makeTempDir()));
    afterEach(() => dir.remove());

    it('stores the named samples only and reports the skipped ones', async () => {
      const kek = newMasterKey('test');
      await (await Vault.init(dir.path, kek)).close();
      const vault = await Vault.open(dir.path, kek, { write: true });
      try {
        const report = await ingestVcf(vault, REAL_5, { workers: 0, build: 'GRCh37', map: new Map([['HG00097', 'MRN2'], ['HG00101', 'MRN5']]) });
        assert.deepEqual(report.samples.map((s) => s.name), ['HG00097', 'HG00101']);
        assert.deepEqual(report.skipped, ['HG00096', 'HG00099', 'HG00100']);
        assert.deepEqual(vault.catalog.data.samples.map((s) => s.name).sort(), ['HG00097', 'HG00101']);
        assert.deepEqual(vault.catalog.data.patients.map((p) => p.mrn).sort(), ['MRN2', 'MRN5']);
      } finally {
        await vault.close();
      }
    });

    it('a map naming an absent sample changes nothing', async () => {
      const kek = newMasterKey('test');
      await (await Vault.init(dir.path, kek)).close();
      const before = await hashTree(dir.path);
      const vault = await Vault.open(dir.path, kek, { write: true });
      try {
        await assert.rejects(ingestVcf(vault, REAL_5, { workers: 0, build: 'GRCh37', map: new Map([['HG00097', 'MRN2'], ['nobody', 'MRN9']]) }), SampleMappingError);
      } finally {
        await vault.close();
      }
      assert.deepEqual(await hashTree(dir.path), before);
    });
  });
});
